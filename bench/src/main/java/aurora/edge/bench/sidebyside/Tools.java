package aurora.edge.bench.sidebyside;

import com.fasterxml.jackson.databind.JsonNode;
import io.moquette.broker.Server;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** The box: binaries, their versions, cores, and how long an fsync takes on the disk the outbox uses. */
final class Tools {
    private Tools() {}

    static String binary(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin:/sbin";
        for (String entry : path.split(":")) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, name))) {
                return Path.of(entry, name).toString();
            }
        }
        throw new IllegalStateException(name + " is not installed: run scripts/install-deps");
    }

    /** The first line of a command's output, or "n/a". */
    static String firstLine(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(20, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("n/a").strip();
        } catch (IOException | RuntimeException e) {
            return "n/a";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "n/a";
        }
    }

    static Map<String, Object> versions() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        v.put("mosquitto", firstLine(binary("mosquitto"), "-h"));
        v.put("nats-server", firstLine(binary("nats-server"), "-v"));
        v.put("redis-server", firstLine(binary("redis-server"), "-v"));
        String moquetteJar = String.valueOf(
                Server.class.getProtectionDomain().getCodeSource().getLocation());
        v.put("moquette", moquetteJar.substring(moquetteJar.lastIndexOf('/') + 1));
        v.put("kernel", firstLine("uname", "-r"));
        v.put("cpu", firstLine("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"));
        return v;
    }

    /** fdatasync latency of 4 KiB sequential writes in {@code dir}: fio when installed, else a Java loop. */
    static Map<String, Object> fsync(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            String fio = binary("fio");
            Process p = new ProcessBuilder(List.of(
                            fio,
                            "--name=fsync",
                            "--directory=" + dir,
                            "--rw=write",
                            "--bs=4k",
                            "--size=8m",
                            "--fdatasync=1",
                            "--ioengine=sync",
                            "--output-format=json"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            JsonNode json = ResultJson.JSON.readTree(p.getInputStream());
            p.waitFor(120, TimeUnit.SECONDS);
            JsonNode pct = json.path("jobs").path(0).path("sync").path("lat_ns").path("percentile");
            if (pct.has("50.000000")) {
                m.put("tool", "fio (4 KiB write + fdatasync, 8 MiB)");
                m.put("p50Us", pct.path("50.000000").asLong() / 1000.0);
                m.put("p99Us", pct.path("99.000000").asLong() / 1000.0);
                m.put(
                        "iops",
                        json.path("jobs").path(0).path("write").path("iops").asDouble());
                return m;
            }
        } catch (IllegalStateException | IOException e) {
            // fio missing or unreadable output: fall through to the Java loop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
        Path file = dir.resolve("fsync.bin");
        ByteBuffer block = ByteBuffer.allocate(4096);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int i = 0; i < 2000; i++) {
                block.clear();
                ch.write(block);
                long t = System.nanoTime();
                ch.force(false);
                h.recordValue((System.nanoTime() - t) / 1000);
            }
        } finally {
            Files.deleteIfExists(file);
        }
        m.put("tool", "Java FileChannel.force(false) after each 4 KiB write, 2,000 times");
        m.put("p50Us", (double) h.getValueAtPercentile(50));
        m.put("p99Us", (double) h.getValueAtPercentile(99));
        return m;
    }

    static List<String> list(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }
}
