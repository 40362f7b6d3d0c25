package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.testing.RedisProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11, holes 7 and 8 against the real gateway, Redis and NATS: a device reset to an old boot
 * counter keeps its new readings (and its ack follows the new stream), and a device that floods
 * never-evicted alerts through an outage is held at its quota while another device's alert is kept.
 */
class NothingLostSilentlyIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @RegisterExtension
    final GatewayStack stack = GatewayStack.with(
            Map.of("AURORA_OUTBOX_DEVICE_QUOTA_BYTES", "4KiB", "AURORA_NATS_ALERT_MIN_SEVERITY", "info"));

    private Mqtt3BlockingClient connect(String id) {
        TestGateway gw = stack.gateway();
        Mqtt3BlockingClient client = Mqtt3Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(gw.mqttPort())
                .buildBlocking();
        client.connectWith()
                .simpleAuth()
                .username(id)
                .password(gw.passwordFor(id).getBytes(StandardCharsets.US_ASCII))
                .applySimpleAuth()
                .send();
        stack.<AutoCloseable>closeAfter(() -> {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        });
        return client;
    }

    private static void publish(Mqtt3BlockingClient client, String topic, String json) {
        client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(json.getBytes(StandardCharsets.UTF_8))
                .send();
    }

    private static JsonNode data(RedisProbe.Entry e) {
        try {
            return JSON.readTree(e.fields().get("data"));
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private long audited(String code, String deviceId) {
        return stack.redisProbe().entries("aurora:audit").stream()
                .map(NothingLostSilentlyIT::data)
                .filter(d -> code.equals(d.path("fields").path("code").asText())
                        && deviceId.equals(d.path("device_id").asText()))
                .count();
    }

    @Test
    void aDeviceResetToAnOldBootCounterKeepsItsNewReadingsUnderANewEpochAndIsAckedForThem() throws Exception {
        Mqtt3BlockingClient device = connect("reset-1");
        List<String> acks = new CopyOnWriteArrayList<>();
        device.toAsync()
                .publishes(
                        MqttGlobalPublishFilter.ALL,
                        p -> acks.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
        device.subscribeWith()
                .topicFilter("aurora/command/reset-1/ack")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        String topic = "aurora/sensors/reset-1/telemetry";
        for (int seq = 1; seq <= 5; seq++)
            publish(device, topic, "{\"boot\":1,\"seq\":" + seq + ",\"temp_c\":20." + seq + "}");
        await().atMost(PATIENCE).until(() -> acks.stream().anyMatch(a -> a.contains("\"seq\":5")));

        // Flash wiped: boot is back at 1 and seq starts over with new readings.
        for (int seq = 1; seq <= 3; seq++)
            publish(device, topic, "{\"boot\":1,\"seq\":" + seq + ",\"temp_c\":31." + seq + "}");

        await().atMost(PATIENCE)
                .until(() -> stack.redisProbe().entries("aurora:cps:telemetry").size() == 8);
        assertThat(stack.redisProbe().entries("aurora:cps:telemetry"))
                .extracting(e -> e.fields().get("id"))
                .containsExactly(
                        "site-test:reset-1:1:1",
                        "site-test:reset-1:1:2",
                        "site-test:reset-1:1:3",
                        "site-test:reset-1:1:4",
                        "site-test:reset-1:1:5",
                        "site-test:reset-1:1:1:r1",
                        "site-test:reset-1:1:2:r1",
                        "site-test:reset-1:1:3:r1");
        await().atMost(PATIENCE).until(() -> audited("SEQ_REWIND", "reset-1") == 1);
        await().atMost(PATIENCE)
                .until(() -> !acks.isEmpty()
                        && JSON.readTree(acks.get(acks.size() - 1)).path("seq").asLong() == 3);
        assertThat(stack.gateway().metric("aurora_outbox_seq_rewinds")).isEqualTo(1);
    }

    @Test
    void aDeviceFloodingAlertsThroughAnOutageIsHeldAtItsQuotaWhileOthersAreKept() throws Exception {
        TestGateway gw = stack.gateway();
        stack.redis().kill();
        stack.nats().kill();
        // The flood is pipelined (no wait for each PUBACK): the first refusal for want of room closes the connection
        // (mqtt.puback_after_commit: no PUBACK means "not stored"), and what was already sent is refused and counted
        // too.
        var greedy = connect("greedy-1").toAsync();
        for (int seq = 1; seq <= 40; seq++) {
            greedy.publishWith()
                    .topic("aurora/sensors/greedy-1/alerts")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("{\"boot\":0,\"seq\":" + seq
                                    + ",\"severity\":\"high\",\"kind\":\"tamper\",\"title\":\"case opened\",\"pad\":\""
                                    + "x".repeat(200) + "\"}")
                            .getBytes(StandardCharsets.UTF_8))
                    .send();
        }
        await().atMost(PATIENCE).until(() -> gw.metric("aurora_intake_rejected", "code", "DEVICE_QUOTA_EXCEEDED") > 0);
        Mqtt3BlockingClient honest = connect("honest-1");
        publish(
                honest,
                "aurora/sensors/honest-1/alerts",
                "{\"boot\":0,\"seq\":1,\"severity\":\"critical\",\"kind\":\"tamper\",\"title\":\"door\"}");

        stack.redis().restart();
        stack.nats().restart();
        await().atMost(PATIENCE)
                .until(() -> gw.gateway().status().sinks().stream().allMatch(s -> s.backlog() == 0));
        assertThat(forwardedIds()).contains("site-test:honest-1:0:1").doesNotContain("site-test:greedy-1:0:40");
        // Every refusal is counted; the audit trail gets one event per device and 10 s window, not one per message.
        await().atMost(PATIENCE).until(() -> audited("DEVICE_QUOTA_EXCEEDED", "greedy-1") >= 1);
        double refused = gw.metric("aurora_intake_rejected", "code", "DEVICE_QUOTA_EXCEEDED");
        assertThat(refused).isGreaterThanOrEqualTo(20);
        assertThat(audited("DEVICE_QUOTA_EXCEEDED", "greedy-1")).isLessThan((long) refused / 4);
        // Delivered and purged (the next housekeeping tick), its share is free again: the greedy device's resend is
        // taken.
        await().atMost(PATIENCE).until(() -> gw.gateway().outbox().withinDeviceQuota("greedy-1"));
        publish(
                connect("greedy-1"),
                "aurora/sensors/greedy-1/alerts",
                "{\"boot\":0,\"seq\":41,\"severity\":\"high\",\"kind\":\"tamper\",\"title\":\"again\"}");
        await().atMost(PATIENCE)
                .alias("the flooding device is taken again once its backlog is delivered")
                .until(() -> forwardedIds().contains("site-test:greedy-1:0:41"));
    }

    private List<String> forwardedIds() {
        List<String> ids = new java.util.ArrayList<>();
        for (String stream : List.of("aurora:cps:alerts", "aurora:audit")) {
            stack.redisProbe().entries(stream).forEach(e -> ids.add(e.fields().get("id")));
        }
        return ids;
    }
}
