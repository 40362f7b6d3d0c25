package aurora.edge.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.DevicePosition;
import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.outbox.Outbox;
import aurora.edge.gateway.outbox.OutboxLimits;
import aurora.edge.gateway.outbox.OutboxReader;
import aurora.edge.gateway.outbox.OutboxRecord;
import aurora.edge.gateway.outbox.PendingEvent;
import aurora.edge.gateway.outbox.Watermark;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.DeviceRegistry;
import aurora.edge.gateway.registry.FederationIoc;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
        Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:db/migration")
                .target("1")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO outbox (seq, message_id, device_id, channel, severity, accepted_at, event) "
                    + "VALUES (7, 'd1:0:7', 'd1', 'ALERT', 'HIGH', 1700000000000, X'7B7D')");
            st.executeUpdate("INSERT INTO sink_cursor (sink, seq) VALUES ('redis', 6)");
            st.executeUpdate(
                    "INSERT INTO device_progress (device_id, boot, contiguous_seq, pending, updated_at) VALUES ('d1', 0, 7, '', 1)");
        }

        Database.open(file);

        MigrationInfo[] applied = Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:db/migration")
                .load()
                .info()
                .applied();
        MigrationInfo[] all = Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:db/migration")
                .load()
                .info()
                .all();
        assertThat(applied).hasSameSizeAs(all);
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
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
    void deviceProgressWrittenBeforeEpochsKeepsItsWatermarkAndItsPendingSeqs() throws Exception {
        Path file = dir.resolve("v3.db");
        String url = "jdbc:sqlite:" + file;
        Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:db/migration")
                .target("3")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            st.executeUpdate(
                    "INSERT INTO device_progress (device_id, boot, contiguous_seq, pending, updated_at) VALUES ('d1', 2, 10, '12,13,15', 1)");
        }
        List<Watermark> acks = new CopyOnWriteArrayList<>();
        try (Outbox outbox = new Outbox(
                Database.open(file),
                "gw1",
                "site1",
                List.of(),
                100,
                10,
                Duration.ofMillis(2),
                OutboxLimits.unbounded(),
                (w, g) -> acks.addAll(w),
                new SimpleMeterRegistry(),
                Clock.systemUTC())) {
            for (long seq : new long[] {12, 11, 14}) {
                outbox.offer(new PendingEvent(
                        "d1",
                        Channel.TELEMETRY,
                        Severity.INFO,
                        new DevicePosition(2, seq),
                        Instant.now(),
                        null,
                        id -> id.getBytes(StandardCharsets.UTF_8)));
            }
            assertThat(outbox.flush(Duration.ofSeconds(10))).isTrue();
            try (OutboxReader reader = outbox.openReader()) {
                // 12 was committed before the upgrade (a resend now); 11 and 14 fill the holes, without a rewind epoch.
                assertThat(reader.after(0, 10))
                        .extracting(OutboxRecord::messageId)
                        .containsExactly("site1:d1:2:11", "site1:d1:2:14");
            }
        }
        assertThat(acks).last().isEqualTo(new Watermark("d1", 2, 15));
    }

    @Test
    void aRegistryAtItsFirstSchemaKeepsItsDevicesAndLearnsFederationIocs() throws Exception {
        Path file = dir.resolve("registry.db");
        String url = "jdbc:sqlite:" + file;
        Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:db/registry")
                .target("1")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            st.executeUpdate(
                    "INSERT INTO device (device_id, uuid, first_seen, last_seen, status, reason, status_changed_at) "
                            + "VALUES ('sensor-1', 'c0ffee00-0000-4000-8000-000000000001', 1, 2, 'TRUSTED', 'ok', 3)");
        }

        try (DeviceRegistry registry = new DeviceRegistry(DeviceRegistry.openDatabase(file))) {
            assertThat(registry.find("sensor-1")).hasValueSatisfying(d -> {
                assertThat(d.state()).isEqualTo(AttestationState.TRUSTED);
                assertThat(d.firmwareStack())
                        .as("no stack named before V4: the endorsement or aurora-v1 decides")
                        .isNull();
            });
            registry.saveIoc(new FederationIoc(
                    "indicator--1",
                    FederationIoc.Kind.FIRMWARE_HASH,
                    "ab".repeat(32),
                    FederationIoc.State.ACTIVE,
                    null,
                    Instant.EPOCH,
                    Instant.EPOCH,
                    null));
            registry.saveIoc(new FederationIoc(
                    "indicator--2",
                    FederationIoc.Kind.DEVICE_ID,
                    "sensor-9",
                    FederationIoc.State.ACTIVE,
                    Instant.parse("2030-01-01T00:00:00Z"),
                    Instant.EPOCH,
                    Instant.EPOCH,
                    null));
            registry.saveIoc(new FederationIoc(
                    "indicator--4",
                    FederationIoc.Kind.DEVICE_ID,
                    "sensor-8",
                    FederationIoc.State.WITHDRAWN,
                    null,
                    Instant.EPOCH,
                    Instant.EPOCH,
                    Instant.EPOCH.plusSeconds(60)));
        }
        try (DeviceRegistry reopened = new DeviceRegistry(DeviceRegistry.openDatabase(file))) {
            assertThat(reopened.revokedHashes()).containsExactly("ab".repeat(32));
            assertThat(reopened.namedCompromised("sensor-9")).isTrue();
            assertThat(reopened.compromisingIoc("sensor-9")).contains("indicator--2");
            assertThat(reopened.ioc("indicator--2"))
                    .hasValueSatisfying(i -> assertThat(i.validUntil()).isEqualTo("2030-01-01T00:00:00Z"));
            assertThat(reopened.namedCompromised("sensor-8"))
                    .as("a withdrawn indicator holds nothing")
                    .isFalse();
            assertThat(reopened.ioc("indicator--4")).isPresent();
            assertThat(reopened.ioc("indicator--3")).isEmpty();
            reopened.forgetIocs(java.util.List.of("indicator--4"));
            assertThat(reopened.iocCount()).isEqualTo(2);
        }
    }

    @Test
    void indicatorsAppliedBeforeTheirLifecycleWasKeptStayActive() throws Exception {
        Path file = dir.resolve("registry-v2.db");
        String url = "jdbc:sqlite:" + file;
        Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:db/registry")
                .target("2")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            st.executeUpdate(
                    "INSERT INTO federation_ioc (ioc_id, kind, value, applied_at) VALUES ('indicator--old', 'DEVICE_ID', 'sensor-7', 5)");
        }
        try (DeviceRegistry registry = new DeviceRegistry(DeviceRegistry.openDatabase(file))) {
            assertThat(registry.ioc("indicator--old")).hasValueSatisfying(i -> {
                assertThat(i.state()).isEqualTo(FederationIoc.State.ACTIVE);
                assertThat(i.changedAt()).isEqualTo(Instant.ofEpochMilli(5));
                assertThat(i.validUntil()).isNull();
            });
            assertThat(registry.namedCompromised("sensor-7")).isTrue();
        }
    }

    @Test
    void aDeviceStoredStaleByAttestationBeforeTheRenameIsUnresponsiveAndOnline() throws Exception {
        Path file = dir.resolve("registry-v4.db");
        String url = "jdbc:sqlite:" + file;
        Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:db/registry")
                .target("4")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            st.executeUpdate(
                    "INSERT INTO device (device_id, uuid, first_seen, last_seen, status, reason, quarantined, status_changed_at) "
                            + "VALUES ('sensor-1', 'c0ffee00-0000-4000-8000-000000000001', 1, 2, 'STALE', 'no_answer', 1, 3)");
            st.executeUpdate("INSERT INTO attest_verdict (device_id, request_id, status, reason, detail, at) "
                    + "VALUES ('sensor-1', NULL, 'STALE', 'no_answer', 'no answer after 3 challenges', 3)");
        }
        try (DeviceRegistry registry = new DeviceRegistry(DeviceRegistry.openDatabase(file))) {
            assertThat(registry.find("sensor-1")).hasValueSatisfying(d -> {
                assertThat(d.state()).isEqualTo(AttestationState.UNRESPONSIVE);
                assertThat(d.quarantined()).isTrue();
            });
            assertThat(registry.history("sensor-1", 5))
                    .singleElement()
                    .satisfies(v -> assertThat(v.status()).isEqualTo("UNRESPONSIVE"));
            assertThat(registry.health("sensor-1"))
                    .as("no health judged before V5: online until the health check says otherwise")
                    .isEqualTo(aurora.edge.gateway.device.Health.ONLINE);
        }
        assertThat(AttestationState.parse("STALE"))
                .as("a value stored under the old name is still read")
                .isEqualTo(AttestationState.UNRESPONSIVE);
    }

    @Test
    void openingTwiceAppliesNothingTheSecondTime() {
        Path file = dir.resolve("twice.db");
        Database.open(file);
        Database.open(file);
        String url = "jdbc:sqlite:" + file;
        assertThat(Flyway.configure()
                        .dataSource(url, null, null)
                        .locations("classpath:db/migration")
                        .load()
                        .info()
                        .pending())
                .isEmpty();
    }
}
