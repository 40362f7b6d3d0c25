package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.cli.StatusCommand;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /healthz, /readyz, /metrics and /status on the ops port report what the gateway does. */
class OpsEndpointsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @RegisterExtension
    final GatewayStack stack = GatewayStack.with(Map.of("AURORA_FORWARD_READY_MAX_BACKLOG_AGE", "1s"));

    private TestGateway gw() {
        return stack.gateway();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + gw().gateway().httpPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndReadinessAnswerWhileAllIsWell() throws Exception {
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/readyz").statusCode() == 200);
    }

    @Test
    void metricsAndStatusCountAcceptedMessages() throws Exception {
        String pw = gw().passwordFor("ops-1");
        assertThat(MosquittoClients.publish(
                                gw().mqttPort(), "ops-1", pw, "aurora/sensors/ops-1/telemetry", "{\"seq\":1}", 1)
                        .exitCode())
                .isZero();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> get("/metrics").body().contains("aurora_intake_accepted_total{channel=\"telemetry\""));
        String metrics = get("/metrics").body();
        assertThat(metrics)
                .contains(
                        "aurora_outbox_appended_total",
                        "aurora_forward_backlog",
                        "jvm_memory_used_bytes",
                        "gateway=\"gw-test\"");
        JsonNode status = JSON.readTree(get("/status").body());
        assertThat(status.path("mqttPort").asInt()).isEqualTo(gw().mqttPort());
        assertThat(status.path("accepted").asLong()).isEqualTo(1);
        assertThat(status.path("sinks")).hasSize(2);
        assertThat(StatusCommand.line(gw().gateway().status(), 0)).contains("accepted=1", "redis", "nats");
    }

    @Test
    void theStatusReportSaysWhatTheMetricsSay() throws Exception {
        stack.redis().kill(); // so that the redis sink has a backlog to report
        for (int seq = 1; seq <= 3; seq++) {
            MosquittoClients.publish(
                    gw().mqttPort(),
                    "ops-3",
                    gw().passwordFor("ops-3"),
                    "aurora/sensors/ops-3/telemetry",
                    "{\"seq\":" + seq + "}",
                    1);
        }
        MosquittoClients.publish(
                gw().mqttPort(), "ops-3", gw().passwordFor("ops-3"), "aurora/sensors/ops-3/telemetry", "not json", 1);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> scrape("aurora_intake_rejected_total", "MALFORMED_JSON") == 1
                        && scrape("aurora_forward_backlog", "sink=\"redis\"") >= 3);
        JsonNode status = JSON.readTree(get("/status").body());
        assertThat(status.path("accepted").asDouble()).isEqualTo(scrape("aurora_intake_accepted_total", ""));
        assertThat(status.path("rejected").asDouble()).isEqualTo(scrape("aurora_intake_rejected_total", ""));
        assertThat(status.path("outboxLastSeq").asDouble()).isEqualTo(scrape("aurora_outbox_last_seq", ""));
        for (JsonNode sink : status.path("sinks")) {
            String tag = "sink=\"" + sink.path("name").asText() + "\"";
            assertThat(sink.path("backlog").asDouble()).as(tag).isEqualTo(scrape("aurora_forward_backlog", tag));
            assertThat(sink.path("connected").asBoolean() ? 1.0 : 0.0)
                    .as(tag)
                    .isEqualTo(scrape("aurora_forward_connected", tag));
        }
    }

    /** The sum of the samples of a metric whose lines contain {@code filter}. */
    private double scrape(String name, String filter) throws Exception {
        double sum = 0;
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(name + "{") && line.contains(filter)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    @Test
    void readinessDegradesWhenASinksBacklogGetsOldAndRecovers() throws Exception {
        stack.redis().kill();
        String pw = gw().passwordFor("ops-2");
        assertThat(MosquittoClients.publish(
                                gw().mqttPort(), "ops-2", pw, "aurora/sensors/ops-2/telemetry", "{\"seq\":1}", 1)
                        .exitCode())
                .isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/readyz").statusCode() == 503);
        assertThat(get("/readyz").body()).contains("sink redis", "forward.ready_max_backlog_age");
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        stack.redis().restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/readyz").statusCode() == 200);
    }

    @Test
    void outboxStatusAddsTheRunningGatewaysDrainRateAndTimeToEmpty() throws Exception {
        stack.redis().kill();
        for (int seq = 1; seq <= 3; seq++) {
            MosquittoClients.publish(
                    gw().mqttPort(),
                    "ops-4",
                    gw().passwordFor("ops-4"),
                    "aurora/sensors/ops-4/telemetry",
                    "{\"seq\":" + seq + "}",
                    1);
        }
        // three readings and the device's registration audit event wait for Redis
        await().atMost(Duration.ofSeconds(20)).until(() -> scrape("aurora_forward_backlog", "sink=\"redis\"") >= 3);
        Path config = Files.writeString(
                stack.dataDir().resolve("cli.yaml"),
                "data:\n  dir: " + stack.dataDir() + "\nhttp:\n  port: " + gw().httpPort() + "\n");

        String text = runCli("outbox", "status", "--config", config.toString());
        assertThat(text)
                .containsPattern("sink redis: cursor \\d+, backlog [3-9], oldest undelivered [^,]+, "
                        + "drain 0/s, empty in unknown \\(not draining\\) \\(sink down\\)")
                .doesNotContain("gateway not running");
        JsonNode json = JSON.readTree(runCli("outbox", "status", "--json", "--config", config.toString()));
        assertThat(json.path("gatewayRunning").asBoolean()).isTrue();
        assertThat(json.path("sinks").path("redis").path("backlog").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(json.path("sinks").path("redis").path("etaSeconds").asLong()).isEqualTo(-1);
        assertThat(json.path("sinks").path("redis").has("drainRatePerSecond")).isTrue();
    }

    /** Runs the command line in this JVM and returns what it printed on stdout (the last line, for JSON). */
    private static String runCli(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.commandLine().execute(args)).isZero();
        } finally {
            System.setOut(saved);
        }
        String printed = out.toString(StandardCharsets.UTF_8).trim();
        return args[args.length - 3].equals("--json") ? printed.substring(printed.lastIndexOf('\n') + 1) : printed;
    }
}
