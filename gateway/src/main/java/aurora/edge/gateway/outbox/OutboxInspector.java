package aurora.edge.gateway.outbox;

import aurora.edge.gateway.store.Database;
import aurora.edge.gateway.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Read-only views of the outbox database for the CLI ({@code outbox status}, {@code devices list}).
 * Safe beside a running gateway: WAL lets it read while the gateway writes.
 */
public final class OutboxInspector {
    private final Database database;

    public OutboxInspector(Database database) {
        this.database = database;
    }

    /**
     * Backlog facts per sink, read from the rows and cursors on disk.
     *
     * @param evicted events evicted because the outbox was full, by channel, since the database was created
     */
    public record OutboxStatus(
            long storedEvents,
            long storedBytes,
            long lastSeq,
            Map<String, Long> evicted,
            Map<String, SinkBacklog> sinks) {}

    public record SinkBacklog(
            long cursor, long backlog, @Nullable Instant oldestUndelivered) {}

    /** A device the outbox has seen, with its newest boot and acknowledgement watermark. */
    public record SeenDevice(String deviceId, long boot, long ackedSeq, Instant lastSeen) {}

    /**
     * @param sinkNames the gateway's sinks; each is listed, also one that has never delivered
     *                  anything (it has no cursor yet: everything stored is its backlog)
     */
    public OutboxStatus status(List<String> sinkNames) {
        try (Connection c = database.openReader()) {
            long stored = single(c, "SELECT COUNT(*) FROM outbox");
            long storedBytes = single(c, "SELECT COALESCE(SUM(length(event)), 0) FROM outbox");
            Map<String, Long> evicted = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT key, value FROM outbox_meta WHERE key LIKE 'evicted.%' ORDER BY key");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    evicted.put(
                            rs.getString(1).substring("evicted.".length()).toLowerCase(java.util.Locale.ROOT),
                            Long.parseLong(rs.getString(2)));
                }
            }
            long lastSeq = single(
                    c,
                    "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0), "
                            + "COALESCE((SELECT MAX(seq) FROM outbox), 0))");
            Map<String, Long> cursors = new TreeMap<>();
            sinkNames.forEach(name -> cursors.put(name, 0L));
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT sink, seq FROM sink_cursor WHERE sink NOT LIKE '%:priority'");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cursors.put(rs.getString(1), rs.getLong(2));
                }
            }
            Map<String, SinkBacklog> sinks = new LinkedHashMap<>();
            for (Map.Entry<String, Long> cursor : cursors.entrySet()) {
                sinks.put(
                        cursor.getKey(),
                        new SinkBacklog(
                                cursor.getValue(),
                                countAfter(c, cursor.getValue()),
                                oldestAfter(c, cursor.getValue())));
            }
            return new OutboxStatus(stored, storedBytes, lastSeq, evicted, sinks);
        } catch (SQLException e) {
            throw new StoreException("cannot read outbox status from " + database.file(), e);
        }
    }

    public List<SeenDevice> devicesSeen() {
        String sql = "SELECT device_id, boot, contiguous_seq, updated_at FROM device_progress p "
                + "WHERE boot = (SELECT MAX(boot) FROM device_progress q WHERE q.device_id = p.device_id) ORDER BY device_id";
        try (Connection c = database.openReader();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            List<SeenDevice> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new SeenDevice(
                        rs.getString(1), rs.getLong(2), rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4))));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot list devices from " + database.file(), e);
        }
    }

    /**
     * Streams the local audit trail (audit events and the data held from untrusted devices), oldest
     * first, from {@code since} on, of one device or of all ({@code deviceId} null); each entry's
     * normalized event JSON goes to {@code each}. Returns how many were written.
     */
    /** How many events {@link #auditTrail} would give now (for an export's progress). */
    public long auditTrailSize(String deviceId, Instant since) {
        String sql = "SELECT COUNT(*) FROM audit_log WHERE at >= ?" + (deviceId == null ? "" : " AND device_id = ?");
        try (Connection c = database.openReader();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, since.toEpochMilli());
            if (deviceId != null) {
                ps.setString(2, deviceId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot count the audit trail in " + database.file(), e);
        }
    }

    public long auditTrail(String deviceId, Instant since, java.util.function.Consumer<byte[]> each) {
        String sql = "SELECT event FROM audit_log WHERE at >= ?" + (deviceId == null ? "" : " AND device_id = ?")
                + " ORDER BY at, id";
        try (Connection c = database.openReader();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, since.toEpochMilli());
            if (deviceId != null) {
                ps.setString(2, deviceId);
            }
            long n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    each.accept(rs.getBytes(1));
                    n++;
                }
            }
            return n;
        } catch (SQLException e) {
            throw new StoreException("cannot read the audit trail from " + database.file(), e);
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long countAfter(Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM outbox WHERE seq > ? AND held = 0")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static @Nullable Instant oldestAfter(Connection c, long seq) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT accepted_at FROM outbox WHERE seq > ? AND held = 0 ORDER BY seq LIMIT 1")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Instant.ofEpochMilli(rs.getLong(1)) : null;
            }
        }
    }
}
