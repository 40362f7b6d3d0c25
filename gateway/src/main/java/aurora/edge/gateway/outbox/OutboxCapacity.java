package aurora.edge.gateway.outbox;

import aurora.edge.gateway.device.Channel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the outbox within its {@link OutboxLimits}: tracks the bytes stored, evicts the oldest
 * telemetry when over the limit, and says which channels may still be admitted. Used only by the
 * writer thread, except {@link #admits}, which intake calls on its own thread.
 */
final class OutboxCapacity {
    /** Evicting down to this share of the limit leaves room, so eviction does not run on every commit. */
    private static final double LOW_WATER = 0.9;

    private static final int EVICTION_SCAN = 5000;

    private final OutboxLimits limits;
    private final LongSupplier freeDiskBytes;
    private long storedBytes;
    private long evictedTelemetry;
    private volatile boolean telemetryAdmitted = true;
    private volatile boolean anythingAdmitted = true;

    OutboxCapacity(OutboxLimits limits, LongSupplier freeDiskBytes) {
        this.limits = limits;
        this.freeDiskBytes = freeDiskBytes;
    }

    /** What one eviction pass removed: telemetry rows {@code firstSeq..lastSeq}, {@code bytes} in all. */
    record Eviction(long count, long bytes, long firstSeq, long lastSeq) {}

    void load(Connection c) throws SQLException {
        storedBytes = single(c, "SELECT COALESCE(SUM(length(event)), 0) FROM outbox");
        evictedTelemetry = single(
                c,
                "SELECT COALESCE((SELECT CAST(value AS INTEGER) FROM outbox_meta WHERE key = 'evicted.TELEMETRY'), 0)");
    }

    void added(long bytes) {
        storedBytes += bytes;
    }

    void removed(long bytes) {
        storedBytes -= bytes;
    }

    long storedBytes() {
        return storedBytes;
    }

    long evictedTelemetry() {
        return evictedTelemetry;
    }

    boolean admits(Channel channel) {
        return channel == Channel.TELEMETRY ? telemetryAdmitted : anythingAdmitted;
    }

    /**
     * Evicts the oldest telemetry while over the limit, inside the caller's transaction, and
     * updates what may be admitted. Returns what was evicted, or null when nothing was.
     */
    @Nullable
    Eviction enforce(Connection c) throws SQLException {
        long free = freeDiskBytes.getAsLong();
        // What the outbox may occupy: its limit, or less when the disk would drop below its reserve.
        // Evicted rows leave pages SQLite reuses, so the budget counts stored bytes, not the file size.
        long diskBudget = Math.max(0, storedBytes + free - limits.minFreeDiskBytes());
        long allowed = Math.min(limits.maxBytes(), diskBudget);
        Eviction eviction =
                storedBytes > allowed ? evictOldestTelemetry(c, storedBytes - (long) (allowed * LOW_WATER)) : null;
        telemetryAdmitted = storedBytes < Math.min(limits.hardMaxBytes(), diskBudget);
        anythingAdmitted = storedBytes < diskBudget || free >= limits.minFreeDiskBytes() / 2;
        return eviction;
    }

    private @Nullable Eviction evictOldestTelemetry(Connection c, long bytesToFree) throws SQLException {
        long freed = 0;
        long count = 0;
        long first = 0;
        long last = 0;
        try (PreparedStatement scan = c.prepareStatement(
                        "SELECT seq, length(event) FROM outbox WHERE channel = 'TELEMETRY' AND held = 0 ORDER BY seq LIMIT "
                                + EVICTION_SCAN);
                ResultSet rs = scan.executeQuery()) {
            while (freed < bytesToFree && rs.next()) {
                last = rs.getLong(1);
                first = count == 0 ? last : first;
                freed += rs.getLong(2);
                count++;
            }
        }
        if (count == 0) {
            return null;
        }
        try (PreparedStatement delete =
                c.prepareStatement("DELETE FROM outbox WHERE channel = 'TELEMETRY' AND held = 0 AND seq <= ?")) {
            delete.setLong(1, last);
            delete.executeUpdate();
        }
        evictedTelemetry += count;
        try (PreparedStatement meta = c.prepareStatement(
                "INSERT INTO outbox_meta (key, value) VALUES ('evicted.TELEMETRY', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            meta.setString(1, Long.toString(evictedTelemetry));
            meta.executeUpdate();
        }
        storedBytes -= freed;
        return new Eviction(count, freed, first, last);
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
