package aurora.edge.gateway.registry;

import aurora.edge.gateway.device.Health;
import aurora.edge.gateway.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The {@code device_health} table, written from the health check's thread on the registry's one
 * writer connection, under the lock {@link RegistryStore} takes for each of its transactions (the
 * connection holds SQLite's write lock between commits, so a second writer connection could never
 * write). Each save is one short transaction.
 */
final class HealthStore {
    private final Connection connection;

    /** @param connection the registry's writer connection, already out of auto-commit */
    HealthStore(Connection connection) {
        this.connection = connection;
    }

    /** Every stored mark; read once at start. */
    static List<HealthMark> load(Connection c) {
        try (PreparedStatement ps =
                        c.prepareStatement("SELECT device_id, health, since, last_heard FROM device_health");
                ResultSet rs = ps.executeQuery()) {
            List<HealthMark> marks = new ArrayList<>();
            while (rs.next()) {
                marks.add(new HealthMark(
                        rs.getString(1),
                        Health.valueOf(rs.getString(2)),
                        Instant.ofEpochMilli(rs.getLong(3)),
                        Instant.ofEpochMilli(rs.getLong(4))));
            }
            return marks;
        } catch (SQLException e) {
            throw new StoreException("registry: reading device health failed", e);
        }
    }

    List<HealthMark> load() {
        synchronized (connection) {
            List<HealthMark> marks = load(connection);
            try {
                connection.commit();
            } catch (SQLException e) {
                throw new StoreException("registry: reading device health failed", e);
            }
            return marks;
        }
    }

    /** Stores the marks in one transaction. */
    void save(Collection<HealthMark> marks) {
        synchronized (connection) {
            saveLocked(marks);
        }
    }

    private void saveLocked(Collection<HealthMark> marks) {
        try (PreparedStatement ps =
                connection.prepareStatement("INSERT INTO device_health (device_id, health, since, last_heard) "
                        + "VALUES (?,?,?,?) ON CONFLICT (device_id) DO UPDATE SET health = excluded.health, since = excluded.since, "
                        + "last_heard = excluded.last_heard")) {
            for (HealthMark m : marks) {
                ps.setString(1, m.deviceId());
                ps.setString(2, m.health().name());
                ps.setLong(3, m.since().toEpochMilli());
                ps.setLong(4, m.lastHeard().toEpochMilli());
                ps.addBatch();
            }
            ps.executeBatch();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the original failure is the one worth reporting
            }
            throw new StoreException("registry: saving the health of " + marks.size() + " devices failed", e);
        }
    }
}
