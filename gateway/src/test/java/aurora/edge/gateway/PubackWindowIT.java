package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.testing.GatewayProcess;
import aurora.edge.testing.NatsServerProcess;
import aurora.edge.testing.RedisProbe;
import aurora.edge.testing.RedisServerProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PUBACK window for stock clients, measured: devices that publish at QoS 1, take a PUBACK as
 * "stored" and never resend (stock AuroraSOC firmware does not read the gateway's cumulative ack)
 * load a gateway process, which is killed with SIGKILL mid-load and restarted. Every seq that got a
 * PUBACK must then be in Redis. The test prints the figures that go into {@code bench/README.md}:
 * PUBACKed-but-lost messages, how long before the kill the oldest of them was PUBACKed (the window),
 * and PUBACK latency.
 */
class PubackWindowIT {
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final Path JAR = Path.of("target/aurora-edge-gateway.jar");
    private static final int DEVICES = 8;
    private static final int WINDOW = 32;
    private static final int MAX_MESSAGES = 400_000;
    private static final long ACKED_BEFORE_KILL = 20_000;
    /** Publishes a second per device; 0 (the default) saturates the gateway. {@code -Dpuback.rate=200} measures a steady load. */
    private static final int RATE = Integer.getInteger("puback.rate", 0);

    @TempDir
    Path dir;

    private RedisServerProcess redis;
    private NatsServerProcess nats;
    private GatewayProcess gateway;
    private final List<NeverResendingPublisher> devices = new ArrayList<>();

    @BeforeEach
    void servers() {
        redis = RedisServerProcess.start(RedisServerProcess.Persistence.AOF);
        nats = NatsServerProcess.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (NeverResendingPublisher d : devices) {
            d.close();
        }
        if (gateway != null) gateway.close();
        nats.close();
        redis.close();
    }

    @Test
    void killNineUnderLoadLosesNoMessageThatWasPubacked() throws Exception {
        Figures f = killUnderLoad(Map.of("AURORA_MQTT_PUBACK_AFTER_COMMIT", "true"));
        System.out.println("puback_window mode=after_commit " + f);
        assertThat(f.acked()).as("PUBACKed before the kill, in %s", f).isGreaterThanOrEqualTo(ackedBeforeKill());
        assertThat(f.ackedLost()).as("PUBACKed but not stored, in %s", f).isZero();
    }

    /** The window {@code mqtt.puback_after_commit} closes: with it off, Moquette PUBACKs before the commit and a kill -9 loses PUBACKed messages. */
    @Test
    void withPubackOnReceiptKillNineUnderLoadLosesPubackedMessages() throws Exception {
        Figures f = killUnderLoad(Map.of("AURORA_MQTT_PUBACK_AFTER_COMMIT", "false"));
        System.out.println("puback_window mode=before_commit " + f);
        assertThat(f.ackedLost()).as("PUBACKed but not stored, in %s", f).isPositive();
    }

    private static long ackedBeforeKill() {
        return RATE == 0 ? ACKED_BEFORE_KILL : (long) DEVICES * RATE * 10;
    }

    private Figures killUnderLoad(Map<String, String> extraEnv) throws Exception {
        assertThat(JAR)
                .as("the shaded jar is built by `mvn package` before integration tests")
                .exists();
        int mqttPort = freePort();
        int httpPort = freePort();
        Map<String, String> env = new HashMap<>(Map.of(
                "AURORA_REDIS_URL",
                redis.url(),
                "AURORA_NATS_URL",
                nats.url(),
                "AURORA_MQTT_PORT",
                String.valueOf(mqttPort),
                "AURORA_FORWARD_BACKOFF_MAX",
                "1s",
                "AURORA_GATEWAY_ID",
                "gw-puback",
                "AURORA_INTAKE_MAX_RATE_PER_DEVICE",
                "1000000",
                "AURORA_INTAKE_MAX_BURST_PER_DEVICE",
                "1000000"));
        env.putAll(extraEnv);
        gateway = new GatewayProcess(JAR, dir, httpPort, env, "256m");
        byte[] siteKey = Base64.getDecoder()
                .decode(Files.readString(dir.resolve("site-device.key")).trim());
        for (int i = 0; i < DEVICES; i++) {
            devices.add(NeverResendingPublisher.start(mqttPort, siteKey, "stock-" + i, WINDOW, MAX_MESSAGES, RATE));
        }
        await().atMost(PATIENCE)
                .until(() -> devices.stream()
                                .mapToLong(NeverResendingPublisher::acked)
                                .sum()
                        >= ackedBeforeKill());
        long killedAt = System.nanoTime();
        gateway.kill();
        for (NeverResendingPublisher d : devices) {
            d.close();
        }
        gateway = new GatewayProcess(JAR, dir, httpPort, env, "256m");
        await().atMost(PATIENCE).until(() -> gateway.metric("aurora_forward_backlog", "") == 0);

        Map<String, Set<Integer>> stored =
                await().atMost(PATIENCE).ignoreExceptions().until(this::storedSeqs, m -> true);
        long storedTotal = stored.values().stream().mapToLong(Set::size).sum();
        long acked = 0;
        long sent = 0;
        long lost = 0;
        long oldestLostAckNanos = Long.MAX_VALUE;
        List<Long> latencies = new ArrayList<>();
        for (NeverResendingPublisher d : devices) {
            sent += d.sent();
            latencies.addAll(d.pubackLatencies());
            Set<Integer> inRedis = stored.getOrDefault(d.deviceId(), Set.of());
            for (int seq : d.ackedSeqs()) {
                acked++;
                if (!inRedis.contains(seq)) {
                    lost++;
                    oldestLostAckNanos = Math.min(oldestLostAckNanos, d.ackedAtNanos(seq));
                }
            }
        }
        Collections.sort(latencies);
        double windowMs = lost == 0 ? 0 : (killedAt - oldestLostAckNanos) / 1e6;
        return new Figures(
                RATE,
                sent,
                acked,
                storedTotal,
                lost,
                windowMs,
                percentileMs(latencies, 0.50),
                percentileMs(latencies, 0.99));
    }

    /** Per device, the seqs Redis holds (message ids end in {@code {device}:{boot}:{seq}}). */
    private Map<String, Set<Integer>> storedSeqs() {
        Map<String, Set<Integer>> stored = new HashMap<>();
        try (RedisProbe probe = new RedisProbe(redis.url())) {
            for (RedisProbe.Entry e : probe.entries("aurora:cps:telemetry")) {
                String[] parts = e.fields().get("id").split(":");
                if (parts.length >= 3 && parts[parts.length - 3].startsWith("stock-")) {
                    stored.computeIfAbsent(parts[parts.length - 3], k -> new HashSet<>())
                            .add(Integer.parseInt(parts[parts.length - 1]));
                }
            }
        }
        return stored;
    }

    private static double percentileMs(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }

    /** What one kill under load showed; {@code windowMs} is how long before the kill the oldest lost message was PUBACKed. */
    record Figures(
            int ratePerDevice,
            long sent,
            long acked,
            long stored,
            long ackedLost,
            double windowMs,
            double pubackP50Ms,
            double pubackP99Ms) {
        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "devices=" + DEVICES + " window=" + WINDOW
                            + " rate_per_device=%s sent=%d acked=%d stored=%d acked_lost=%d window_ms=%.1f puback_p50_ms=%.2f puback_p99_ms=%.2f",
                    ratePerDevice == 0 ? "max" : String.valueOf(ratePerDevice),
                    sent,
                    acked,
                    stored,
                    ackedLost,
                    windowMs,
                    pubackP50Ms,
                    pubackP99Ms);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
