package aurora.edge.bench.sidebyside;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Issue #14's side-by-side bench: starts each system in turn on free ports (bare Moquette with the
 * gateway's broker settings, Mosquitto, nats-server MQTT into JetStream, aurora-edge with Redis and
 * NATS, and aurora-edge pinned to one core), drives each with the same {@link LoadGenerator} in its
 * own JVM, and prints one table with the ratios to bare Moquette; the figures also go to
 * {@code bench/target/sidebyside-<time>.json}. Not a test: nothing is asserted.
 *
 * <p>Run with {@code scripts/bench sidebyside}. Properties: {@code bench.sbs.systems}
 * (moquette,mosquitto,nats,aurora,aurora-pinned), {@code bench.sbs.scenarios}
 * (fleet,sleepy,idle,burst: the burst last, so a forwarding backlog it leaves behind does not load the
 * next scenario), {@code bench.sbs.pinned.scenarios} (fleet,burst), {@code bench.sbs.heap} (256m, the gateway's and
 * bare Moquette's -Xmx), {@code bench.sbs.keep} (keep the run's temp dir: logs, stores), sizes per {@link Scenario}.
 */
public final class SideBySide {
    private static final String GEN_HEAP = "512m";

    private final Path runDir;
    private final String heap = System.getProperty("bench.sbs.heap", "256m");
    private final Path jar = Path.of(System.getProperty("bench.gatewayJar", "gateway/target/aurora-edge-gateway.jar"))
            .toAbsolutePath();
    private final List<Map<String, Object>> rows = new ArrayList<>();

    private SideBySide(Path runDir) {
        this.runDir = runDir;
    }

