package aurora.edge.gateway.outbox;

import java.time.Duration;

/**
 * How much the outbox may hold. Above {@code maxBytes} (or when the disk's free space would drop
 * below {@code minFreeDiskBytes}) the oldest telemetry is evicted. Alerts, attestation and audit
 * events are never evicted; at {@code hardMaxBytes}, or with less free disk than
 * {@code minFreeDiskBytes}, new telemetry is refused, and below half that free space everything is.
 * The local audit trail keeps entries for {@code auditMaxAge}, at most {@code auditMaxRows} of them.
 */
public record OutboxLimits(long maxBytes, long hardMaxBytes, long minFreeDiskBytes, Duration auditMaxAge, long auditMaxRows) {
    /** The audit trail's defaults: 30 days, 200,000 entries (about 100 MB). */
    public static final Duration DEFAULT_AUDIT_MAX_AGE = Duration.ofDays(30);
    public static final long DEFAULT_AUDIT_MAX_ROWS = 200_000;

    public OutboxLimits(long maxBytes, long hardMaxBytes, long minFreeDiskBytes) {
        this(maxBytes, hardMaxBytes, minFreeDiskBytes, DEFAULT_AUDIT_MAX_AGE, DEFAULT_AUDIT_MAX_ROWS);
    }

    public OutboxLimits {
        if (maxBytes <= 0) throw new IllegalArgumentException("maxBytes must be > 0, found " + maxBytes);
        if (hardMaxBytes < maxBytes) {
            throw new IllegalArgumentException("hardMaxBytes must be >= maxBytes (" + maxBytes + "), found " + hardMaxBytes);
        }
        if (minFreeDiskBytes < 0) throw new IllegalArgumentException("minFreeDiskBytes must be >= 0, found " + minFreeDiskBytes);
        if (auditMaxAge == null || auditMaxAge.isNegative() || auditMaxAge.isZero()) {
            throw new IllegalArgumentException("auditMaxAge must be > 0, found " + auditMaxAge);
        }
        if (auditMaxRows < 1) throw new IllegalArgumentException("auditMaxRows must be >= 1, found " + auditMaxRows);
    }

    /** Practically unbounded, for tests that are not about capacity. */
    public static OutboxLimits unbounded() {
        return new OutboxLimits(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2, 0);
    }
}
