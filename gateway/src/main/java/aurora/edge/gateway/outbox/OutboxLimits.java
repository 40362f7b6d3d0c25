package aurora.edge.gateway.outbox;

import java.time.Duration;

/**
 * How much the outbox may hold, and the rules that keep one device from taking more than its share
 * or losing messages silently. Above {@code maxBytes} (or when the disk's free space would drop
 * below {@code minFreeDiskBytes}) the oldest telemetry is evicted. Alerts, attestation and audit
 * events are never evicted; at {@code hardMaxBytes}, or with less free disk than
 * {@code minFreeDiskBytes}, new telemetry is refused, and below half that free space everything is.
 * One device's alerts, attestation answers and held data may occupy at most
 * {@code deviceQuotaBytes} of the outbox; beyond it that device's new ones are refused
 * ({@code DEVICE_QUOTA_EXCEEDED}) until the sinks take them. The local audit trail keeps entries
 * for {@code auditMaxAge}, at most {@code auditMaxRows} of them and {@code auditMaxBytes} in all.
 * {@code resendWindow} is the most unacknowledged messages a device keeps (and resends), which
 * tells a resend from a rewound seq; a missing seq is given up once more than that many later
 * messages are committed and it has been missing for {@code gapTimeout}.
 */
public record OutboxLimits(
        long maxBytes,
        long hardMaxBytes,
        long minFreeDiskBytes,
        Duration auditMaxAge,
        long auditMaxRows,
        long auditMaxBytes,
        long deviceQuotaBytes,
        int resendWindow,
        Duration gapTimeout) {
    /** The audit trail's defaults: 30 days, 200,000 entries (about 100 MB), 256 MiB. */
    public static final Duration DEFAULT_AUDIT_MAX_AGE = Duration.ofDays(30);

    public static final long DEFAULT_AUDIT_MAX_ROWS = 200_000;
    public static final long DEFAULT_AUDIT_MAX_BYTES = 256L << 20;
    /** 16 MiB of never-evicted events per device: some 30,000 alerts held through an outage. */
    public static final long DEFAULT_DEVICE_QUOTA_BYTES = 16L << 20;
    /** The device simulator keeps 256 unacknowledged messages by default; set it to the largest ring in the fleet. */
    public static final int DEFAULT_RESEND_WINDOW = 256;

    public static final Duration DEFAULT_GAP_TIMEOUT = Duration.ofHours(1);

    public OutboxLimits(long maxBytes, long hardMaxBytes, long minFreeDiskBytes) {
        this(maxBytes, hardMaxBytes, minFreeDiskBytes, DEFAULT_AUDIT_MAX_AGE, DEFAULT_AUDIT_MAX_ROWS);
    }

    public OutboxLimits(
            long maxBytes, long hardMaxBytes, long minFreeDiskBytes, Duration auditMaxAge, long auditMaxRows) {
        this(
                maxBytes,
                hardMaxBytes,
                minFreeDiskBytes,
                auditMaxAge,
                auditMaxRows,
                DEFAULT_AUDIT_MAX_BYTES,
                DEFAULT_DEVICE_QUOTA_BYTES,
                DEFAULT_RESEND_WINDOW,
                DEFAULT_GAP_TIMEOUT);
    }

    public OutboxLimits {
        if (maxBytes <= 0) throw new IllegalArgumentException("maxBytes must be > 0, found " + maxBytes);
        if (hardMaxBytes < maxBytes) {
            throw new IllegalArgumentException(
                    "hardMaxBytes must be >= maxBytes (" + maxBytes + "), found " + hardMaxBytes);
        }
        if (minFreeDiskBytes < 0)
            throw new IllegalArgumentException("minFreeDiskBytes must be >= 0, found " + minFreeDiskBytes);
        if (auditMaxAge == null || auditMaxAge.isNegative() || auditMaxAge.isZero()) {
            throw new IllegalArgumentException("auditMaxAge must be > 0, found " + auditMaxAge);
        }
        if (auditMaxRows < 1) throw new IllegalArgumentException("auditMaxRows must be >= 1, found " + auditMaxRows);
        if (auditMaxBytes < 1) throw new IllegalArgumentException("auditMaxBytes must be >= 1, found " + auditMaxBytes);
        if (deviceQuotaBytes < 1)
            throw new IllegalArgumentException("deviceQuotaBytes must be >= 1, found " + deviceQuotaBytes);
        if (resendWindow < 1) throw new IllegalArgumentException("resendWindow must be >= 1, found " + resendWindow);
        if (gapTimeout == null || gapTimeout.isNegative()) {
            throw new IllegalArgumentException("gapTimeout must be >= 0, found " + gapTimeout);
        }
    }

    /** Practically unbounded, for tests that are not about capacity. */
    public static OutboxLimits unbounded() {
        return new OutboxLimits(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2, 0);
    }

    /** These limits with another per-device quota. */
    public OutboxLimits withDeviceQuota(long bytes) {
        return new OutboxLimits(
                maxBytes,
                hardMaxBytes,
                minFreeDiskBytes,
                auditMaxAge,
                auditMaxRows,
                auditMaxBytes,
                bytes,
                resendWindow,
                gapTimeout);
    }

    /** These limits with another resend window and gap timeout. */
    public OutboxLimits withGapRule(int window, Duration timeout) {
        return new OutboxLimits(
                maxBytes,
                hardMaxBytes,
                minFreeDiskBytes,
                auditMaxAge,
                auditMaxRows,
                auditMaxBytes,
                deviceQuotaBytes,
                window,
                timeout);
    }
}
