package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.testing.NatsProbe;
import aurora.edge.testing.NatsServerProcess;
import aurora.edge.testing.RedisProbe;
import aurora.edge.testing.RedisServerProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A device using mosquitto_pub (a client we did not write) reaches Redis and JetStream through the real gateway. */
class GatewayInteropIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RedisServerProcess redis;
    private static NatsServerProcess nats;

    @TempDir
    Path dir;

    private TestGateway gw;
    private RedisProbe redisProbe;

    @BeforeAll
    static void servers() {
        redis = RedisServerProcess.start();
        nats = NatsServerProcess.start();
    }

    @AfterAll
    static void stopServers() {
        nats.close();
        redis.close();
    }

    @BeforeEach
    void gateway() {
        gw = new TestGateway(dir, redis.url(), nats.url(), Map.of()).start();
        redisProbe = new RedisProbe(redis.url());
    }

    @AfterEach
    void stop() {
        gw.close();
        redisProbe.close();
    }

    @Test
    void telemetryAndAlertFromMosquittoPubLandOnceInRedisAndJetStream() throws Exception {
        String pw = gw.passwordFor("interop-1");
        assertThat(MosquittoClients.publish(
                                gw.mqttPort(),
                                "interop-1",
                                pw,
                                "aurora/sensors/interop-1/telemetry",
                                "{\"seq\":1,\"boot\":2,\"temp_c\":21.5,\"battery_mv\":2950}",
                                1)
                        .exitCode())
                .isZero();
        assertThat(MosquittoClients.publish(
                                gw.mqttPort(),
                                "interop-1",
                                pw,
                                "aurora/sensors/interop-1/alerts",
                                "{\"seq\":2,\"boot\":2,\"severity\":\"critical\",\"kind\":\"tamper\",\"title\":\"case opened\"}",
                                1)
                        .exitCode())
                .isZero();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> entriesFor("aurora:cps:telemetry", "site-test:interop-1:2:1")
                                        .size()
                                == 1
                        && entriesFor("aurora:cps:alerts", "site-test:interop-1:2:2")
                                        .size()
                                == 1);
        RedisProbe.Entry telemetry =
                entriesFor("aurora:cps:telemetry", "site-test:interop-1:2:1").get(0);
        assertThat(telemetry.fields())
                .containsKeys("id", "timestamp", "data", "severity", "source", "category")
                .containsEntry("severity", "info")
                .containsEntry("source", "mqtt")
                .containsEntry("category", "cps");
        JsonNode data = JSON.readTree(telemetry.fields().get("data"));
        assertThat(data.path("id").asText()).isEqualTo("site-test:interop-1:2:1");
        assertThat(data.path("device_id").asText()).isEqualTo("interop-1");
        assertThat(data.path("message_type").asText()).isEqualTo("telemetry");
        assertThat(data.path("gateway_id").asText()).isEqualTo("gw-test");
        assertThat(data.path("site_id").asText()).isEqualTo("site-test");
        assertThat(data.path("received_at").asText()).isNotEmpty();
        assertThat(data.path("fields").path("temp_c").asDouble()).isEqualTo(21.5);
        assertThat(data.path("iocs").isArray()).isTrue();
        assertThat(data.path("mitre_techniques").isArray()).isTrue();

        RedisProbe.Entry alert =
                entriesFor("aurora:cps:alerts", "site-test:interop-1:2:2").get(0);
        assertThat(alert.fields()).containsEntry("severity", "critical");
        assertThat(JSON.readTree(alert.fields().get("data")).path("title").asText())
                .isEqualTo("case opened");

        NatsProbe probe = nats.probe();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> probe.messages("AURORA", "AURORA.alerts").stream()
                        .anyMatch(m -> "site-test:interop-1:2:2".equals(m.msgId())));
        assertThat(probe.messages("AURORA", "AURORA.alerts").stream()
                        .filter(m -> "site-test:interop-1:2:2".equals(m.msgId())))
                .hasSize(1);
        assertThat(probe.messages("AURORA").stream()
                        .filter(m -> m.msgId() != null && m.msgId().startsWith("site-test:interop-1:2:1")))
                .as("telemetry is not federated")
                .isEmpty();
    }

    @Test
    void aBadgeReadFromMosquittoPubIsAnAccessEventOnTheAlertsStream() throws Exception {
        String pw = gw.passwordFor("door-ctl-1");
        assertThat(MosquittoClients.publish(
                                gw.mqttPort(),
                                "door-ctl-1",
                                pw,
                                "aurora/access/door-ctl-1/badge_event",
                                "{\"seq\":1,\"boot\":1,\"badge\":\"04A2F1\",\"granted\":false}",
                                1)
                        .exitCode())
                .isZero();
        // Another device's badge topic is not this device's to publish on (QoS 0: Moquette answers a refused QoS 1 with
        // nothing).
        assertThat(MosquittoClients.publish(
                                gw.mqttPort(),
                                "door-ctl-1",
                                pw,
                                "aurora/access/door-ctl-2/badge_event",
                                "{\"seq\":2,\"boot\":1,\"badge\":\"FFFFFF\"}",
                                0)
                        .exitCode())
                .isZero();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> redisProbe.entries("aurora:cps:alerts").stream()
                        .anyMatch(e -> e.fields().get("data").contains("04A2F1")));
        RedisProbe.Entry badge = redisProbe.entries("aurora:cps:alerts").stream()
                .filter(e -> e.fields().get("data").contains("04A2F1"))
                .findFirst()
                .orElseThrow();
        assertThat(badge.fields()).containsEntry("category", "access").containsEntry("severity", "info");
        JsonNode data = JSON.readTree(badge.fields().get("data"));
        assertThat(data.path("device_id").asText()).isEqualTo("door-ctl-1");
        assertThat(data.path("message_type").asText()).isEqualTo("badge_event");
        assertThat(redisProbe.entries("aurora:cps:alerts").stream()
                        .noneMatch(e -> e.fields().get("data").contains("FFFFFF")))
                .isTrue();
        assertThat(gw.metric("aurora_intake_rejected", "code", "TOPIC_NOT_OWNED"))
                .isPositive();
    }

    @Test
    void aRepublishedMessageIsStoredOnce() {
        String pw = gw.passwordFor("interop-2");
        for (int i = 0; i < 3; i++) {
            assertThat(MosquittoClients.publish(
                                    gw.mqttPort(),
                                    "interop-2",
                                    pw,
                                    "aurora/sensors/interop-2/alerts",
                                    "{\"seq\":1,\"boot\":0,\"severity\":\"high\"}",
                                    1)
                            .exitCode())
                    .isZero();
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> gw.metric("aurora_outbox_duplicates") >= 2
                        && entriesFor("aurora:cps:alerts", "site-test:interop-2:0:1")
                                        .size()
                                == 1);
        assertThat(entriesFor("aurora:cps:alerts", "site-test:interop-2:0:1")).hasSize(1);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> nats.probe().messages("AURORA", "AURORA.alerts").stream()
                                .filter(m -> "site-test:interop-2:0:1".equals(m.msgId()))
                                .count()
                        == 1);
    }

    private List<RedisProbe.Entry> entriesFor(String stream, String messageId) {
        return redisProbe.entriesWithId(stream, messageId);
    }
}
