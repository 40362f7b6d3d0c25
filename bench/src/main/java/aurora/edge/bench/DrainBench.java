package aurora.edge.bench;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.outbox.Outbox;
import aurora.edge.gateway.outbox.OutboxLimits;
import aurora.edge.gateway.outbox.PendingEvent;
import aurora.edge.gateway.store.Database;
import aurora.edge.sim.Fleet;
import aurora.edge.sim.FleetSpec;
import aurora.edge.testing.GatewayProcess;
import aurora.edge.testing.NatsServerProcess;
import aurora.edge.testing.RedisProbe;
import aurora.edge.testing.RedisServerProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Prints how fast a large backlog drains: the outbox is filled with {@code bench.backlog}
 * telemetry events (default 1,000,000) as if the sinks had been away, the gateway starts with
 * Redis and NATS down, {@code bench.devices} devices (default 1,000) connect and publish 1 msg/s,
 * and after a warm-up the sinks come back. Reports drain rate per sink, the live publish → durable
 * ack latency before and during the drain, live publish → Redis latency during the drain, outbox
 * file size and RSS. {@code bench.drainMaxRate} sets {@code forward.drain_max_rate} (0 = unpaced;
 * unset: the gateway's default).
 */
public final class DrainBench {
    private static final String[] SINKS = {"redis", "nats"};

    public static void main(String[] args) {
        Harness.exitAfter(DrainBench::bench);
    }

    private static void bench() throws Exception {
        Path jar = Path.of(System.getProperty("bench.gatewayJar", "gateway/target/aurora-edge-gateway.jar"));
        int backlog = Integer.getInteger("bench.backlog", 1_000_000);
        int devices = Integer.getInteger("bench.devices", 1000);
        int warmupSeconds = Integer.getInteger("bench.warmup.seconds", 20);
        String drainMaxRate = System.getProperty("bench.drainMaxRate", "default");
        Path data = Files.createTempDirectory("aurora-drain");
        long fillStart = System.nanoTime();
        prefill(data, backlog);
        System.out.printf(
                Locale.ROOT,
                "%n== drain: backlog %d telemetry events, %d live devices x 1 msg/s, forward.drain_max_rate %s ==%n",
                backlog,
                devices,
                drainMaxRate);
        System.out.printf(
                Locale.ROOT,
                "prefill                %.1f s, outbox file %.1f MiB%n",
                (System.nanoTime() - fillStart) / 1e9,
                fileMiB(data));
        try (RedisServerProcess redis = RedisServerProcess.start();
                NatsServerProcess nats = NatsServerProcess.start()) {
            redis.kill();
            nats.kill();
            Map<String, String> env = new HashMap<>(Map.of(
                    "AURORA_REDIS_URL",
                    redis.url(),
                    "AURORA_NATS_URL",
                    nats.url(),
                    "AURORA_REDIS_MAXLEN",
                    "100000000",
                    "AURORA_GATEWAY_ID",
                    "drain-bench",
                    "AURORA_FORWARD_BACKOFF_MAX",
                    "1s"));
            if (!drainMaxRate.equals("default")) {
                env.put("AURORA_FORWARD_DRAIN_MAX_RATE", drainMaxRate);
            }
            try (GatewayProcess gw = new GatewayProcess(jar, data, Latencies.freePort(), env, "256m")) {
                byte[] key = Base64.getDecoder()
                        .decode(Files.readString(data.resolve("site-device.key"))
                                .trim());
                try (Fleet fleet = Fleet.start(FleetSpec.builder("127.0.0.1", gw.mqttPort(), key)
                        .deviceCount(devices)
                        .idPrefix("live-")
                        .messagesPerSecondPerDevice(1)
                        .alertShare(0.02)
                        .seed(2)
                        .build())) {
                    Thread.sleep(warmupSeconds * 500L); // connect ramp and JIT, not measured
                    fleet.resetLatency();
                    Thread.sleep(warmupSeconds * 500L);
                    Latencies.print(
                            "live publish -> durable ack, sinks away, before the drain",
                            fleet.report().latency());
                    fleet.resetLatency();
                    redis.restart();
                    nats.restart();
                    drain(gw, fleet, data, backlog, devices, redis);
                    fleet.stopPublishing();
                }
            }
        }
    }

    /** Watches the drain until both sinks are caught up with live traffic, then prints the figures. */
    private static void drain(
            GatewayProcess gw, Fleet fleet, Path data, int backlog, int devices, RedisServerProcess redis)
            throws Exception {
        long start = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        double[] drainedAt = {0, 0};
        long peakRss = 0;
        double peakFile = 0;
        while ((drainedAt[0] == 0 || drainedAt[1] == 0)
                && System.nanoTime() - start < Duration.ofMinutes(20).toNanos()) {
            Thread.sleep(1000);
            double elapsed = (System.nanoTime() - start) / 1e9;
            for (int i = 0; i < 2; i++) {
                if (drainedAt[i] == 0
                        && gw.metric("aurora_forward_backlog", "sink=\"" + SINKS[i] + "\"") < devices * 2) {
                    drainedAt[i] = elapsed;
                }
            }
            peakRss = Math.max(peakRss, gw.rssBytes());
            peakFile = Math.max(peakFile, fileMiB(data));
        }
        Latencies.print(
                "live publish -> durable ack during the drain", fleet.report().latency());
        System.out.printf(
                Locale.ROOT, "drain redis            %.0f events/s (%.1f s)%n", backlog / drainedAt[0], drainedAt[0]);
        System.out.printf(
                Locale.ROOT,
                "drain nats             %.0f events/s (%.1f s; telemetry is not federated, so this is cursor speed)%n",
                backlog / drainedAt[1],
                drainedAt[1]);
        System.out.printf(Locale.ROOT, "outbox file (peak)     %.1f MiB%n", peakFile);
        System.out.printf(Locale.ROOT, "gateway RSS (peak)     %.1f MiB%n", peakRss / 1048576.0);
        try (RedisProbe probe = new RedisProbe(redis.url())) {
            long drainEnd = startMillis + (long) (drainedAt[0] * 1000);
            Latencies.print(
                    "live telemetry -> redis during the drain",
                    Latencies.redis(probe, "aurora:cps:telemetry", "live-", startMillis, drainEnd));
            Latencies.print(
                    "live alerts    -> redis during the drain",
                    Latencies.redis(probe, "aurora:cps:alerts", "live-", startMillis, drainEnd));
            Latencies.print(
                    "live alerts    -> redis, sent 5 s or more after the sinks came back",
                    Latencies.redis(probe, "aurora:cps:alerts", "live-", startMillis + 5000, drainEnd));
        }
    }

    /** Fills the outbox through its own API, as if the sinks had been away while devices published. */
    private static void prefill(Path data, int count) throws Exception {
        try (Outbox outbox = new Outbox(
                Database.open(data.resolve("aurora-edge.db")),
                "drain-bench",
                "site-bench",
                List.of("redis", "nats"),
                65_536,
                2000,
                Duration.ofMillis(5),
                OutboxLimits.unbounded(),
                (w, g) -> {},
                new SimpleMeterRegistry(),
                Clock.systemUTC())) {
            byte[] event =
                    ("{\"source\":\"mqtt\",\"severity\":\"info\",\"category\":\"cps\",\"title\":\"telemetry\",\"fields\":"
                                    + "{\"seq\":1,\"boot\":1,\"temp_c\":21.4,\"humidity_pct\":40.2,\"battery_mv\":2950,\"vibration_g\":0.01}}")
                            .getBytes(StandardCharsets.UTF_8);
            for (int i = 1; i <= count; i++) {
                PendingEvent e = new PendingEvent(
                        "backlog-" + (i % 1000),
                        Channel.TELEMETRY,
                        Severity.INFO,
                        new aurora.edge.gateway.device.DevicePosition(1, i / 1000 + 1),
                        Instant.now(),
                        null,
                        id -> event);
                while (!outbox.offer(e)) {
                    Thread.sleep(1);
                }
            }
            outbox.flush(Duration.ofMinutes(5));
        }
    }

    private static double fileMiB(Path data) throws Exception {
        try (Stream<Path> files = Files.list(data)) {
            return files.filter(p -> p.getFileName().toString().startsWith("aurora-edge.db"))
                            .mapToLong(p -> p.toFile().length())
                            .sum()
                    / 1048576.0;
        }
    }
}
