package aurora.edge.gateway.mqttsn;

import aurora.edge.gateway.store.Database;
import aurora.edge.gateway.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mqttsn.db}: each device's registered topic ids, the sleeping devices and the messages
 * queued for them, so a restart loses none of it. Used by the MQTT-SN gateway's thread only.
 */
final class SnStore implements AutoCloseable {
    static final String FILE_NAME = "mqttsn.db";

    /** A device that said it sleeps, and from where. */
    record Sleeper(String deviceId, String address, int sleepSeconds) {}

    /** A message waiting for its device. */
    record Queued(long rowId, int topicId, byte[] payload, int qos) {}

    private final Connection connection;

    private SnStore(Connection connection) {
        this.connection = connection;
    }

    static SnStore open(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        Connection c = Database.open(file, "classpath:db/mqttsn").openWriter();
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            throw new StoreException("cannot open " + file, e);
        }
        return new SnStore(c);
    }

    Map<Integer, String> topics(String deviceId) {
        Map<Integer, String> out = new HashMap<>();
        try (PreparedStatement ps =
                connection.prepareStatement("SELECT topic_id, topic_name FROM sn_topic WHERE device_id = ?")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read topic ids", e);
        }
        return out;
    }

    void addTopic(String deviceId, int topicId, String topicName) {
        update(
                "INSERT OR REPLACE INTO sn_topic (device_id, topic_id, topic_name) VALUES (?,?,?)",
                deviceId,
                topicId,
                topicName);
    }

    List<Sleeper> sleepers() {
        List<Sleeper> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT device_id, address, sleep_s FROM sn_sleeper");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Sleeper(rs.getString(1), rs.getString(2), rs.getInt(3)));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read sleeping devices", e);
        }
        return out;
    }

    void asleep(String deviceId, String address, int sleepSeconds, Instant now) {
        update(
                "INSERT OR REPLACE INTO sn_sleeper (device_id, address, sleep_s, since_ms) VALUES (?,?,?,?)",
                deviceId,
                address,
                sleepSeconds,
                now.toEpochMilli());
    }

    void awake(String deviceId) {
        update("DELETE FROM sn_sleeper WHERE device_id = ?", deviceId);
    }

    /**
     * Queues a message for {@code deviceId}: a cumulative ack (QoS 0) replaces the device's older
     * ones, and beyond {@code bound} messages the oldest go. Returns the new row's id.
     */
    long enqueue(String deviceId, int topicId, byte[] payload, int qos, Instant now, int bound) {
        try {
            connection.setAutoCommit(false);
            if (qos == 0) {
                update("DELETE FROM sn_queue WHERE device_id = ? AND qos = 0 AND topic_id = ?", deviceId, topicId);
            }
            long id;
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT INTO sn_queue (device_id, topic_id, payload, qos, queued_ms) VALUES (?,?,?,?,?)",
                    PreparedStatement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, deviceId);
                ps.setInt(2, topicId);
                ps.setBytes(3, payload);
                ps.setInt(4, qos);
                ps.setLong(5, now.toEpochMilli());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            update(
                    "DELETE FROM sn_queue WHERE device_id = ? AND id NOT IN "
                            + "(SELECT id FROM sn_queue WHERE device_id = ? ORDER BY id DESC LIMIT ?)",
                    deviceId,
                    deviceId,
                    bound);
            connection.commit();
            return id;
        } catch (SQLException e) {
            rollback();
            throw new StoreException("cannot queue a message", e);
        } finally {
            autoCommit();
        }
    }

    List<Queued> queued(String deviceId) {
        List<Queued> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT id, topic_id, payload, qos FROM sn_queue WHERE device_id = ? ORDER BY id")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Queued(rs.getLong(1), rs.getInt(2), rs.getBytes(3), rs.getInt(4)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read queued messages", e);
        }
        return out;
    }

    void delivered(long rowId) {
        update("DELETE FROM sn_queue WHERE id = ?", rowId);
    }

    void forget(String deviceId) {
        update("DELETE FROM sn_queue WHERE device_id = ?", deviceId);
        update("DELETE FROM sn_sleeper WHERE device_id = ?", deviceId);
    }

    long queuedTotal() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT COUNT(*) FROM sn_queue");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new StoreException("cannot count queued messages", e);
        }
    }

    private void update(String sql, Object... args) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("mqttsn.db update failed", e);
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // the transaction is gone with the failure; nothing more to undo
        }
    }

    private void autoCommit() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            throw new StoreException("mqttsn.db autocommit failed", e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close mqttsn.db", e);
        }
    }
}
