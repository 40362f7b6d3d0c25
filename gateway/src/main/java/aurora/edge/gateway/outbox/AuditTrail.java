package aurora.edge.gateway.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The local audit trail an operator reads on the box (table {@code audit_log}): each audit event is
 * kept beside its outbox row, in the same transaction. It is bounded by age, by rows and by bytes, oldest
 * first: a quarantined device's held readings are audit events too, and on a small disk the trail
 * must not grow for ever. The same events also go out to {@code aurora:audit} and
 * {@code AURORA.audit}, which keep the long history. Used by the outbox writer thread only.
 */
final class AuditTrail {
    /** At most this many rows are deleted per housekeeping tick, so one trim never holds the write lock for long. */
    static final int TRIM_BATCH = 10_000;

    /** One audit event as the trail keeps it. */
    record Entry(long at, String messageId, @Nullable String deviceId, String code, byte[] event) {}

    private final long maxAgeMillis;
    private final long maxRows;
    private final long maxBytes;
    /** Bytes of {@code event} in the table as last committed; the writer keeps it up to date. */
    private long storedBytes;

    AuditTrail(Duration maxAge, long maxRows) {
        this(maxAge, maxRows, Long.MAX_VALUE);
    }

    AuditTrail(Duration maxAge, long maxRows, long maxBytes) {
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be > 0, found " + maxAge);
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be >= 1, found " + maxRows);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1, found " + maxBytes);
        }
        this.maxAgeMillis = maxAge.toMillis();
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
    }

    void load(Connection c) throws SQLException {
        try (PreparedStatement sum = c.prepareStatement("SELECT COALESCE(SUM(length(event)), 0) FROM audit_log");
                ResultSet rs = sum.executeQuery()) {
            rs.next();
            storedBytes = rs.getLong(1);
        }
    }

    long storedBytes() {
        return storedBytes;
    }

    /** After the transaction that saved these entries committed. */
    void saved(List<Entry> entries) {
        for (Entry e : entries) {
            storedBytes += e.event().length;
        }
    }

    void save(Connection c, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO audit_log (at, message_id, device_id, code, event) VALUES (?,?,?,?,?)")) {
            for (Entry e : entries) {
                insert.setLong(1, e.at());
                insert.setString(2, e.messageId());
                insert.setString(3, e.deviceId());
                insert.setString(4, e.code());
                insert.setBytes(5, e.event());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Deletes up to {@link #TRIM_BATCH} rows that are beyond the row limit, older than the age
     * limit or beyond the byte limit, oldest first, in the caller's transaction. Each condition is
     * its own statement so each walks an index (the primary key, {@code audit_log_at}) instead of
     * the whole table, once a second. Returns how many it deleted; if the transaction is rolled
     * back the caller reloads the byte count with {@link #load}.
     */
    int trim(Connection c, long nowMillis) throws SQLException {
        long newest;
        try (PreparedStatement max = c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM audit_log");
                ResultSet rs = max.executeQuery()) {
            rs.next();
            newest = rs.getLong(1);
        }
        int deleted = delete(
                c,
                "SELECT id, length(event) FROM audit_log WHERE id <= ? ORDER BY id LIMIT ?",
                newest - maxRows,
                TRIM_BATCH,
                false);
        deleted += delete(
                c,
                "SELECT id, length(event) FROM audit_log WHERE at < ? ORDER BY at LIMIT ?",
                nowMillis - maxAgeMillis,
                TRIM_BATCH - deleted,
                false);
        if (storedBytes > maxBytes) {
            deleted += delete(
                    c,
                    "SELECT id, length(event) FROM audit_log WHERE id > ? ORDER BY id LIMIT ?",
                    0,
                    TRIM_BATCH - deleted,
                    true);
        }
        return deleted;
    }

    /** Deletes the selected rows; with {@code toByteLimit}, only the oldest of them until the trail is within its byte limit. */
    private int delete(Connection c, String select, long bound, int limit, boolean toByteLimit) throws SQLException {
        if (limit <= 0) {
            return 0;
        }
        List<Long> ids = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(select)) {
            ps.setLong(1, bound);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && !(toByteLimit && storedBytes <= maxBytes)) {
                    ids.add(rs.getLong(1));
                    storedBytes -= rs.getLong(2);
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM audit_log WHERE id = ?")) {
            for (long id : ids) {
                delete.setLong(1, id);
                delete.addBatch();
            }
            delete.executeBatch();
        }
        return ids.size();
    }
}
