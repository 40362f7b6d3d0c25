package aurora.edge.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.gateway.audit.AuditLog;
import aurora.edge.gateway.audit.GatewayAlerts;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.Health;
import aurora.edge.gateway.outbox.Outbox;
import aurora.edge.gateway.outbox.OutboxLimits;
import aurora.edge.gateway.outbox.OutboxReader;
import aurora.edge.gateway.outbox.OutboxRecord;
import aurora.edge.gateway.registry.Device;
import aurora.edge.gateway.registry.DeviceRegistry;
import aurora.edge.gateway.store.Database;
import aurora.edge.testing.TestDevices;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The health check on a clock the test moves: a real registry and outbox (SQLite in a temp
 * directory), the events read back from the outbox as the forwarders would send them.
 */
class DeviceHealthTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final GatewayConfig.HealthCheck CONFIG =
            new GatewayConfig.HealthCheck(Duration.ofMinutes(10), Duration.ofMinutes(60), Duration.ofSeconds(30));

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(T0);
    private final Map<String, Instant> heard = new ConcurrentHashMap<>();
    private Outbox outbox;
    private DeviceRegistry registry;
    private DeviceHealth health;

    @BeforeEach
    void open() {
        outbox = new Outbox(
                Database.open(dir.resolve("o.db")),
                "gw1",
                "site1",
                List.of(),
                10_000,
                100,
                Duration.ofMillis(2),
                OutboxLimits.unbounded(),
                (w, g) -> {},
                new SimpleMeterRegistry(),
                clock);
        registry = new DeviceRegistry(DeviceRegistry.openDatabase(dir.resolve("registry.db")));
        registry.save(device("sensor-1"));
        registry.save(device("sensor-2"));
        health = healthCheck();
    }

    @AfterEach
    void close() {
        registry.close();
        outbox.close();
    }

    private DeviceHealth healthCheck() {
        var identity = new GatewayConfig.Identity("gw1", "site1");
        var meters = new SimpleMeterRegistry();
        return new DeviceHealth(
                CONFIG,
                registry,
                d -> heard.getOrDefault(d.deviceId(), d.lastSeen()),
                new AuditLog(
                        outbox, identity, new GatewayConfig.AuditVolume(600, Duration.ofSeconds(10)), clock, meters),
                new GatewayAlerts(outbox, identity, clock, meters),
                clock,
                meters);
    }

    private static Device device(String id) {
        return TestDevices.registered(id, T0);
    }

    /** Moves the clock, with sensor-2 sending a heartbeat every 5 minutes on the way. */
    private void pass(Duration step) {
        clock.advance(step);
        heard.put("sensor-2", clock.instant());
        health.check();
    }

    @Test
    void aSilentDeviceIsStaleAfterTenMinutesAndOfflineAfterSixtyWithOneEventEachAndBackOnlineWhenHeard()
            throws Exception {
        for (int minute = 5; minute <= 180; minute += 5) {
            pass(Duration.ofMinutes(5));
            if (minute == 5) {
                assertThat(registry.health("sensor-1")).isEqualTo(Health.ONLINE);
            }
            if (minute == 10) {
                assertThat(registry.health("sensor-1")).isEqualTo(Health.STALE);
            }
        }
        assertThat(registry.health("sensor-1")).isEqualTo(Health.OFFLINE);
        assertThat(registry.health("sensor-2")).isEqualTo(Health.ONLINE);
        heard.put("sensor-1", clock.instant());
        pass(Duration.ofSeconds(30));
        pass(Duration.ofSeconds(30));
        assertThat(registry.health("sensor-1")).isEqualTo(Health.ONLINE);

        assertThat(alerts())
                .extracting(e -> e.path("device_id").asText() + " "
                        + e.path("fields").path("code").asText() + " "
                        + e.path("severity").asText() + " " + e.path("source").asText() + "/"
                        + e.path("category").asText())
                .containsExactly(
                        "sensor-1 DEVICE_STALE medium mqtt/cps",
                        "sensor-1 DEVICE_OFFLINE critical mqtt/cps",
                        "sensor-1 DEVICE_BACK_ONLINE info mqtt/cps");
        JsonNode offline = alerts().get(1);
        assertThat(offline.path("fields").path("last_seen").asText()).isEqualTo(T0.toString());
        assertThat(offline.path("fields").path("previous_health").asText()).isEqualTo("stale");
        assertThat(offline.path("fields").path("offline_after_s").asLong()).isEqualTo(3600);
        assertThat(offline.path("correlation_type").asText()).isEqualTo("COMMUNICATION_ANOMALY");
        assertThat(alerts().get(2).has("correlation_type")).isFalse();
        assertThat(audits()).containsExactly("DEVICE_STALE", "DEVICE_OFFLINE", "DEVICE_BACK_ONLINE");
    }

    @Test
    void aRestartNeitherAlertsAgainAboutAnOfflineDeviceNorCallsTheSilentFleetOfflineAtOnce() throws Exception {
        for (int minute = 5; minute <= 60; minute += 5) {
            pass(Duration.ofMinutes(5));
        }
        assertThat(registry.health("sensor-1")).isEqualTo(Health.OFFLINE);
        registry.save(device("sensor-3").withLastSeen(clock.instant()));

        // Down for a day, then up again on the same registry.db.
        registry.close();
        clock.advance(Duration.ofDays(1));
        registry = new DeviceRegistry(DeviceRegistry.openDatabase(dir.resolve("registry.db")));
        health = healthCheck();
        assertThat(registry.health("sensor-1")).isEqualTo(Health.OFFLINE);
        pass(Duration.ofMinutes(5));
        assertThat(registry.health("sensor-3"))
                .as("silent since before the restart, but the gateway was not listening")
                .isEqualTo(Health.ONLINE);
        for (int minute = 10; minute <= 120; minute += 5) {
            pass(Duration.ofMinutes(5));
        }
        assertThat(registry.health("sensor-1")).isEqualTo(Health.OFFLINE);
        assertThat(registry.health("sensor-3")).isEqualTo(Health.OFFLINE);
        assertThat(alerts())
                .extracting(e -> e.path("device_id").asText() + " "
                        + e.path("fields").path("code").asText())
                .containsExactly(
                        "sensor-1 DEVICE_STALE",
                        "sensor-1 DEVICE_OFFLINE",
                        "sensor-3 DEVICE_STALE",
                        "sensor-3 DEVICE_OFFLINE");
    }

    @Test
    void aPassChangesNothingForADeviceThatKeepsSendingHeartbeats() throws Exception {
        for (int minute = 5; minute <= 240; minute += 5) {
            pass(Duration.ofMinutes(5));
        }
        assertThat(registry.health("sensor-2")).isEqualTo(Health.ONLINE);
        assertThat(registry.healthMark("sensor-2")).isEmpty();
        assertThat(alerts()).noneMatch(e -> e.path("device_id").asText().equals("sensor-2"));
    }

    @Test
    void whenAWholeFleetGoesQuietAtOnceEachPassReportsABoundedShareAndTheNextPassesTheRest() throws Exception {
        int fleet = DeviceHealth.MAX_TRANSITIONS_PER_PASS + 500;
        for (int i = 0; i < fleet; i++) {
            registry.save(device("quiet-" + i));
        }
        clock.advance(Duration.ofMinutes(11));
        health.check();
        assertThat(registry.countsByHealth().get(Health.STALE)).isEqualTo(DeviceHealth.MAX_TRANSITIONS_PER_PASS);
        health.check();
        assertThat(registry.countsByHealth().get(Health.STALE)).isEqualTo(fleet + 2L);
        health.check();
        assertThat(alerts()).hasSize(fleet + 2);
    }

    private List<OutboxRecord> records() throws InterruptedException {
        assertThat(outbox.flush(Duration.ofSeconds(10))).isTrue();
        try (OutboxReader reader = outbox.openReader()) {
            return reader.after(0, 10_000);
        }
    }

    private List<JsonNode> alerts() throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        for (OutboxRecord r : records()) {
            if (r.channel() == Channel.ALERT) {
                out.add(read(r.event()));
            }
        }
        return out;
    }

    private List<String> audits() throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (OutboxRecord r : records()) {
            if (r.channel() == Channel.AUDIT) {
                out.add(read(r.event()).path("fields").path("code").asText());
            }
        }
        return out;
    }

    private static JsonNode read(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
