package aurora.edge.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * The gateway as it runs in production: its shaded jar in its own JVM with a small heap. Used where
 * the gateway must die for real ({@link #kill()} is SIGKILL: no shutdown hook, no final commit) and
 * by the benchmark, so heap and RSS figures are the gateway's alone.
 */
public final class GatewayProcess implements AutoCloseable {
    private static final Pattern MQTT_PORT = Pattern.compile("\"mqttPort\":(\\d+)");
    private final Process process;
    private final int httpPort;
    private final int mqttPort;
    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * Starts the jar and waits until its ops port reports the bound MQTT port. {@code env} may set
     * {@code AURORA_MQTT_PORT} (a restart must come back on the same port); it defaults to 0.
     */
    public GatewayProcess(Path jar, Path dataDir, int httpPort, Map<String, String> env, String heap) throws Exception {
        this.httpPort = httpPort;
        List<String> cmd =
                new ArrayList<>(List.of("java", "-Xmx" + heap, "-XX:+UseSerialGC", "-jar", jar.toString(), "run"));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dataDir.resolve("gateway.log").toFile()));
        pb.environment().put("AURORA_MQTT_PORT", "0");
        // Load and crash tests use simulated ids without attestation anchors; attestation tests set their own policy.
        pb.environment().put("AURORA_DEVICES_REGISTRATION_POLICY", "open");
        pb.environment().putAll(env);
        pb.environment().put("AURORA_DATA_DIR", dataDir.toString());
        pb.environment().put("AURORA_MQTT_HOST", "127.0.0.1");
        pb.environment().put("AURORA_HTTP_PORT", String.valueOf(httpPort));
        Files.createDirectories(dataDir);
        process = pb.start();
        mqttPort = awaitMqttPort(dataDir);
    }

    private int awaitMqttPort(Path dataDir) {
        int[] port = {0};
        Awaitility.await("gateway ops port answering " + httpPort)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(
                                "gateway exited: " + Files.readString(dataDir.resolve("gateway.log")));
                    }
                    Matcher m = MQTT_PORT.matcher(get("/status"));
                    port[0] = m.find() ? Integer.parseInt(m.group(1)) : 0;
                    return port[0] > 0;
                });
        return port[0];
    }

    public int mqttPort() {
        return mqttPort;
    }

    public String get(String path) throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** Sum of a Prometheus metric's samples whose line starts with {@code name} and contains {@code filter}. */
    public double metric(String name, String filter) throws IOException, InterruptedException {
        double sum = 0;
        for (String line : get("/metrics").split("\n")) {
            if (line.startsWith(name) && line.contains(filter) && !line.startsWith("#")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    public long heapUsedBytes() throws IOException, InterruptedException {
        return (long) metric("jvm_memory_used_bytes", "area=\"heap\"");
    }

    public long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return -1;
    }

    /** SIGKILL: the power-cut case. Whatever was not committed is gone; the devices must resend it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
