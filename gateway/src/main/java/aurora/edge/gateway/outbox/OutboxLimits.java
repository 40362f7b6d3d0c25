package aurora.edge.gateway.outbox;

/**
 * How much the outbox may hold. Above {@code maxBytes} (or when the disk's free space would drop
 * below {@code minFreeDiskBytes}) the oldest telemetry is evicted. Alerts, attestation and audit
 * events are never evicted; at {@code hardMaxBytes}, or with less free disk than
 * {@code minFreeDiskBytes}, new telemetry is refused, and below half that free space everything is.
 */
public record OutboxLimits(long maxBytes, long hardMaxBytes, long minFreeDiskBytes) {
    public OutboxLimits {
        if (maxBytes <= 0) throw new IllegalArgumentException("maxBytes must be > 0, found " + maxBytes);
        if (hardMaxBytes < maxBytes) {
            throw new IllegalArgumentException("hardMaxBytes must be >= maxBytes (" + maxBytes + "), found " + hardMaxBytes);
        }
        if (minFreeDiskBytes < 0) throw new IllegalArgumentException("minFreeDiskBytes must be >= 0, found " + minFreeDiskBytes);
    }

    /** Practically unbounded, for tests that are not about capacity. */
    public static OutboxLimits unbounded() {
        return new OutboxLimits(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2, 0);
    }
}
