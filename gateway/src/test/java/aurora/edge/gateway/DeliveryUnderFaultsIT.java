package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.sim.Fleet;
import aurora.edge.sim.FleetSpec;
import aurora.edge.sim.FleetStats;
import aurora.edge.testing.NatsServerProcess;
import aurora.edge.testing.RedisProbe;
import aurora.edge.testing.RedisServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated fleet publishes while Redis, NATS or the gateway itself goes away and comes back.
 * Afterwards every message the fleet sent is in Redis exactly once, every alert in JetStream
 * exactly once, each device's messages in order.
 */
class DeliveryUnderFaultsIT {
    /** The soak run (`make soak`) holds each outage this long; CI uses the minimum that still makes a backlog. */
    private static final Duration OUTAGE = Duration.parse(System.getProperty("aurora.soak.outage", "PT0S"));

    private static final Duration PATIENCE = Duration.ofSeconds(90).plus(OUTAGE);
    private static final int DEVICES = 20;
    private static final long MESSAGES_PER_DEVICE = 60 + 10 * OUTAGE.toSeconds();

    @TempDir
    Path dir;

    private RedisServerProcess redis;
    private NatsServerProcess nats;
    private TestGateway gw;
    private RedisProbe redisProbe;
    private Fleet fleet;

    @BeforeEach
    void start() {
        redis = RedisServerProcess.start(RedisServerProcess.Persistence.AOF);
        nats = NatsServerProcess.start();
        gw = new TestGateway(
                        dir.resolve("gw"), redis.url(), nats.url(), Map.of("AURORA_NATS_ALERT_MIN_SEVERITY", "info"))
                .start();
        redisProbe = new RedisProbe(redis.url());
    }

    @AfterEach
    void stop() {
        if (fleet != null) fleet.close();
        gw.close();
        redisProbe.close();
        nats.close();
        redis.close();
    }

    private Fleet startFleet(String prefix) throws Exception {
        byte[] siteKey =
                Base64.getDecoder().decode(Files.readString(gw.siteKeyFile()).trim());
        fleet = Fleet.start(FleetSpec.builder("127.0.0.1", gw.mqttPort(), siteKey)
                .deviceCount(DEVICES)
                .idPrefix(prefix)
                .messagesPerSecondPerDevice(10)
                .alertShare(0.2)
                .maxMessagesPerDevice(MESSAGES_PER_DEVICE)
                .seed(7)
                .build());
        return fleet;
    }

    private void awaitEverythingAcked() {
        await().atMost(PATIENCE).until(() -> fleet.publishingStopped().isDone());
        await().atMost(PATIENCE).untilAsserted(() -> {
            FleetStats s = fleet.stats();
            assertThat(s.sent()).as("sent, in %s", s).isEqualTo(DEVICES * MESSAGES_PER_DEVICE);
            assertThat(s.unacked()).as("unacked, in %s", s).isZero();
        });
        assertThat(fleet.stats().droppedOnDevice()).isZero();
    }

    private void awaitDelivered(String prefix) {
        long expected = DEVICES * MESSAGES_PER_DEVICE;
        await().atMost(PATIENCE)
                .until(() -> redisProbe.entries("aurora:cps:telemetry").stream()
                                        .filter(e -> FleetAccounting.withoutSite(
                                                        e.fields().get("id"))
                                                .startsWith(prefix))
                                        .count()
                                + redisProbe.entries("aurora:cps:alerts").stream()
                                        .filter(e -> FleetAccounting.withoutSite(
                                                        e.fields().get("id"))
                                                .startsWith(prefix))
                                        .count()
                        >= expected);
        await().atMost(PATIENCE)
                .until(() -> gw.gateway().status().sinks().stream().allMatch(s -> s.backlog() == 0));
        FleetAccounting.assertRedisHoldsEachSentMessageOnce(fleet, redisProbe, prefix);
        FleetAccounting.assertPerDeviceOrderInRedis(redisProbe, prefix);
        FleetAccounting.assertJetStreamHoldsEachAlertOnce(redisProbe, nats.probe(), prefix);
    }

    @Test
    void redisKilledAndRestartedLosesAndDuplicatesNothing() throws Exception {
        startFleet("rk-");
        await().atMost(PATIENCE).until(() -> redisProbe.xlen("aurora:cps:telemetry") > 50);
        redis.kill();
        double acceptedAtKill = gw.metric("aurora_intake_accepted");
        await().atMost(PATIENCE)
                .pollDelay(OUTAGE)
                .until(() -> gw.metric("aurora_intake_accepted") > acceptedAtKill + 200);
        assertThat(gw.gateway().status().sinks())
                .filteredOn(s -> s.name().equals("redis"))
                .allMatch(s -> s.backlog() > 0);
        redis.restart();
        awaitEverythingAcked();
        awaitDelivered("rk-");
    }

    @Test
    void natsKilledAndRestartedLosesAndDuplicatesNothing() throws Exception {
        startFleet("nk-");
        await().atMost(PATIENCE).until(() -> nats.probe().count("AURORA") > 5);
        nats.kill();
        double acceptedAtKill = gw.metric("aurora_intake_accepted");
        await().atMost(PATIENCE)
                .pollDelay(OUTAGE)
                .until(() -> gw.metric("aurora_intake_accepted") > acceptedAtKill + 200);
        assertThat(redisProbe.xlen("aurora:cps:telemetry"))
                .as("redis keeps flowing while nats is down")
                .isPositive();
        nats.restart();
        awaitEverythingAcked();
        awaitDelivered("nk-");
    }

    @Test
    void gatewayRestartedMidStreamLosesAndDuplicatesNothing() throws Exception {
        startFleet("gr-");
        await().atMost(PATIENCE).until(() -> gw.metric("aurora_intake_accepted") > 300);
        int port = gw.mqttPort();
        gw.restartOnPort(port);
        awaitEverythingAcked();
        assertThat(fleet.stats().connectionLosses()).isPositive();
        awaitDelivered("gr-");
    }
}
