package aurora.edge.bench;

import aurora.edge.sim.Fleet;
import aurora.edge.sim.FleetReport;
import aurora.edge.sim.FleetSpec;
import aurora.edge.testing.GatewayProcess;
import aurora.edge.testing.NatsServerProcess;
import aurora.edge.testing.RedisProbe;
import aurora.edge.testing.RedisServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Prints the gateway's figures with real Redis and NATS: a steady fleet (default 1,000 devices at
 * 1 msg/s for 60 s) and a max-rate burst (default 60 s). Not a test: nothing is asserted.
 *
 * <p>Run with {@code make bench}. Sizes: {@code -Dbench.devices=1000 -Dbench.seconds=60
 * -Dbench.burst.devices=100 -Dbench.burst.rate=200 -Dbench.burst.seconds=60 -Dbench.warmup.seconds=10}. Latency
 * percentiles leave out messages of the first warm-up seconds (connect ramp, JIT), and say so.
 */
public final class GatewayBench {
    public static void main(String[] args) {
        Harness.exitAfter(() -> bench(args));
    }

    private static void bench(String[] args) throws Exception {
        Path jar = Path.of(System.getProperty("bench.gatewayJar", "gateway/target/aurora-edge-gateway.jar"));
        String scenario = args.length > 0 ? args[0] : "all";
        try (RedisServerProcess redis = RedisServerProcess.start();
                NatsServerProcess nats = NatsServerProcess.start()) {
            if (scenario.equals("all") || scenario.equals("steady")) {
                run(
                        "steady",
                        jar,
                        redis,
                        nats,
                        Integer.getInteger("bench.devices", 1000),
                        1.0,
                        Integer.getInteger("bench.seconds", 60));
            }
            if (scenario.equals("all") || scenario.equals("burst")) {
                run(
                        "burst",
                        jar,
                        redis,
                        nats,
                        Integer.getInteger("bench.burst.devices", 100),
                        Double.parseDouble(System.getProperty("bench.burst.rate", "200")),
                        Integer.getInteger("bench.burst.seconds", 60));
            }
        }
    }

    private static void run(
            String name,
            Path jar,
            RedisServerProcess redis,
            NatsServerProcess nats,
            int devices,
            double rate,
            int seconds)
            throws Exception {
        Path data = Files.createTempDirectory("aurora-bench-" + name);
        // The burst offers 200 msgs/s per device: above the default per-device rate limit, so it is raised here.
        Map<String, String> env = Map.of(
                "AURORA_REDIS_URL",
                redis.url(),
                "AURORA_NATS_URL",
                nats.url(),
                "AURORA_REDIS_MAXLEN",
                "100000000",
                "AURORA_GATEWAY_ID",
                "bench-" + name,
                "AURORA_INTAKE_MAX_RATE_PER_DEVICE",
                "100000");
        try (GatewayProcess gw = new GatewayProcess(jar, data, Latencies.freePort(), env, "256m")) {
            byte[] key = Base64.getDecoder()
                    .decode(Files.readString(data.resolve("site-device.key")).trim());
            String prefix = name.charAt(0) + "b-";
            long startNanos;
            long startMillis;
            double acceptedBefore = gw.metric("aurora_intake_accepted_total", "");
            long peakHeap = 0;
            long peakRss = 0;
            try (Fleet fleet = Fleet.start(FleetSpec.builder("127.0.0.1", gw.mqttPort(), key)
                    .deviceCount(devices)
                    .idPrefix(prefix)
                    .messagesPerSecondPerDevice(rate)
                    .alertShare(0.05)
                    .duration(Duration.ofSeconds(seconds))
                    .seed(1)
                    .build())) {
                startNanos = System.nanoTime();
                startMillis = System.currentTimeMillis();
                while (!fleet.publishingStopped().isDone()) {
                    Thread.sleep(1000);
                    peakHeap = Math.max(peakHeap, gw.heapUsedBytes());
                    peakRss = Math.max(peakRss, gw.rssBytes());
                }
                FleetReport.Latency ack = fleet.report().latency();
                double elapsed = (System.nanoTime() - startNanos) / 1e9;
                double accepted = gw.metric("aurora_intake_accepted_total", "") - acceptedBefore;
                long drainStart = System.nanoTime();
                long deadline = drainStart + Duration.ofMinutes(5).toNanos();
                while (fleet.stats().unacked() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                while (gw.metric("aurora_forward_backlog", "") > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
                var stats = fleet.stats();
                System.out.printf(
                        Locale.ROOT, "%n== %s: %d devices x %.1f msg/s for %d s ==%n", name, devices, rate, seconds);
                System.out.printf(
                        Locale.ROOT,
                        "sent by fleet          %d (acked %d, unacked %d, left the device ring unacked %d)%n",
                        stats.sent(),
                        stats.acked(),
                        stats.unacked(),
                        stats.droppedOnDevice());
                System.out.printf(Locale.ROOT, "sinks caught up        %.1f s after the fleet stopped%n", drainSeconds);
                System.out.printf(
                        Locale.ROOT,
                        "durably accepted       %.0f msgs/s (%.0f in %.1f s)%n",
                        accepted / elapsed,
                        accepted,
                        elapsed);
                System.out.printf(
                        Locale.ROOT, "gateway heap (peak)    %.1f MiB of 256 MiB max%n", peakHeap / 1048576.0);
                System.out.printf(Locale.ROOT, "gateway RSS (peak)     %.1f MiB%n", peakRss / 1048576.0);
                long measuredFrom = startMillis + Integer.getInteger("bench.warmup.seconds", 10) * 1000L;
                System.out.printf(
                        Locale.ROOT, "latency after a %d s warm-up:%n", Integer.getInteger("bench.warmup.seconds", 10));
                Latencies.print("publish -> durable ack (whole run)", ack);
                Latencies.print("publish -> redis XADD", redisLatency(redis, prefix, measuredFrom));
                Latencies.print("publish -> JetStream ", Latencies.jetStreamAlerts(nats.probe(), prefix, measuredFrom));
            }
        }
    }

    private static Histogram redisLatency(RedisServerProcess redis, String prefix, long measuredFrom)
            throws IOException {
        try (RedisProbe probe = new RedisProbe(redis.url())) {
            Histogram h = Latencies.redis(probe, "aurora:cps:telemetry", prefix, measuredFrom, Long.MAX_VALUE);
            h.add(Latencies.redis(probe, "aurora:cps:alerts", prefix, measuredFrom, Long.MAX_VALUE));
            return h;
        }
    }
}
