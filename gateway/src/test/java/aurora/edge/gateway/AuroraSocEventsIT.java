package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.testing.NatsProbe;
import aurora.edge.testing.NatsServerProcess;
import aurora.edge.testing.RedisProbe;
import aurora.edge.testing.RedisServerProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What AuroraSOC's consumers read, end to end through real gateways, Redis and JetStream, with a
 * device on mosquitto_pub: {@code message_type} is the topic segment, the payload is also at the top
 * level, the flat Redis fields equal those in {@code data}, and message ids are unique across a
 * federation (two gateways of one site are one message, two sites are two). The events it reads are
 * written to {@code target/aurorasoc-events/} (docs/aurorasoc.md copies them).
 */
class AuroraSocEventsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private RedisServerProcess redis;
    private NatsServerProcess nats;
    private RedisProbe redisProbe;
    private final List<TestGateway> gateways = new ArrayList<>();

    @BeforeEach
    void servers() {
        redis = RedisServerProcess.start();
        nats = NatsServerProcess.start();
        redisProbe = new RedisProbe(redis.url());
    }

    @AfterEach
    void stop() {
        gateways.forEach(TestGateway::close);
        redisProbe.close();
        nats.close();
        redis.close();
    }

    private TestGateway gateway(String gatewayId, String siteId) {
        TestGateway gw = new TestGateway(
                        dir.resolve(gatewayId),
                        redis.url(),
                        nats.url(),
                        Map.of(
                                "AURORA_GATEWAY_ID",
                                gatewayId,
                                "AURORA_SITE_ID",
                                siteId,
                                "AURORA_FEDERATION_ENABLED",
                                "false"))
                .start();
        gateways.add(gw);
        return gw;
    }

    private static void publish(TestGateway gw, String device, String topicSegment, String payload) {
        assertThat(MosquittoClients.publish(
                                gw.mqttPort(),
                                device,
                                gw.passwordFor(device),
                                "aurora/sensors/" + device + "/" + topicSegment,
                                payload,
                                1)
                        .exitCode())
                .isZero();
    }

    private JsonNode onlyEvent(String stream, String id) throws Exception {
        await().atMost(WAIT).until(() -> !redisProbe.entriesWithId(stream, id).isEmpty());
        RedisProbe.Entry entry = redisProbe.entriesWithId(stream, id).get(0);
        JsonNode data = JSON.readTree(entry.fields().get("data"));
        assertThat(entry.fields().get("source")).isEqualTo(data.get("source").asText());
        assertThat(entry.fields().get("category"))
                .isEqualTo(data.get("category").asText());
        assertThat(entry.fields().get("severity"))
                .isEqualTo(data.get("severity").asText());
        return data;
    }

    private static void keepAsExample(String name, JsonNode data) throws Exception {
        Path out = Path.of("target", "aurorasoc-events");
        Files.createDirectories(out);
        Files.writeString(
                out.resolve(name + ".json"),
                JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(data) + "\n");
    }

    @Test
    void eachTopicArrivesWithItsSegmentAsMessageTypeAndThePayloadAlsoAtTheTopLevel() throws Exception {
        TestGateway gw = gateway("gw-a", "site-a");
        publish(
                gw,
                "esp32c3_env_01",
                "telemetry",
                "{\"seq\":1,\"boot\":4,\"temp_c\":21.5,\"humidity\":40,\"battery_mv\":2950}");
        publish(
                gw,
                "esp32c3_env_01",
                "status",
                "{\"seq\":2,\"boot\":4,\"device_type\":\"environmental_sentinel\",\"board_family\":\"esp32s3\","
                        + "\"firmware_stack\":\"rust_embassy\",\"firmware_version\":\"2.0.0\"}");
        publish(
                gw,
                "esp32c3_env_01",
                "alerts",
                "{\"seq\":3,\"boot\":4,\"severity\":\"high\",\"kind\":\"tamper\",\"title\":\"case opened\","
                        + "\"vibration_g\":2.5}");

        JsonNode telemetry = onlyEvent("aurora:cps:telemetry", "site-a:esp32c3_env_01:4:1");
        JsonNode status = onlyEvent("aurora:cps:telemetry", "site-a:esp32c3_env_01:4:2");
        JsonNode alert = onlyEvent("aurora:cps:alerts", "site-a:esp32c3_env_01:4:3");

        assertThat(telemetry.get("message_type").asText()).isEqualTo("telemetry");
        assertThat(status.get("message_type").asText()).isEqualTo("status");
        assertThat(alert.get("message_type").asText()).isEqualTo("alerts");
        assertThat(telemetry.get("temp_c").asDouble()).isEqualTo(21.5);
        assertThat(telemetry.get("fields").get("temp_c").asText()).isEqualTo("21.5");
        assertThat(status.get("firmware_version").asText()).isEqualTo("2.0.0");
        assertThat(alert.get("severity").asText()).isEqualTo("high");
        assertThat(alert.get("vibration_g").asDouble()).isEqualTo(2.5);
        for (JsonNode e : List.of(telemetry, status, alert)) {
            assertThat(e.get("source").asText()).isEqualTo("mqtt");
            assertThat(e.get("category").asText()).isEqualTo("cps");
            assertThat(e.get("device_id").asText()).isEqualTo("esp32c3_env_01");
        }
        keepAsExample("telemetry", telemetry);
        keepAsExample("status", status);
        keepAsExample("alerts", alert);
    }

    @Test
    void theSameDeviceMessageThroughTwoGatewaysOfASiteIsOneMessageAndTwoSitesNeverDropEachOther() throws Exception {
        String alert = "{\"seq\":1,\"boot\":1,\"severity\":\"critical\",\"kind\":\"tamper\"}";
        publish(gateway("gw-a1", "site-a"), "sensor-0042", "alerts", alert);
        publish(gateway("gw-a2", "site-a"), "sensor-0042", "alerts", alert);
        publish(gateway("gw-b1", "site-b"), "sensor-0042", "alerts", alert);

        NatsProbe probe = nats.probe();
        await().atMost(WAIT)
                .until(() -> probe.streamInfo("AURORA").isPresent()
                        && probe.messages("AURORA", "AURORA.alerts").stream()
                                        .map(NatsProbe.StoredMessage::msgId)
                                        .distinct()
                                        .count()
                                == 2);
        await().during(Duration.ofSeconds(2))
                .atMost(WAIT)
                .until(() -> gateways.stream()
                        .allMatch(g -> g.gateway().status().sinks().stream().allMatch(s -> s.backlog() == 0)));
        assertThat(probe.messages("AURORA", "AURORA.alerts"))
                .extracting(NatsProbe.StoredMessage::msgId)
                .containsExactlyInAnyOrder("site-a:sensor-0042:1:1", "site-b:sensor-0042:1:1");
    }

    @Test
    void aBackendStreamLackingASubjectIsLeftAloneAndReportedInReadyzAndStatusWhileAlertsFlow() throws Exception {
        nats.probe()
                .addStream(io.nats.client.api.StreamConfiguration.builder()
                        .name("AURORA")
                        .subjects("AURORA.alerts", "AURORA.ioc_sharing")
                        .storageType(io.nats.client.api.StorageType.File)
                        .duplicateWindow(Duration.ofMinutes(2))
                        .build());
        TestGateway gw = gateway("gw-a", "site-a");
        publish(gw, "sensor-7", "alerts", "{\"seq\":1,\"boot\":1,\"severity\":\"critical\",\"kind\":\"tamper\"}");

        NatsProbe probe = nats.probe();
        await().atMost(WAIT)
                .until(() -> probe.messages("AURORA", "AURORA.alerts").stream()
                        .anyMatch(m -> "site-a:sensor-7:1:1".equals(m.msgId())));
        java.net.http.HttpResponse<String> ready = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("http://127.0.0.1:" + gw.httpPort() + "/readyz"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body())
                .contains("warning: stream AURORA does not capture AURORA.audit")
                .contains("warning: stream AURORA duplicate_window PT2M is under PT10M");
        assertThat(gw.gateway().status().warnings()).hasSize(2);
        assertThat(probe.streamConfig("AURORA").orElseThrow().getSubjects())
                .containsExactly("AURORA.alerts", "AURORA.ioc_sharing");
        assertThat(probe.streamConfig("AURORA").orElseThrow().getDuplicateWindow())
                .isEqualTo(Duration.ofMinutes(2));
    }
}
