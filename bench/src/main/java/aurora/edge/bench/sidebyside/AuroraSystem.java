package aurora.edge.bench.sidebyside;

import aurora.edge.testing.NatsServerProcess;
import aurora.edge.testing.RedisServerProcess;
import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The packaged gateway jar in its own JVM (the default config: {@code mqtt.puback_after_commit} on,
 * synchronous=FULL, group commit) with a real {@code redis-server} and {@code nats-server}. The JVM runs with the
 * systemd unit's {@code JAVA_OPTS} and environment ({@link ServiceUnit}), then any {@code bench.sbs.gatewayJvmOpts}.
 * Bench-only settings: registration policy {@code open} (simulated ids), the per-device intake
 * rate limit lifted (a burst client publishes thousands a second), and
 * {@code mqtt.max_pending_per_address} raised because every device connects from 127.0.0.1.
 * With {@code pinnedCpu} the JVM runs under {@code taskset -c <cpu>} (a small board's one core).
 */
final class AuroraSystem implements SystemUnderTest {
    static final String TELEMETRY_STREAM = "aurora:cps:telemetry";
    private static final Pattern MQTT_PORT = Pattern.compile("\"mqttPort\":(\\d+)");

    private final RedisServerProcess redis;
    private final NatsServerProcess nats;
    private final ChildProcess gateway;
    private final int mqttPort;
    private final Path dataDir;
    private final String pinnedCpu;

    private AuroraSystem(
            RedisServerProcess redis,
            NatsServerProcess nats,
            ChildProcess gateway,
            int mqttPort,
            Path dataDir,
            String pinnedCpu) {
        this.redis = redis;
        this.nats = nats;
        this.gateway = gateway;
        this.mqttPort = mqttPort;
        this.dataDir = dataDir;
        this.pinnedCpu = pinnedCpu;
    }

    static AuroraSystem start(Path dir, Path jar, String pinnedCpu) throws Exception {
        return start(dir, jar, pinnedCpu, Map.of());
    }

    /** As {@link #start(Path, Path, String)} with more gateway settings ({@code AURORA_*} env, e.g. MQTT-SN's). */
    static AuroraSystem start(Path dir, Path jar, String pinnedCpu, Map<String, String> extraEnv) throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("gateway jar missing: " + jar + " (scripts/bench builds it)");
        }
        RedisServerProcess redis = RedisServerProcess.start();
        NatsServerProcess nats = NatsServerProcess.start();
        try {
            Path data = dir.resolve("data");
            Files.createDirectories(data);
            int httpPort = ChildProcess.freePort();
            List<String> cmd = new ArrayList<>();
            if (!pinnedCpu.isEmpty()) {
                cmd.addAll(List.of(Tools.binary("taskset"), "-c", pinnedCpu));
            }
            cmd.add(ProcStat.javaBinary());
            // the JVM options and environment of the systemd unit, as shipped (heap, GC, stacks, malloc arenas, ...)
            Path state = dir.resolve("state");
            Files.createDirectories(state.resolve("tmp"));
            ServiceUnit unit = ServiceUnit.read(ServiceUnit.UNIT, state);
            cmd.addAll(unit.javaOpts());
            // extra gateway JVM options after the unit's (a later option wins), space-separated (JFR's own options
            // use commas), e.g.
            // -Dbench.sbs.gatewayJvmOpts=-XX:StartFlightRecording=filename=/tmp/gw.jfr,settings=profile
            for (String opt :
                    System.getProperty("bench.sbs.gatewayJvmOpts", "").strip().split("\\s+")) {
                if (!opt.isEmpty()) {
                    cmd.add(opt);
                }
            }
            cmd.addAll(List.of("-jar", jar.toString(), "run"));
            Map<String, String> env = new LinkedHashMap<>(unit.environment());
            env.put("AURORA_DATA_DIR", data.toString());
            env.put("AURORA_MQTT_HOST", "127.0.0.1");
            env.put("AURORA_MQTT_PORT", "0");
            env.put("AURORA_HTTP_PORT", String.valueOf(httpPort));
            env.put("AURORA_REDIS_URL", redis.url());
            env.put("AURORA_NATS_URL", nats.url());
            env.put("AURORA_REDIS_MAXLEN", "100000000");
            env.put("AURORA_GATEWAY_ID", "bench-sbs");
            env.put("AURORA_DEVICES_REGISTRATION_POLICY", "open");
            env.put("AURORA_INTAKE_MAX_RATE_PER_DEVICE", "100000");
            env.put("AURORA_MQTT_MAX_PENDING_PER_ADDRESS", "100000");
            env.putAll(extraEnv);
            // extra gateway settings for experiments, e.g. -Dbench.sbs.gatewayEnv=AURORA_OUTBOX_COMMIT_MAX_DELAY=10ms
            for (String kv : Tools.list(System.getProperty("bench.sbs.gatewayEnv", ""))) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("bench.sbs.gatewayEnv: expected NAME=value, got " + kv);
                }
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            ChildProcess gw = ChildProcess.start("aurora-edge", cmd, dir, env);
            int mqtt = awaitMqttPort(gw, httpPort);
            gw.awaitPort(mqtt, 30);
            return new AuroraSystem(redis, nats, gw, mqtt, data, pinnedCpu);
        } catch (Exception | Error e) {
            nats.close();
            redis.close();
            throw e;
        }
    }

    private static int awaitMqttPort(ChildProcess gw, int httpPort) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!gw.alive()) {
                throw new IllegalStateException("gateway exited: " + gw.tail());
            }
            try {
                String body = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/status"))
                                        .timeout(Duration.ofSeconds(2))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                Matcher m = MQTT_PORT.matcher(body);
                if (m.find() && Integer.parseInt(m.group(1)) > 0) {
                    return Integer.parseInt(m.group(1));
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("gateway did not report its MQTT port: " + gw.tail());
    }

    @Override
    public String name() {
        return pinnedCpu.isEmpty() ? "aurora-edge (durable)" : "aurora-edge pinned (taskset -c " + pinnedCpu + ")";
    }

    @Override
    public int mqttPort() {
        return mqttPort;
    }

    @Override
    public boolean credentials() {
        return true;
    }

    @Override
    public String siteKeyFile() {
        return dataDir.resolve("site-device.key").toString();
    }

    @Override
    public boolean durableAcks() {
        return true;
    }

    @Override
    public Map<String, Long> processes() {
        LinkedHashMap<String, Long> m = new LinkedHashMap<>();
        // with taskset, the pid is taskset's, which exec()s the JVM: the same pid
        m.put("gateway", gateway.pid());
        ProcessHandle.current().descendants().forEach(p -> {
            String command = p.info().command().orElse("");
            // Debian's redis-server is a link to redis-check-rdb, which is what /proc/PID/exe names
            if (command.endsWith("/redis-server") || command.endsWith("/redis-check-rdb")) {
                m.put("redis-server", p.pid());
            } else if (command.endsWith("/nats-server")) {
                m.put("nats-server", p.pid());
            }
        });
        return m;
    }

    /**
     * Waits (up to {@code bench.sbs.redisWaitSeconds}, 60 s) until the telemetry stream holds every message of this scenario that was
     * PUBACKed, then reads them back: how many arrived, and publish (intended send time, the
     * payload's {@code ts}) → XADD (the entry id's millisecond part) percentiles of the messages
     * due in the measured window (after the warm-up).
     */
    @Override
    public Map<String, Object> afterScenario(
            String scenario, String idPrefix, long fromEpochMillis, long measureFromEpochMillis, long pubacked)
            throws Exception {
        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            var redisCmd = c.sync();
            Histogram h = new Histogram(TimeUnit.MINUTES.toMillis(10), 3);
            long delivered = 0;
            long waitStartMillis = System.currentTimeMillis();
            long lastXadd = 0;
            long deadline =
                    System.nanoTime() + TimeUnit.SECONDS.toNanos(Integer.getInteger("bench.sbs.redisWaitSeconds", 60));
            String prefix = idPrefix + "-";
            // Entries are read once each, from where the previous poll stopped (stream ids only grow): re-reading
            // the whole stream every second took the bench and Redis seconds of CPU per poll at a million
            // entries, on the cores the gateway's forwarder was catching up on.
            String from = fromEpochMillis + "-0";
            while (true) {
                while (true) {
                    List<StreamMessage<String, String>> page =
                            redisCmd.xrange(TELEMETRY_STREAM, Range.create(from, "+"), Limit.from(20_000));
                    for (StreamMessage<String, String> e : page) {
                        String id = e.getBody().getOrDefault("id", "");
                        if (!id.substring(id.indexOf(':') + 1).startsWith(prefix)) {
                            continue;
                        }
                        delivered++;
                        long xadd =
                                Long.parseLong(e.getId().substring(0, e.getId().indexOf('-')));
                        lastXadd = Math.max(lastXadd, xadd);
                        JsonNode data = ResultJson.JSON.readTree(e.getBody().getOrDefault("data", "{}"));
                        long ts = data.path("fields").path("ts").asLong();
                        if (ts >= measureFromEpochMillis) {
                            h.recordValue(Math.max(0, xadd - ts));
                        }
                    }
                    if (!page.isEmpty()) {
                        from = "(" + page.get(page.size() - 1).getId();
                    }
                    if (page.size() < 20_000) {
                        break;
                    }
                }
                if (delivered >= pubacked || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(1000);
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("redisDelivered", delivered);
            r.put("redisMissing", Math.max(0, pubacked - delivered));
            // how long after the load stopped the last PUBACKed message reached Redis (its XADD time)
            if (delivered >= pubacked) {
                r.put("redisCaughtUpSeconds", Math.max(0, lastXadd - waitStartMillis) / 1000.0);
            }
            r.put("publishToRedisP50Ms", h.getValueAtPercentile(50));
            r.put("publishToRedisP99Ms", h.getValueAtPercentile(99));
            r.put("publishToRedisMaxMs", h.getMaxValue());
            return r;
        } finally {
            client.shutdown();
        }
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            nats.close();
            redis.close();
        }
    }
}
