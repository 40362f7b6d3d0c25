package aurora.edge.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.DeviceRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An appliance upgraded from the first released schemas keeps its outbox, cursors, device progress and registry. */
class SchemaUpgradeTest {
    @TempDir
    Path dir;

    @Test
    void aDatabaseAtTheFirstSchemaIsMigratedToTheNewestWithItsDataIntact() throws Exception {
        Path file = dir.resolve("old.db");
        String url = "jdbc:sqlite:" + file;
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("1").load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO outbox (seq, message_id, device_id, channel, severity, accepted_at, event) "
                    + "VALUES (7, 'd1:0:7', 'd1', 'ALERT', 'HIGH', 1700000000000, X'7B7D')");
            st.executeUpdate("INSERT INTO sink_cursor (sink, seq) VALUES ('redis', 6)");
            st.executeUpdate("INSERT INTO device_progress (device_id, boot, contiguous_seq, pending, updated_at) VALUES ('d1', 0, 7, '', 1)");
        }

        Database.open(file);

        MigrationInfo[] applied = Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").load().info().applied();
        MigrationInfo[] all = Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").load().info().all();
        assertThat(applied).hasSameSizeAs(all);
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT message_id FROM outbox WHERE seq = 7")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("d1:0:7");
            }
            try (ResultSet rs = st.executeQuery("SELECT seq FROM sink_cursor WHERE sink = 'redis'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(6);
            }
            try (ResultSet rs = st.executeQuery("SELECT contiguous_seq FROM device_progress WHERE device_id = 'd1'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(7);
            }
        }
    }

    @Test
    void aRegistryAtItsFirstSchemaKeepsItsDevicesAndLearnsFederationIocs() throws Exception {
        Path file = dir.resolve("registry.db");
        String url = "jdbc:sqlite:" + file;
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/registry").target("1").load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO device (device_id, uuid, first_seen, last_seen, status, reason, status_changed_at) "
                    + "VALUES ('sensor-1', 'c0ffee00-0000-4000-8000-000000000001', 1, 2, 'TRUSTED', 'ok', 3)");
        }

        try (DeviceRegistry registry = new DeviceRegistry(DeviceRegistry.openDatabase(file))) {
            assertThat(registry.find("sensor-1")).hasValueSatisfying(d -> {
                assertThat(d.state()).isEqualTo(AttestationState.TRUSTED);
                assertThat(d.firmwareStack()).as("no stack named before V3: the endorsement or aurora-v1 decides").isNull();
            });
            registry.saveRevokedHash("indicator--1", "ab".repeat(32), Instant.EPOCH);
            registry.saveCompromisedDevice("indicator--2", "sensor-9", Instant.EPOCH);
        }
        try (DeviceRegistry reopened = new DeviceRegistry(DeviceRegistry.openDatabase(file))) {
            assertThat(reopened.revokedHashes()).containsExactly("ab".repeat(32));
            assertThat(reopened.namedCompromised("sensor-9")).isTrue();
            assertThat(reopened.compromisingIoc("sensor-9")).contains("indicator--2");
            assertThat(reopened.iocApplied("indicator--1")).isTrue();
            assertThat(reopened.iocApplied("indicator--3")).isFalse();
        }
    }

    @Test
    void openingTwiceAppliesNothingTheSecondTime() {
        Path file = dir.resolve("twice.db");
        Database.open(file);
        Database.open(file);
        String url = "jdbc:sqlite:" + file;
        assertThat(Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").load().info().pending()).isEmpty();
    }
}
