package aurora.edge.gateway.soc;

import aurora.edge.gateway.store.Database;
import aurora.edge.gateway.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The commands database ({@code commands.db}, its own file like the registry): accepted commands
 * until their outcome is published and their expiry is a day past, and refused ones for as long,
 * so a replayed id is recognised. Used by the command thread only.
 */
final class CommandStore implements AutoCloseable {
    /** A command kept after its expiry: long enough to recognise a replay; after that its signed expiry refuses it. */
    static final Duration KEEP_AFTER_EXPIRY = Duration.ofDays(1);

    /** One stored command. */
    record Row(
            String commandId,
            String deviceId,
            String action,
            String topic,
            byte[] body,
            CommandState state,
            int attempts,
            Instant expiresAt,
            Instant nextSend,
            @Nullable String detail,
            String requestedBy) {}

    private final Connection connection;

    private CommandStore(Connection connection) {
        this.connection = connection;
    }

    static CommandStore open(Path file) {
        Database database = Database.open(file, "classpath:db/commands");
        Connection c = database.openWriter();
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            throw new StoreException("cannot open " + file, e);
        }
        return new CommandStore(c);
    }

    boolean known(String commandId) {
        return query("SELECT 1 FROM soc_command WHERE command_id = ?", ps -> ps.setString(1, commandId), rs -> true)
                        .size()
                == 1;
    }

    int openFor(String deviceId) {
        return query(
                        "SELECT COUNT(*) FROM soc_command WHERE device_id = ? AND state IN ('QUEUED','SENT')",
                        ps -> ps.setString(1, deviceId),
                        rs -> rs.getInt(1))
                .get(0);
    }

    void insert(Row row, Instant now, boolean resultPending) {
        update(
                "INSERT INTO soc_command (command_id, device_id, action, topic, body, state, attempts, received_at_ms, expires_at_ms, "
                        + "next_send_ms, updated_at_ms, detail, requested_by, result_pending) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                ps -> {
                    ps.setString(1, row.commandId());
                    ps.setString(2, row.deviceId());
                    ps.setString(3, row.action());
                    ps.setString(4, row.topic());
                    ps.setBytes(5, row.body());
                    ps.setString(6, row.state().name());
                    ps.setInt(7, row.attempts());
                    ps.setLong(8, now.toEpochMilli());
                    ps.setLong(9, row.expiresAt().toEpochMilli());
                    ps.setLong(10, row.nextSend().toEpochMilli());
                    ps.setLong(11, now.toEpochMilli());
                    ps.setString(12, row.detail());
                    ps.setString(13, row.requestedBy());
                    ps.setInt(14, resultPending ? 1 : 0);
                });
    }

    /** Open commands of one device (all when {@code deviceId} is null) that are due to be sent. */
    List<Row> due(@Nullable String deviceId, Instant now) {
        String where = deviceId == null ? "" : " AND device_id = ?";
        return query(
                "SELECT * FROM soc_command WHERE state IN ('QUEUED','SENT') AND next_send_ms <= ?" + where
                        + " ORDER BY received_at_ms LIMIT 500",
                ps -> {
                    ps.setLong(1, now.toEpochMilli());
                    if (deviceId != null) {
                        ps.setString(2, deviceId);
                    }
                },
                CommandStore::row);
    }

    List<Row> expired(Instant now) {
        return query(
                "SELECT * FROM soc_command WHERE state IN ('QUEUED','SENT') AND expires_at_ms <= ? LIMIT 500",
                ps -> ps.setLong(1, now.toEpochMilli()),
                CommandStore::row);
    }

    List<Row> unpublishedResults() {
        return query(
                "SELECT * FROM soc_command WHERE result_pending = 1 ORDER BY updated_at_ms LIMIT 200",
                ps -> {},
                CommandStore::row);
    }

    java.util.Optional<Row> find(String commandId) {
        return query(
                        "SELECT * FROM soc_command WHERE command_id = ?",
                        ps -> ps.setString(1, commandId),
                        CommandStore::row)
                .stream()
                .findFirst();
    }

    void sent(String commandId, Instant now, Instant nextSend) {
        update(
                "UPDATE soc_command SET state = 'SENT', attempts = attempts + 1, next_send_ms = ?, updated_at_ms = ? WHERE command_id = ?",
                ps -> {
                    ps.setLong(1, nextSend.toEpochMilli());
                    ps.setLong(2, now.toEpochMilli());
                    ps.setString(3, commandId);
                });
    }

    /** Records an outcome, to be published on the results stream. */
    void finish(String commandId, CommandState outcome, String detail, Instant now) {
        update(
                "UPDATE soc_command SET state = ?, detail = ?, updated_at_ms = ?, result_pending = 1 WHERE command_id = ?",
                ps -> {
                    ps.setString(1, outcome.name());
                    ps.setString(2, detail);
                    ps.setLong(3, now.toEpochMilli());
                    ps.setString(4, commandId);
                });
    }

    void published(String commandId) {
        update("UPDATE soc_command SET result_pending = 0 WHERE command_id = ?", ps -> ps.setString(1, commandId));
    }

    /** Forgets finished, published commands a day after their expiry. */
    int prune(Instant now) {
        return update(
                "DELETE FROM soc_command WHERE result_pending = 0 AND state NOT IN ('QUEUED','SENT') AND expires_at_ms < ?",
                ps -> ps.setLong(1, now.minus(KEEP_AFTER_EXPIRY).toEpochMilli()));
    }

    /** One device's commands, open ones first, then newest first; at most {@code limit}, with its totals. */
    DeviceCommand.Page ofDevice(String deviceId, int limit) {
        List<DeviceCommand> commands = query(
                "SELECT * FROM soc_command WHERE device_id = ? ORDER BY state IN ('QUEUED','SENT') DESC, "
                        + "received_at_ms DESC, command_id LIMIT ?",
                ps -> {
                    ps.setString(1, deviceId);
                    ps.setInt(2, limit);
                },
                rs -> new DeviceCommand(
                        rs.getString("command_id"),
                        rs.getString("action"),
                        CommandState.valueOf(rs.getString("state")),
                        rs.getInt("attempts"),
                        Instant.ofEpochMilli(rs.getLong("received_at_ms")),
                        Instant.ofEpochMilli(rs.getLong("updated_at_ms")),
                        Instant.ofEpochMilli(rs.getLong("expires_at_ms")),
                        rs.getString("requested_by") == null ? "soc" : rs.getString("requested_by"),
                        rs.getString("detail")));
        int total = query(
                        "SELECT COUNT(*) FROM soc_command WHERE device_id = ?",
                        ps -> ps.setString(1, deviceId),
                        rs -> rs.getInt(1))
                .get(0);
        return new DeviceCommand.Page(commands, total, openFor(deviceId));
    }

    int count() {
        return query("SELECT COUNT(*) FROM soc_command", ps -> {}, rs -> rs.getInt(1))
                .get(0);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("closing commands.db failed", e);
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(
                rs.getString("command_id"),
                rs.getString("device_id"),
                rs.getString("action"),
                rs.getString("topic"),
                rs.getBytes("body"),
                CommandState.valueOf(rs.getString("state")),
                rs.getInt("attempts"),
                Instant.ofEpochMilli(rs.getLong("expires_at_ms")),
                Instant.ofEpochMilli(rs.getLong("next_send_ms")),
                rs.getString("detail"),
                rs.getString("requested_by"));
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private int update(String sql, Binder binder) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("commands.db: " + sql, e);
        }
    }

    private <T> List<T> query(String sql, Binder binder, Mapper<T> mapper) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new StoreException("commands.db: " + sql, e);
        }
    }
}
