package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console's side of the ops port, without a browser: the pages and their headers, the paged
 * fleet, live traces and battery readings, the pipeline samples and the masked configuration, and
 * the rule that a browser may not write while {@code http.console_writes} is false (nor ever from
 * another site's page). Real gateway, Redis, NATS and {@code mosquitto_pub}.
 */
class ConsoleEndpointsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    final GatewayStack stack = GatewayStack.with(Map.of("AURORA_REDIS_URL", "redis://console:hunter2@127.0.0.1:1"));

    private TestGateway gw() {
        return stack.gateway();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw().httpPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw().httpPort() + path))
                .header(
                        "Authorization",
                        "Bearer "
                                + Files.readString(stack.dataDir().resolve("ops.token"))
                                        .trim())
                .header("X-Aurora-Operator", "tester")
                .POST(HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::setHeader);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void publish(String id, String payload) {
        assertThat(MosquittoClients.publish(
                                gw().mqttPort(),
                                id,
                                gw().passwordFor(id),
                                "aurora/sensors/" + id + "/telemetry",
                                payload,
                                1)
                        .exitCode())
                .isZero();
    }

    @Test
    void thePagesAreServedFromTheJarWithAPolicyThatRunsOnlyTheirOwnScript() throws Exception {
        HttpResponse<String> index = get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(index.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp)
                        .contains("script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
                        .doesNotContain("unsafe"));
        assertThat(index.body()).contains("/console.js", "/console.css").doesNotContain("http://", "https://");
        assertThat(get("/console.js").body()).contains("'use strict'");
        assertThat(get("/console.css").statusCode()).isEqualTo(200);
        assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
        assertThat(get("/pipeline/more").statusCode()).isEqualTo(404);
    }

    @Test
    void theFleetIsServedOnePageAtATimeQuarantinedFirstWithCountsPerStateAndTheLatestBattery() throws Exception {
        for (String id : new String[] {"c-alpha", "c-bravo", "c-charlie", "c-delta"}) {
            publish(id, "{\"seq\":1,\"boot\":1,\"battery_mv\":2900,\"temp_c\":20}");
        }
        await().atMost(WAIT).until(() -> gw().gateway().devices().size() == 4);
        assertThat(post("/devices/c-charlie/quarantine", Map.of()).statusCode()).isEqualTo(200);

        JsonNode page = JSON.readTree(get("/devices?page=0&size=2").body());
        assertThat(page.path("total").asInt()).isEqualTo(4);
        assertThat(page.path("matched").asInt()).isEqualTo(4);
        assertThat(page.path("counts").path("quarantined").asLong()).isEqualTo(1);
        assertThat(page.path("counts").path("pending").asLong()).isEqualTo(3);
        assertThat(page.path("devices")).hasSize(2);
        assertThat(page.path("devices").get(0).path("device_id").asText()).isEqualTo("c-charlie");
        assertThat(page.path("devices").get(1).path("device_id").asText()).isEqualTo("c-alpha");
        await().atMost(WAIT)
                .until(() -> JSON.readTree(get("/devices/c-alpha").body())
                                .path("battery_mv")
                                .asInt()
                        == 2900);

        JsonNode second = JSON.readTree(get("/devices?page=1&size=2").body());
        assertThat(second.path("devices"))
                .extracting(d -> d.path("device_id").asText())
                .containsExactly("c-bravo", "c-delta");
        JsonNode filtered = JSON.readTree(get("/devices?state=pending&q=BRA").body());
        assertThat(filtered.path("matched").asInt()).isEqualTo(1);
        assertThat(filtered.path("devices").get(0).path("device_id").asText()).isEqualTo("c-bravo");
        assertThat(get("/devices?state=nonsense").statusCode()).isEqualTo(400);
        assertThat(get("/devices?size=100000").statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(get("/devices").body()).isArray())
                .as("without a query, the list the CLI always read")
                .isTrue();
    }

    @Test
    void aTraceStartedByAnOperatorRecordsWhatTheDeviceSentAndWhatWasDecidedAndNothingBeforeIt() throws Exception {
        String id = "c-traced";
        publish(id, "{\"seq\":1,\"boot\":1,\"temp_c\":20}");
        await().atMost(WAIT).until(() -> gw().gateway().devices().find(id).isPresent());
        assertThat(JSON.readTree(get("/devices/" + id + "/trace").body())
                        .path("active")
                        .asBoolean())
                .isFalse();
        assertThat(post("/devices/" + id + "/trace", Map.of("Authorization", "Bearer wrong"))
                        .statusCode())
                .isEqualTo(403);

        HttpResponse<String> started = post("/devices/" + id + "/trace", Map.of());
        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(started.body()).path("started_by").asText()).isEqualTo("tester");
        publish(id, "{\"seq\":2,\"boot\":1,\"temp_c\":21.5}");
        publish(id, "{not json");
        await().atMost(WAIT)
                .until(() -> JSON.readTree(get("/devices/" + id + "/trace").body())
                                .path("recorded")
                                .asInt()
                        == 2);
        JsonNode trace = JSON.readTree(get("/devices/" + id + "/trace").body());
        assertThat(trace.path("active").asBoolean()).isTrue();
        JsonNode rejected = event(trace, "rejected");
        JsonNode accepted = event(trace, "accepted");
        assertThat(rejected.path("decision").asText()).isEqualTo("rejected");
        assertThat(rejected.path("why").asText()).startsWith("MALFORMED_JSON");
        assertThat(accepted.path("decision").asText()).isEqualTo("accepted");
        assertThat(accepted.path("topic").asText()).isEqualTo("aurora/sensors/" + id + "/telemetry");
        assertThat(accepted.path("payload").asText()).contains("\"temp_c\":21.5");
        assertThat(get("/devices/nobody/trace").statusCode()).isEqualTo(404);
    }

    private static JsonNode event(JsonNode trace, String decision) {
        for (JsonNode e : trace.path("events")) {
            if (e.path("decision").asText().equals(decision)) {
                return e;
            }
        }
        throw new AssertionError("no " + decision + " event in " + trace);
    }

    @Test
    void aBrowserMayNotWriteWhileTheConsoleIsReadOnlyButTheCommandLineMay() throws Exception {
        publish("c-ro", "{\"seq\":1,\"boot\":1}");
        await().atMost(WAIT).until(() -> gw().gateway().devices().find("c-ro").isPresent());
        String origin = "http://127.0.0.1:" + gw().httpPort();
        HttpResponse<String> fromPage = post("/devices/c-ro/quarantine", Map.of("Origin", origin));
        assertThat(fromPage.statusCode()).isEqualTo(403);
        assertThat(fromPage.body()).contains("http.console_writes");
        assertThat(post("/devices/c-ro/trace", Map.of("Sec-Fetch-Site", "same-origin"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(gw().gateway().devices().find("c-ro").orElseThrow().quarantined())
                .isFalse();
        assertThat(post("/devices/c-ro/quarantine", Map.of()).statusCode()).isEqualTo(200);

        // The incident report: the device's audit trail as JSON lines, written by `export`.
        java.nio.file.Path config = Files.writeString(
                stack.dataDir().resolveSibling("export.yaml"), "data:\n  dir: " + stack.dataDir() + "\n");
        java.nio.file.Path report = stack.dataDir().resolveSibling("c-ro.jsonl");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(Main.commandLine()
                            .execute(
                                    "export",
                                    "--since",
                                    "1h",
                                    "--device",
                                    "c-ro",
                                    "--config",
                                    config.toString(),
                                    "--out",
                                    report.toString()))
                    .isZero();
            assertThat(Files.readAllLines(report))
                    .anySatisfy(line -> assertThat(JSON.readTree(line)
                                    .path("fields")
                                    .path("code")
                                    .asText())
                            .isEqualTo("DEVICE_QUARANTINED_BY_OPERATOR"));
        });
        // A long export shows how far it is; the last line always comes.
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream progress = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(progress, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(Main.commandLine()
                            .execute(
                                    "export",
                                    "--device",
                                    "c-ro",
                                    "--config",
                                    config.toString(),
                                    "--out",
                                    report.toString()))
                    .isZero();
        } finally {
            System.setErr(stderr);
        }
        assertThat(progress.toString(java.nio.charset.StandardCharsets.UTF_8))
                .containsPattern("export: (\\d+)/\\1 events \\(100%\\), [0-9.]+ events/s, done in \\d+s");
        assertThat(Files.readAllLines(report))
                .allSatisfy(
                        line -> assertThat(JSON.readTree(line).path("device_id").asText())
                                .isEqualTo("c-ro"));
    }

    @Test
    void thePipelineKeepsSamplesWithTheOutboxCapsAndTheConfigurationIsMasked() throws Exception {
        await().atMost(WAIT)
                .until(() ->
                        JSON.readTree(get("/pipeline").body()).path("samples").size() >= 1);
        JsonNode pipeline = JSON.readTree(get("/pipeline").body());
        assertThat(pipeline.path("interval_seconds").asInt()).isEqualTo(5);
        assertThat(pipeline.path("window_seconds").asInt()).isEqualTo(900);
        JsonNode sample = pipeline.path("samples").get(0);
        assertThat(sample.path("backlog").has("redis")).isTrue();
        assertThat(sample.path("backlog").has("nats")).isTrue();
        assertThat(sample.has("ack_p99_ms")).isTrue();
        assertThat(pipeline.path("outbox").path("hard_max_bytes").asLong())
                .isGreaterThan(pipeline.path("outbox").path("max_bytes").asLong());

        String config = get("/config").body();
        assertThat(config).contains("\"http.console_writes\"").doesNotContain("hunter2");
        assertThat(JSON.readTree(config)).anySatisfy(s -> {
            assertThat(s.path("key").asText()).isEqualTo("redis.url");
            assertThat(s.path("from_default").asBoolean()).isFalse();
        });
    }
}
