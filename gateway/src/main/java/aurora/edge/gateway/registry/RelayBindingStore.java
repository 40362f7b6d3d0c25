package aurora.edge.gateway.registry;

import aurora.edge.gateway.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code relay_binding} table (operator bindings of a child device to a relay), on the
 * registry's one writer connection under the lock {@link RegistryStore} takes for its transactions.
 * Written only by the attestation thread (operator commands); each change is one short transaction.
 */
final class RelayBindingStore {
    private final Connection connection;

    /** @param connection the registry's writer connection, already out of auto-commit */
    RelayBindingStore(Connection connection) {
        this.connection = connection;
    }

    /** Child id → relay id; read once at start. */
    Map<String, String> load() {
        synchronized (connection) {
            try (PreparedStatement ps = connection.prepareStatement("SELECT child_id, relay_id FROM relay_binding");
                    ResultSet rs = ps.executeQuery()) {
                Map<String, String> bindings = new HashMap<>();
                while (rs.next()) {
                    bindings.put(rs.getString(1), rs.getString(2));
                }
                connection.commit();
                return bindings;
            } catch (SQLException e) {
                throw new StoreException("registry: reading relay bindings failed", e);
            }
        }
    }

    void bind(String childId, String relayId, String operator, Instant at) {
        write(
                "INSERT INTO relay_binding (child_id, relay_id, bound_by, bound_at) VALUES (?,?,?,?) "
                        + "ON CONFLICT (child_id) DO UPDATE SET relay_id = excluded.relay_id, "
                        + "bound_by = excluded.bound_by, bound_at = excluded.bound_at",
                ps -> {
                    ps.setString(1, childId);
                    ps.setString(2, relayId);
                    ps.setString(3, operator);
                    ps.setLong(4, at.toEpochMilli());
                },
                "bind " + childId + " to relay " + relayId);
    }

    void unbind(String childId) {
        write("DELETE FROM relay_binding WHERE child_id = ?", ps -> ps.setString(1, childId), "unbind " + childId);
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void write(String sql, Binder binder, String what) {
        synchronized (connection) {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                binder.bind(ps);
                ps.executeUpdate();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // the original failure is the one worth reporting
                }
                throw new StoreException("registry: " + what + " failed", e);
            }
        }
    }
}
