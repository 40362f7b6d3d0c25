package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import aurora.edge.testing.NatsServerProcess;
import aurora.edge.testing.RawMqtt;
import aurora.edge.testing.RedisProbe;
import aurora.edge.testing.RedisServerProcess;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Devices are confined to their own topics, and bad input is rejected with its code while good devices keep flowing. */
class ConfinementAndRejectionIT {
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
        gw = new TestGateway(
                        dir,
                        redis.url(),
                        nats.url(),
                        Map.of(
                                "AURORA_INTAKE_MAX_PAYLOAD_BYTES",
                                "1024",
                                "AURORA_MQTT_MAX_CONNECTS_PER_MINUTE",
                                "5",
                                "AURORA_INTAKE_MAX_RATE_PER_DEVICE",
                                "20",
                                "AURORA_INTAKE_MAX_BURST_PER_DEVICE",
                                "20"))
                .start();
        redisProbe = new RedisProbe(redis.url());
    }

    @AfterEach
    void stop() {
        gw.close();
        redisProbe.close();
    }

    private Mqtt3BlockingClient connect(String id, String password) {
        Mqtt3BlockingClient client = Mqtt3Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(gw.mqttPort())
                .buildBlocking();
        client.connectWith()
                .simpleAuth()
                .username(id)
                .password(password.getBytes(StandardCharsets.US_ASCII))
                .applySimpleAuth()
                .send();
        return client;
    }

    private double rejected(String code) {
        return gw.metric("aurora_intake_rejected", "code", code);
    }

    private boolean audited(String code, String deviceId) {
        return redisProbe.entries("aurora:audit").stream().anyMatch(e -> {
            try {
                var data = JSON.readTree(e.fields().get("data"));
                return code.equals(data.path("fields").path("code").asText())
                        && deviceId.equals(data.path("device_id").asText());
            } catch (Exception ex) {
                return false;
            }
        });
    }

    private boolean auditedStranger(String code, String claimedClientId, String remote) {
        return redisProbe.entries("aurora:audit").stream().anyMatch(e -> {
            try {
                var data = JSON.readTree(e.fields().get("data"));
                var fields = data.path("fields");
                return code.equals(fields.path("code").asText())
                        && claimedClientId.equals(
                                fields.path("claimed_client_id").asText())
                        && remote.equals(fields.path("remote").asText())
                        && !data.hasNonNull("device_id");
            } catch (Exception ex) {
                return false;
            }
        });
    }

    @Test
    void aWrongPasswordIsRefusedCountedAndAudited() {
        var result = MosquittoClients.publish(
                gw.mqttPort(), "dev-wrongpw", "not-the-password", "aurora/sensors/dev-wrongpw/telemetry", "{}", 1);
        assertThat(result.exitCode()).isNotZero();
        assertThat(rejected("AUTH_FAILED")).isEqualTo(1);
        // Before authentication the client id is the stranger's claim: audited as such, with its source address, not as
        // the device's.
        await().atMost(Duration.ofSeconds(20)).until(() -> auditedStranger("AUTH_FAILED", "dev-wrongpw", "127.0.0.1"));
    }

    @Test
    void aPasswordOfAnotherDeviceIsRefused() {
        var result = MosquittoClients.publish(
                gw.mqttPort(), "dev-a", gw.passwordFor("dev-b"), "aurora/sensors/dev-a/telemetry", "{}", 1);
        assertThat(result.exitCode()).isNotZero();
        assertThat(rejected("AUTH_FAILED")).isEqualTo(1);
    }

    @Test
    void anInvalidClientIdIsRefused() {
        var result = MosquittoClients.publish(
                gw.mqttPort(), "bad.id", gw.passwordFor("bad.id"), "aurora/sensors/bad.id/telemetry", "{}", 1);
        assertThat(result.exitCode()).isNotZero();
        assertThat(rejected("CLIENT_ID_INVALID")).isEqualTo(1);
    }

    @Test
    void publishingUnderAnotherDevicesIdIsDropped() {
        var result = MosquittoClients.publish(
                gw.mqttPort(),
                "dev-c",
                gw.passwordFor("dev-c"),
                "aurora/sensors/dev-victim/alerts",
                "{\"seq\":1,\"severity\":\"critical\"}",
                0);
        assertThat(result.exitCode()).isZero();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> rejected("TOPIC_NOT_OWNED") == 1 && audited("TOPIC_NOT_OWNED", "dev-c"));
        assertThat(redisProbe.entries("aurora:cps:alerts"))
                .noneMatch(e -> e.fields().get("id").startsWith("site-test:dev-victim:"));
    }

    @Test
    void aCrossDeviceWildcardSubscriptionIsRefusedButTheOwnCommandTopicIsGranted() {
        Mqtt3BlockingClient client = connect("dev-sub", gw.passwordFor("dev-sub"));
        try {
            var own = client.subscribeWith()
                    .topicFilter("aurora/command/dev-sub/action")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            assertThat(own.getReturnCodes()).containsExactly(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1);
            assertThatThrownBy(() -> client.subscribeWith()
                            .topicFilter("aurora/command/+/action")
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .send())
                    .isInstanceOf(Mqtt3SubAckException.class);
            assertThatThrownBy(() -> client.subscribeWith()
                            .topicFilter("aurora/sensors/#")
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .send())
                    .isInstanceOf(Mqtt3SubAckException.class);
            assertThat(rejected("SUBSCRIPTION_NOT_OWNED")).isEqualTo(2);
        } finally {
            client.disconnect();
        }
    }

    @Test
    void aForgedWillOnAnotherDevicesCommandTopicNeverReachesTheVictimWhenTheGatewayTurnsTheDeviceAway()
            throws Exception {
        try (Victim victim = new Victim("dev-victim")) {
            Mqtt3BlockingClient attacker = Mqtt3Client.builder()
                    .identifier("dev-will")
                    .serverHost("127.0.0.1")
                    .serverPort(gw.mqttPort())
                    .buildBlocking();
            try {
                attacker.connectWith()
                        .simpleAuth()
                        .username("dev-will")
                        .password(gw.passwordFor("dev-will").getBytes(StandardCharsets.US_ASCII))
                        .applySimpleAuth()
                        .willPublish()
                        .topic("aurora/command/dev-victim/action")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(FORGED_COMMAND.getBytes(StandardCharsets.UTF_8))
                        .applyWillPublish()
                        .send();
            } catch (Mqtt3ConnAckException refused) {
                // refused before CONNACK: the will was never stored
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !attacker.getState().isConnected());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> rejected("WILL_NOT_OWNED") == 1 && audited("WILL_NOT_OWNED", "dev-will"));

            assertThat(victim.commandsUntilBarrier()).isEmpty();
        }
    }

    @Test
    void aForgedWillNeverReachesTheVictimWhenTheDeviceDropsItsConnectionAbruptly() throws Exception {
        try (Victim victim = new Victim("dev-victim")) {
            for (int attempt = 0; attempt < 3; attempt++) {
                try (Socket s = RawMqtt.open("127.0.0.1", gw.mqttPort())) {
                    s.getOutputStream()
                            .write(RawMqtt.connect(
                                    "dev-will",
                                    "dev-will",
                                    gw.passwordFor("dev-will"),
                                    "aurora/command/dev-victim/action",
                                    FORGED_COMMAND));
                    RawMqtt.connAck(s);
                    RawMqtt.abort(s);
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> rejected("WILL_NOT_OWNED") >= 1);

            assertThat(victim.commandsUntilBarrier()).isEmpty();
        }
    }

    @Test
    void aWillOnTheDevicesOwnSensorTopicIsAccepted() {
        Mqtt3BlockingClient device = Mqtt3Client.builder()
                .identifier("dev-ownwill")
                .serverHost("127.0.0.1")
                .serverPort(gw.mqttPort())
                .buildBlocking();
        device.connectWith()
                .simpleAuth()
                .username("dev-ownwill")
                .password(gw.passwordFor("dev-ownwill").getBytes(StandardCharsets.US_ASCII))
                .applySimpleAuth()
                .willPublish()
                .topic("aurora/sensors/dev-ownwill/status")
                .payload("{\"online\":false}".getBytes(StandardCharsets.UTF_8))
                .applyWillPublish()
                .send();
        try {
            assertThat(device.getState().isConnected()).isTrue();
            assertThat(rejected("WILL_NOT_OWNED")).isZero();
        } finally {
            device.disconnect();
        }
    }

    private static final String FORGED_COMMAND = "{\"action\":\"isolate\",\"forged_by\":\"dev-will\"}";

    /**
     * A device listening on its own command topics. {@link #commandsUntilBarrier} publishes one reading and
     * returns every {@code action} command that arrived before the gateway's ack for it: the ack is the
     * barrier, so "nothing arrived" is known without sleeping.
     */
    private final class Victim implements AutoCloseable {
        private final String id;
        private final Mqtt3BlockingClient client;
        private final Mqtt3BlockingClient.Mqtt3Publishes inbox;

        Victim(String id) {
            this.id = id;
            this.client = connect(id, gw.passwordFor(id));
            this.inbox = client.publishes(MqttGlobalPublishFilter.SUBSCRIBED);
            client.subscribeWith()
                    .topicFilter("aurora/command/" + id + "/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
        }

        java.util.List<String> commandsUntilBarrier() throws InterruptedException {
            publish(client, "aurora/sensors/" + id + "/telemetry", "{\"seq\":1,\"boot\":0}");
            java.util.List<String> commands = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                var msg = inbox.receive(1, java.util.concurrent.TimeUnit.SECONDS);
                if (msg.isEmpty()) {
                    continue;
                }
                String body = new String(msg.get().getPayloadAsBytes(), StandardCharsets.UTF_8);
                if (msg.get().getTopic().toString().endsWith("/ack") && body.equals("{\"boot\":0,\"seq\":1}")) {
                    return commands;
                }
                if (msg.get().getTopic().toString().endsWith("/action")) {
                    commands.add(body);
                }
            }
            throw new AssertionError("the barrier (the gateway's ack) never arrived; commands so far: " + commands);
        }

        @Override
        public void close() {
            inbox.close();
            client.disconnect();
        }
    }

    @Test
    void badPayloadsAreRejectedWithTheirCodesWhileAGoodDeviceKeepsFlowing() {
        Mqtt3BlockingClient bad = connect("dev-bad", gw.passwordFor("dev-bad"));
        Mqtt3BlockingClient good = connect("dev-good", gw.passwordFor("dev-good"));
        try {
            String topic = "aurora/sensors/dev-bad/telemetry";
            publish(bad, topic, "{not json");
            publish(good, "aurora/sensors/dev-good/telemetry", "{\"seq\":1,\"boot\":0}");
            publish(bad, topic, "[1,2,3]");
            publish(bad, topic, "{\"seq\":1,\"pad\":\"" + "x".repeat(2000) + "\"}");
            publish(good, "aurora/sensors/dev-good/telemetry", "{\"seq\":2,\"boot\":0}");
            publish(bad, topic, "{\"seq\":2,\"device_id\":\"dev-good\"}");
            publish(bad, topic, "{\"seq\":-4}");
            publish(bad, topic, "\u00ff\u00fe not utf8");
            publish(good, "aurora/sensors/dev-good/telemetry", "{\"seq\":3,\"boot\":0}");

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> rejected("MALFORMED_JSON") == 2
                            && rejected("NOT_A_JSON_OBJECT") == 1
                            && rejected("PAYLOAD_TOO_LARGE") == 1
                            && rejected("DEVICE_ID_MISMATCH") == 1
                            && rejected("SEQUENCE_INVALID") == 1);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> redisProbe.entries("aurora:cps:telemetry").stream()
                                    .filter(e -> e.fields().get("id").startsWith("site-test:dev-good:0:"))
                                    .count()
                            == 3);
            assertThat(redisProbe.entries("aurora:cps:telemetry"))
                    .noneMatch(e -> e.fields().get("id").startsWith("site-test:dev-bad:"));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> audited("PAYLOAD_TOO_LARGE", "dev-bad") && audited("DEVICE_ID_MISMATCH", "dev-bad"));
        } finally {
            bad.disconnect();
            good.disconnect();
        }
    }

    @Test
    void aConnectionStormIsRefusedWhileOtherDevicesStillConnect() {
        int refused = 0;
        for (int i = 0; i < 10; i++) {
            var result = MosquittoClients.publish(
                    gw.mqttPort(),
                    "dev-storm",
                    gw.passwordFor("dev-storm"),
                    "aurora/sensors/dev-storm/telemetry",
                    "{}",
                    0);
            if (result.exitCode() != 0) refused++;
        }
        assertThat(refused).isEqualTo(5);
        assertThat(rejected("CONNECT_RATE_LIMITED")).isEqualTo(5);
        assertThat(MosquittoClients.publish(
                                gw.mqttPort(),
                                "dev-calm",
                                gw.passwordFor("dev-calm"),
                                "aurora/sensors/dev-calm/telemetry",
                                "{}",
                                0)
                        .exitCode())
                .isZero();
    }

    @Test
    void aFloodingDeviceIsRateLimitedWhileAGoodDeviceKeepsFlowing() {
        Mqtt3BlockingClient flood = connect("dev-flood", gw.passwordFor("dev-flood"));
        Mqtt3BlockingClient good = connect("dev-good2", gw.passwordFor("dev-good2"));
        try {
            for (int seq = 1; seq <= 100; seq++) {
                publish(flood, "aurora/sensors/dev-flood/telemetry", "{\"seq\":" + seq + "}");
            }
            publish(good, "aurora/sensors/dev-good2/telemetry", "{\"seq\":1,\"boot\":0}");
            await().atMost(Duration.ofSeconds(20)).until(() -> rejected("RATE_LIMITED") >= 70);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !redisProbe
                            .entriesWithId("aurora:cps:telemetry", "site-test:dev-good2:0:1")
                            .isEmpty());
            await().atMost(Duration.ofSeconds(20)).until(() -> audited("RATE_LIMITED", "dev-flood"));
        } finally {
            flood.disconnect();
            good.disconnect();
        }
    }

    @Test
    void theAckWatermarkReachesTheDeviceAfterCommit() {
        Mqtt3BlockingClient device = connect("dev-ack", gw.passwordFor("dev-ack"));
        try (var acks = device.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            device.subscribeWith()
                    .topicFilter("aurora/command/dev-ack/ack")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            publish(device, "aurora/sensors/dev-ack/telemetry", "{\"seq\":1,\"boot\":4}");
            publish(device, "aurora/sensors/dev-ack/telemetry", "{\"seq\":2,\"boot\":4}");
            String last = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!last.equals("{\"boot\":4,\"seq\":2}") && System.nanoTime() < deadline) {
                var msg = acks.receive(1, java.util.concurrent.TimeUnit.SECONDS);
                if (msg.isPresent()) {
                    last = new String(msg.get().getPayloadAsBytes(), StandardCharsets.US_ASCII);
                }
            }
            assertThat(last).isEqualTo("{\"boot\":4,\"seq\":2}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            device.disconnect();
        }
    }

    private static void publish(Mqtt3BlockingClient client, String topic, String payload) {
        client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.ISO_8859_1))
                .send();
    }
}