    public static void main(String[] args) throws Exception {
        int status = 0;
        Path runDir = Files.createTempDirectory("aurora-sbs-");
        try {
            new SideBySide(runDir).run();
            if (!Boolean.getBoolean("bench.sbs.keep")) {
                deleteRecursively(runDir); // JetStream stores and outboxes: hundreds of MB
            }
        } catch (Exception | Error e) {
            System.err.println("side-by-side bench failed: " + e + " (logs and data kept in " + runDir + ")");
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private static void deleteRecursively(Path root) throws java.io.IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void run() throws Exception {
        List<String> systems =
                Tools.list(System.getProperty("bench.sbs.systems", "moquette,mosquitto,nats,aurora,aurora-pinned"));
        List<Scenario> scenarios = new ArrayList<>();
        for (String s : Tools.list(System.getProperty("bench.sbs.scenarios", "fleet,sleepy,idle,burst"))) {
            scenarios.add(Scenario.named(s));
        }
        List<String> pinnedScenarios = Tools.list(System.getProperty("bench.sbs.pinned.scenarios", "fleet,burst"));
        Map<String, Object> box = new LinkedHashMap<>();
        box.put("cores", Runtime.getRuntime().availableProcessors());
        box.put("loadavgAtStart", Files.readString(Path.of("/proc/loadavg")).strip());
        box.put("fsync", Tools.fsync(runDir.resolve("fsync")));
        box.put("versions", Tools.versions());
        box.put("heap", heap);
        box.put("note", System.getProperty("bench.sbs.note", ""));
        System.out.println("box: " + box);
        for (String system : systems) {
            List<Scenario> mine = new ArrayList<>();
            for (Scenario s : scenarios) {
                if (!system.equals("aurora-pinned") || pinnedScenarios.contains(s.name())) {
                    mine.add(s);
                }
            }
            runSystem(system, mine);
        }
        List<Map<String, Object>> config = new ArrayList<>();
        for (Scenario s : scenarios) {
            config.add(Map.of("scenario", s.name(), "load", s.describe()));
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("box", box);
        report.put("scenarios", config);
        report.put("rows", rows);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", java.util.Locale.ROOT)
                .withZone(ZoneOffset.UTC)
                .format(Instant.now());
        Path out = Path.of(System.getProperty("bench.sbs.out", "bench/target"), "sidebyside-" + stamp + ".json");
        ResultJson.write(out, report);
        System.out.println();
        System.out.println(Table.render(box, scenarios, rows));
        System.out.println("JSON: " + out);
    }

    private SystemUnderTest start(String system, Path dir) throws Exception {
        return switch (system) {
            case "moquette" -> BareMoquetteSystem.start(dir, heap);
            case "mosquitto" -> MosquittoSystem.start(dir);
            case "nats" -> NatsMqttSystem.start(dir);
            case "aurora" -> AuroraSystem.start(dir, jar, "");
            case "aurora-pinned" -> AuroraSystem.start(dir, jar, System.getProperty("bench.sbs.pinnedCpu", "0"));
            default ->
                throw new IllegalArgumentException(
                        "unknown system " + system + " (moquette, mosquitto, nats, aurora, aurora-pinned)");
        };
    }

    private void runSystem(String system, List<Scenario> scenarios) throws Exception {
        Path dir = runDir.resolve(system);
        System.out.printf(java.util.Locale.ROOT, "%n== %s ==%n", system);
        try (SystemUnderTest sut = start(system, dir)) {
            for (Scenario s : scenarios) {
                Map<String, Object> row;
                try {
                    row = runScenario(system, sut, s, dir);
                } catch (Exception e) {
                    // one failed scenario (a system that cannot take 10,000 connections, say) is a figure too
                    row = new LinkedHashMap<>();
                    row.put("systemKey", system);
                    row.put("system", sut.name());
                    row.put("scenario", s.name());
                    row.put("error", e.toString());
                }
                rows.add(row);
                System.out.println("  " + s.name() + ": " + ResultJson.COMPACT.writeValueAsString(row));
            }
            long main = sut.processes().values().iterator().next();
            long hwm = ProcStat.peakRssBytes(main);
            for (Map<String, Object> row : rows) {
                if (row.get("systemKey").equals(system)) {
                    row.put("processPeakRssMbLifetime", hwm / 1048576.0);
                }
            }
        }
    }

    private Map<String, Object> runScenario(String system, SystemUnderTest sut, Scenario s, Path dir) throws Exception {
        Path result = dir.resolve("gen-" + s.name() + ".json");
        LoadSpec spec = new LoadSpec(
                "127.0.0.1",
                sut.mqttPort(),
                s.mode(),
                s.devices(),
                s.window(),
                s.rateHz(),
                s.warmup(),
                s.seconds(),
                s.name(),
                sut.siteKeyFile(),
                sut.credentials(),
                sut.durableAcks(),
                32,
                result.toString());
        Map<String, Long> pids = sut.processes();
        Map<String, Long> peakRss = new ConcurrentHashMap<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(
                () -> pids.forEach((name, pid) -> peakRss.merge(name, ProcStat.rssBytes(pid), Math::max)),
                0,
                250,
                TimeUnit.MILLISECONDS);
        long startEpoch = System.currentTimeMillis();
        long measureFromEpoch = startEpoch;
        Map<String, Double> cpuStart = new LinkedHashMap<>();
        Map<String, Double> cpuEnd = new LinkedHashMap<>();
        Map<String, Double> jitStart = new LinkedHashMap<>();
        Map<String, Double> jitEnd = new LinkedHashMap<>();
        Process gen = new ProcessBuilder(LoadGenerator.javaCommand(GEN_HEAP, spec))
                .redirectError(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("gen-" + s.name() + ".log").toFile()))
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(gen.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals("PHASE measure-start")) {
                    measureFromEpoch = System.currentTimeMillis();
                    pids.forEach((name, pid) -> cpuStart.put(name, ProcStat.cpuSeconds(pid)));
                    pids.forEach((name, pid) -> jitStart.put(name, ProcStat.jitCpuSeconds(pid)));
                } else if (line.equals("PHASE measure-end")) {
                    pids.forEach((name, pid) -> cpuEnd.put(name, ProcStat.cpuSeconds(pid)));
                    pids.forEach((name, pid) -> jitEnd.put(name, ProcStat.jitCpuSeconds(pid)));
                }
            }
        } finally {
            if (!gen.waitFor(60, TimeUnit.SECONDS)) {
                gen.destroyForcibly();
            }
            sampler.shutdownNow();
        }
        if (gen.exitValue() != 0 || !Files.exists(result)) {
            throw new IllegalStateException("load generator failed for " + system + "/" + s.name() + ", see "
                    + dir.resolve("gen-" + s.name() + ".log"));
        }
        Map<String, Object> g = ResultJson.read(result);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("systemKey", system);
        row.put("system", sut.name());
        row.put("scenario", s.name());
        row.put("load", s.describe());
        row.put("generator", g);
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpuEnd.forEach((name, end) -> cpu.put(name, end - cpuStart.getOrDefault(name, end)));
        row.put("cpuSecondsMeasured", cpu);
        // of which the JIT compiler threads (0 for a process that is not a JVM)
        Map<String, Object> jit = new LinkedHashMap<>();
        jitEnd.forEach((name, end) -> jit.put(name, end - jitStart.getOrDefault(name, end)));
        row.put("jitCpuSecondsMeasured", jit);
        Map<String, Object> rss = new LinkedHashMap<>();
        pids.keySet().forEach(name -> rss.put(name, peakRss.getOrDefault(name, -1L) / 1048576.0));
        row.put("peakRssMb", rss);
        long pubacks = ((Number) g.get("pubacks")).longValue();
        row.put("sinks", sut.afterScenario(s.name(), s.name(), startEpoch, measureFromEpoch, pubacks));
        return row;
    }
}
