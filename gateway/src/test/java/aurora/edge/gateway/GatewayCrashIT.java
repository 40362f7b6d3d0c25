package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.sim.Fleet;
import aurora.edge.sim.FleetSpec;
import aurora.edge.sim.FleetStats;
import aurora.edge.testing.GatewayProcess;
import aurora.edge.testing.NatsServerProcess;
import aurora.edge.testing.RedisProbe;
import aurora.edge.testing.RedisServerProcess;
import java.io.IOException;
import java.net.ServerSocket;
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
 * Power loss: the gateway process is killed with SIGKILL three times while a fleet publishes. The
 * application-level ack watermark makes the devices resend what was not committed, so every
 * message ends up in Redis exactly once and every alert in JetStream exactly once.
 */
class GatewayCrashIT {
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final Path JAR = Path.of("target/aurora-edge-gateway.jar");
    private static final int DEVICES = 20;
    private static final long MESSAGES_PER_DEVICE = 200;

    @TempDir
    Path dir;

    private RedisServerProcess redis;
    private NatsServerProcess nats;
    private GatewayProcess gateway;
    private Fleet fleet;

    @BeforeEach
    void servers() {
        redis = RedisServerProcess.start(RedisServerProcess.Persistence.AOF);
        nats = NatsServerProcess.start();
    }

    @AfterEach
    void stop() {
        if (fleet != null) fleet.close();
        if (gateway != null) gateway.close();
        nats.close();
        redis.close();
    }

    private GatewayProcess startGateway(int mqttPort, int httpPort) throws Exception {
        return new GatewayProcess(
                JAR,
                dir,
                httpPort,
                Map.of(
                        "AURORA_REDIS_URL",
                        redis.url(),
                        "AURORA_NATS_URL",
                        nats.url(),
                        "AURORA_MQTT_PORT",
                        String.valueOf(mqttPort),
                        "AURORA_NATS_ALERT_MIN_SEVERITY",
                        "info",
                        "AURORA_FORWARD_BACKOFF_MAX",
                        "1s",
                        "AURORA_GATEWAY_ID",
                        "gw-crash"),
                "256m");
    }

    @Test
    void threeKillNineCrashesUnderLoadLoseAndDuplicateNothing() throws Exception {
        assertThat(JAR)
                .as("the shaded jar is built by `mvn package` before integration tests")
                .exists();
        int mqttPort = freePort();
        int httpPort = freePort();
        gateway = startGateway(mqttPort, httpPort);
        byte[] siteKey = Base64.getDecoder()
                .decode(Files.readString(dir.resolve("site-device.key")).trim());
        fleet = Fleet.start(FleetSpec.builder("127.0.0.1", mqttPort, siteKey)
                .deviceCount(DEVICES)
                .idPrefix("kill-")
                .messagesPerSecondPerDevice(20)
                .alertShare(0.2)
                .maxMessagesPerDevice(MESSAGES_PER_DEVICE)
                .ringCapacity(1024)
                .seed(3)
                .build());

        for (int crash = 1; crash <= 3; crash++) {
            // 400 more messages under load, or the fleet's last one: a fast gateway may see the fleet finish first.
            long target = Math.min(fleet.stats().sent() + 400, DEVICES * MESSAGES_PER_DEVICE);
            await().atMost(PATIENCE).until(() -> fleet.stats().sent() >= target);
            gateway.kill();
            gateway = startGateway(mqttPort, httpPort);
        }

        await().atMost(PATIENCE).untilAsserted(() -> {
            FleetStats s = fleet.stats();
            assertThat(s.sent()).as("sent, in %s", s).isEqualTo(DEVICES * MESSAGES_PER_DEVICE);
            assertThat(s.unacked()).as("unacked, in %s", s).isZero();
            assertThat(s.droppedOnDevice()).as("dropped, in %s", s).isZero();
        });
        try (RedisProbe probe = new RedisProbe(redis.url())) {
            await().atMost(PATIENCE).until(() -> gateway.metric("aurora_forward_backlog", "") == 0);
            FleetAccounting.assertRedisHoldsEachSentMessageOnce(fleet, probe, "kill-");
            FleetAccounting.assertPerDeviceOrderInRedis(probe, "kill-");
            FleetAccounting.assertJetStreamHoldsEachAlertOnce(probe, nats.probe(), "kill-");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
