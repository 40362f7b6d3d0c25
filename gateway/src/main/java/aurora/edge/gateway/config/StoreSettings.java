package aurora.edge.gateway.config;

import aurora.edge.gateway.outbox.OutboxLimits;
import java.nio.file.Path;
import java.time.Duration;

/** The state directory, the outbox's commits and capacity, and the local audit trail. */
final class StoreSettings {
    static final Setting<Path> DATA_DIR = Setting.path(
            "data.dir",
            Path.of("data"),
            "SQLite databases (`aurora-edge.db`, `registry.db`) and broker scratch space; installed: `/var/lib/aurora-edge`");
    static final Setting<Path> KEY_FILE = Setting.path(
                    "devices.key_file",
                    Path.of("data", "site-device.key"),
                    "the site device key device passwords derive from (base64, created 0600 on first start)")
            .defaultShownAs("`<data.dir>/site-device.key`");
    static final Setting<Integer> COMMIT_MAX_ROWS = Setting.integer(
            "outbox.commit_max_rows",
            "rows",
            512,
            1,
            100_000,
            "group commit: at most this many events per transaction");
    static final Setting<Duration> COMMIT_MAX_DELAY = Setting.duration(
            "outbox.commit_max_delay",
            Duration.ofMillis(10),
            Duration.ZERO,
            Duration.ofSeconds(1),
            "group commit: wait at most this long for more events (a window closes early once 64 events, or "
                    + "`outbox.commit_max_rows`, are waiting)");
    static final Setting<Long> MAX_BYTES = Setting.bytes(
            "outbox.max_bytes",
            1L << 30,
            1L << 20,
            1L << 42,
            "above it the oldest telemetry is evicted (audited `OUTBOX_EVICTED`, counted in `outbox status`); alerts, attestation and "
                    + "audit never are");
    static final Setting<Long> HARD_MAX_BYTES = Setting.bytes(
                    "outbox.hard_max_bytes",
                    3L << 29,
                    1L << 20,
                    1L << 42,
                    "at it new telemetry is refused (`OUTBOX_FULL`); alerts, attestation and audit still accepted")
            .allowedShownAs("1MiB–4TiB, ≥ `outbox.max_bytes`");
    static final Setting<Long> MIN_FREE_DISK = Setting.bytes(
            "outbox.min_free_disk",
            64L << 20,
            0,
            1L << 42,
            "disk reserve: the outbox shrinks its budget to keep it; below half of it nothing new is accepted");
    static final Setting<Duration> AUDIT_RETENTION = Setting.duration(
            "audit.retention",
            OutboxLimits.DEFAULT_AUDIT_MAX_AGE,
            Duration.ofHours(1),
            Duration.ofDays(3650),
            "the local audit trail (`audit_log` in `aurora-edge.db`) drops older entries; `aurora:audit` and `AURORA.audit` keep the long history");
    static final Setting<Long> AUDIT_MAX_ROWS = Setting.longValue(
            "audit.max_rows",
            "entries",
            OutboxLimits.DEFAULT_AUDIT_MAX_ROWS,
            1000,
            100_000_000,
            "at most this many local audit entries (≈ 100 MB), oldest dropped first (`aurora_audit_trail_trimmed_total`)");

    static final Setting<Long> AUDIT_MAX_BYTES = Setting.bytes(
            "audit.max_bytes",
            OutboxLimits.DEFAULT_AUDIT_MAX_BYTES,
            1L << 20,
            1L << 42,
            "at most this many bytes of local audit entries, oldest dropped first (`aurora_audit_trail_trimmed_total`)");
    static final Setting<Long> DEVICE_QUOTA_BYTES = Setting.bytes(
                    "outbox.device_quota_bytes",
                    OutboxLimits.DEFAULT_DEVICE_QUOTA_BYTES,
                    4L << 10,
                    1L << 42,
                    "one device's never-evicted events waiting in the outbox (its alerts, attestation answers, held data, audit "
                            + "about it); beyond it that device's new ones are refused (`DEVICE_QUOTA_EXCEEDED`, audited once per `audit.summary_window`) "
                            + "until the sinks take its backlog")
            .allowedShownAs("4KiB–4TiB, ≤ `outbox.hard_max_bytes`")
            .defaultShownAs("`16MiB` (at most `outbox.hard_max_bytes`)");
    static final Setting<Integer> RESEND_WINDOW = Setting.integer(
            "outbox.resend_window",
            "msgs",
            OutboxLimits.DEFAULT_RESEND_WINDOW,
            16,
            65_536,
            "the most unacknowledged messages a device keeps and resends (its RAM ring; set it ≥ the largest in the fleet): a seq "
                    + "this far below the highest committed is a rewind (`SEQ_REWIND`), not a resend; costs 4 bytes per message of "
                    + "window per device");
    static final Setting<Duration> GAP_TIMEOUT = Setting.duration(
            "outbox.gap_timeout",
            OutboxLimits.DEFAULT_GAP_TIMEOUT,
            Duration.ZERO,
            Duration.ofDays(30),
            "a missing seq is acknowledged anyway (`SEQ_GAP_GIVEN_UP`) only once more than `outbox.resend_window` "
                    + "later messages are committed and it has been missing this long");

    private StoreSettings() {}

    static GatewayConfig.Store read(ConfigReader r) {
        Path dataDir = r.get(DATA_DIR);
        Path keyFile = r.get(KEY_FILE, dataDir.resolve("site-device.key"));
        int commitMaxRows = r.get(COMMIT_MAX_ROWS);
        Duration commitMaxDelay = r.get(COMMIT_MAX_DELAY);
        long maxBytes = r.get(MAX_BYTES);
        long hardMaxBytes = r.get(HARD_MAX_BYTES);
        long minFreeDisk = r.get(MIN_FREE_DISK);
        Duration auditRetention = r.get(AUDIT_RETENTION);
        long auditMaxRows = r.get(AUDIT_MAX_ROWS);
        long auditMaxBytes = r.get(AUDIT_MAX_BYTES);
        // A small outbox gets a quota that fits in it, unless one is set.
        long deviceQuota = r.get(DEVICE_QUOTA_BYTES, Math.min(OutboxLimits.DEFAULT_DEVICE_QUOTA_BYTES, hardMaxBytes));
        var store = new GatewayConfig.Store(
                dataDir,
                keyFile,
                commitMaxRows,
                commitMaxDelay,
                maxBytes,
                hardMaxBytes,
                minFreeDisk,
                auditRetention,
                auditMaxRows,
                auditMaxBytes,
                deviceQuota,
                r.get(RESEND_WINDOW),
                r.get(GAP_TIMEOUT));
        if (store.deviceQuotaBytes() > store.outboxHardMaxBytes()) {
            r.error(
                    DEVICE_QUOTA_BYTES,
                    String.valueOf(store.deviceQuotaBytes()),
                    "must not be larger than outbox.hard_max_bytes (" + store.outboxHardMaxBytes() + ")");
        }
        if (store.outboxHardMaxBytes() < store.outboxMaxBytes()) {
            r.error(
                    HARD_MAX_BYTES,
                    String.valueOf(store.outboxHardMaxBytes()),
                    "must not be smaller than outbox.max_bytes (" + store.outboxMaxBytes() + ")");
        }
        return store;
    }
}
