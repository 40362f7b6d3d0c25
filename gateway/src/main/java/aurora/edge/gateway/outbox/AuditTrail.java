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
 * kept beside its outbox row, in the same transaction. It is bounded by age and by rows, oldest
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

    AuditTrail(Duration maxAge, long maxRows) {
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be > 0, found " + maxAge);
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be >= 1, found " + maxRows);
        }
        this.maxAgeMillis = maxAge.toMillis();
        this.maxRows = maxRows;
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
     * Deletes up to {@link #TRIM_BATCH} rows that are beyond the row limit or older than the age
     * limit, oldest first, in the caller's transaction. Each condition is its own statement so each
     * walks an index (the primary key, {@code audit_log_at}) instead of the whole table, once a
     * second. Returns how many it deleted.
     */
    int trim(Connection c, long nowMillis) throws SQLException {
        long newest;
        try (PreparedStatement max = c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM audit_log"); ResultSet rs = max.executeQuery()) {
            rs.next();
            newest = rs.getLong(1);
        }
        int deleted = delete(c, "SELECT id FROM audit_log WHERE id <= ? ORDER BY id LIMIT ?", newest - maxRows, TRIM_BATCH);
        return deleted + delete(c, "SELECT id FROM audit_log WHERE at < ? ORDER BY at LIMIT ?", nowMillis - maxAgeMillis,
                TRIM_BATCH - deleted);
    }

    private static int delete(Connection c, String select, long bound, int limit) throws SQLException {
        if (limit <= 0) {
            return 0;
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM audit_log WHERE id IN (" + select + ")")) {
            delete.setLong(1, bound);
            delete.setInt(2, limit);
            return delete.executeUpdate();
        }
    }
}
