package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.tls.RevokedDevices;
import aurora.edge.testing.NatsProbe;
import aurora.edge.testing.OpsRequests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13 part 3, relays on MQTT: a relay (an aggregating gateway such as AuroraSOC's ESP32-S3 BLE
 * gateway) publishes on {@code aurora/sensors/{child}/…} for the devices bound to it, and for no
 * one else; the data carries {@code relay_id}; an operator binds with {@code devices bind} through
 * the ops port (token, operator name, audited); a quarantined relay's children's data is kept out
 * of the trusted streams. Real gateway, Redis, NATS, {@code mosquitto_pub} and HiveMQ clients.
 */
class RelayIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final GatewayStack stack = GatewayStack.with(Map.of());

    private TestGateway gw() {
        return stack.gateway();
    }

    @Test
    void aRelayPublishesForItsBoundChildAndTheDataReachesRedisAndJetStreamWithRelayId() throws Exception {
        assertThat(bind("ble-child-1", "esp32s3_gw_01", "alice").statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> !audits("ble-child-1", "RELAY_BOUND").isEmpty());
        JsonNode bound = audits("ble-child-1", "RELAY_BOUND").get(0).path("fields");
        assertThat(bound.path("operator").asText()).isEqualTo("alice");
        assertThat(bound.path("relay_id").asText()).isEqualTo("esp32s3_gw_01");

        // QoS 1 through mosquitto_pub: the PUBACK comes after the commit, as for a device's own message.
        assertThat(relayPublish("esp32s3_gw_01", "ble-child-1", "telemetry", "{\"boot\":1,\"seq\":1,\"temp_c\":21.5}")
                        .exitCode())
                .isZero();
        assertThat(relayPublish(
                                "esp32s3_gw_01",
                                "ble-child-1",
                                "alerts",
                                "{\"boot\":1,\"seq\":2,\"severity\":\"critical\",\"kind\":\"tamper_switch\"}")
                        .exitCode())
                .isZero();

        await().atMost(WAIT)
                .until(() -> events("aurora:cps:telemetry", "ble-child-1").size() == 1);
        JsonNode telemetry = events("aurora:cps:telemetry", "ble-child-1").get(0);
        assertThat(telemetry.path("relay_id").asText()).isEqualTo("esp32s3_gw_01");
        assertThat(telemetry.path("relay_id").isTextual()).isTrue();
        assertThat(telemetry.path("id").asText()).isEqualTo("site-test:ble-child-1:1:1");
        await().atMost(WAIT)
                .until(() -> events("aurora:cps:alerts", "ble-child-1").size() == 1);
        NatsProbe nats = new NatsProbe(stack.nats().url(), null);
        await().atMost(WAIT)
                .until(() -> nats.messages("AURORA", "AURORA.alerts").stream()
                        .anyMatch(m -> m.dataUtf8().contains("\"device_id\":\"ble-child-1\"")
                                && m.dataUtf8().contains("\"relay_id\":\"esp32s3_gw_01\"")));
        // The child is registered as itself; the relay is not registered by its children's messages.
        assertThat(gw().gateway().devices().find("ble-child-1")).isPresent();
        assertThat(gw().gateway().devices().find("esp32s3_gw_01")).isEmpty();
    }

    @Test
    void aRelayPublishingForAnUnboundDeviceIsRefusedRelayNotBoundAndNothingIsStoredWhileHonestDevicesFlow()
            throws Exception {
        assertThat(bind("ble-child-2", "relay-a", "alice").statusCode()).isEqualTo(200);
        assertThat(bind("ble-child-3", "relay-b", "alice").statusCode()).isEqualTo(200);

        // An unbound device, and another relay's child: both refused the same way.
        relayPublish("relay-a", "stranger-1", "telemetry", "{\"boot\":1,\"seq\":1}");
        relayPublish("relay-a", "ble-child-3", "telemetry", "{\"boot\":1,\"seq\":1}");
        await().atMost(WAIT).until(() -> rejected("RELAY_NOT_BOUND") >= 2);
        await().atMost(WAIT).until(() -> !audits("relay-a", "RELAY_NOT_BOUND").isEmpty());
        double relayRefusals = rejected("RELAY_NOT_BOUND");
        // A plain device reaching for a child is what it always was: a topic it does not own.
        MosquittoClients.publish(
                gw().mqttPort(),
                "plain-1",
                gw().passwordFor("plain-1"),
                "aurora/sensors/ble-child-2/telemetry",
                "{\"boot\":1,\"seq\":1}",
                1);
        await().atMost(WAIT).until(() -> rejected("TOPIC_NOT_OWNED") >= 1);
        assertThat(rejected("RELAY_NOT_BOUND")).isEqualTo(relayRefusals);

        // The honest flow beside it: the relay for its own child, a device for itself.
        assertThat(relayPublish("relay-a", "ble-child-2", "telemetry", "{\"boot\":1,\"seq\":1}")
                        .exitCode())
                .isZero();
        assertThat(MosquittoClients.publish(
                                gw().mqttPort(),
                                "honest-1",
                                gw().passwordFor("honest-1"),
                                "aurora/sensors/honest-1/telemetry",
                                "{\"boot\":1,\"seq\":1}",
                                1)
                        .exitCode())
                .isZero();
        await().atMost(WAIT)
                .until(() -> events("aurora:cps:telemetry", "ble-child-2").size() == 1);
        await().atMost(WAIT)
                .until(() -> events("aurora:cps:telemetry", "honest-1").size() == 1);
        assertThat(events("aurora:cps:telemetry", "honest-1").get(0).has("relay_id"))
                .isFalse();
        assertThat(events("aurora:cps:telemetry", "stranger-1")).isEmpty();
        assertThat(events("aurora:cps:telemetry", "ble-child-3")).isEmpty();
        assertThat(gw().gateway().devices().find("stranger-1")).isEmpty();
        assertThat(gw().gateway().devices().find("ble-child-3")).isEmpty();
    }

    @Test
    void aRevokedChildsDataIsRefusedThroughItsRelayWhileTheRelaysOtherChildFlows() throws Exception {
        assertThat(bind("ble-child-8", "relay-g", "alice").statusCode()).isEqualTo(200);
        assertThat(bind("ble-child-9", "relay-g", "alice").statusCode()).isEqualTo(200);

        RevokedDevices.add(RevokedDevices.file(stack.dataDir()), "ble-child-8", "alice", Instant.now());
        // The list is re-read within a second: until then the relay's publish may still be taken.
        await().atMost(WAIT).untilAsserted(() -> {
            relayPublish("relay-g", "ble-child-8", "telemetry", "{\"temp_c\":21}");
            assertThat(rejected("CERT_REVOKED")).isPositive();
        });
        assertThat(relayPublish("relay-g", "ble-child-9", "telemetry", "{\"boot\":1,\"seq\":1}")
                        .exitCode())
                .isZero();
        await().atMost(WAIT)
                .until(() -> events("aurora:cps:telemetry", "ble-child-9").size() == 1);
        double refused = rejected("CERT_REVOKED");
        relayPublish("relay-g", "ble-child-8", "telemetry", "{\"boot\":1,\"seq\":7}");
        await().atMost(WAIT).until(() -> rejected("CERT_REVOKED") > refused);
        assertThat(events("aurora:cps:telemetry", "ble-child-8"))
                .noneMatch(e -> e.path("id").asText().endsWith(":1:7"));
    }

    @Test
    void aRelayReceivesItsBoundChildsAcksAndMayNotSubscribeToAnotherDevicesCommands() throws Exception {
        assertThat(bind("ble-child-4", "relay-c", "alice").statusCode()).isEqualTo(200);
        Mqtt3BlockingClient relay = connect("relay-c");
        try (var acks = relay.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            var own = relay.subscribeWith()
                    .topicFilter("aurora/command/ble-child-4/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            assertThat(own.getReturnCodes()).containsExactly(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1);
            assertThatThrownBy(() -> relay.subscribeWith()
                            .topicFilter("aurora/command/stranger-2/#")
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .send())
                    .isInstanceOf(Mqtt3SubAckException.class);
            await().atMost(WAIT).until(() -> rejected("RELAY_NOT_BOUND") >= 1);

            relay.publishWith()
                    .topic("aurora/sensors/ble-child-4/telemetry")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload("{\"boot\":7,\"seq\":1}".getBytes(StandardCharsets.UTF_8))
                    .send();
            var ack = acks.receive(20, TimeUnit.SECONDS);
            assertThat(ack).isPresent();
            assertThat(ack.get().getTopic().toString()).isEqualTo("aurora/command/ble-child-4/ack");
            assertThat(new String(ack.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"boot\":7,\"seq\":1}");
        } finally {
            relay.disconnect();
        }
    }

    @Test
    void theDevicesBindCommandNeedsTheOpsTokenIsAuditedAndUnbindEndsTheRelaysRight() throws Exception {
        Path config = Files.writeString(
                stack.dataDir().resolve("cli.yaml"),
                "data:\n  dir: " + stack.dataDir() + "\nhttp:\n  port: " + gw().httpPort() + "\n");
        Path wrong = Files.writeString(stack.dataDir().resolve("wrong.token"), "y".repeat(43) + "\n");
        Cli refused = cli(
                "devices",
                "bind",
                "ble-child-5",
                "--relay",
                "relay-d",
                "--url",
                "http://127.0.0.1:" + gw().httpPort(),
                "--token-file",
                wrong.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("bind ble-child-5 failed (403)");
        relayPublish("relay-d", "ble-child-5", "telemetry", "{\"boot\":1,\"seq\":1}");
        await().atMost(WAIT).until(() -> rejected("TOPIC_NOT_OWNED") >= 1);

        Cli bound = cli(
                "devices",
                "bind",
                "ble-child-5",
                "--relay",
                "relay-d",
                "--config",
                config.toString(),
                "--operator",
                "bob");
        assertThat(bound.exitCode()).as(bound.err()).isZero();
        assertThat(bound.out()).startsWith("ble-child-5: bound to relay relay-d");
        await().atMost(WAIT).until(() -> !audits("ble-child-5", "RELAY_BOUND").isEmpty());
        assertThat(audits("ble-child-5", "RELAY_BOUND")
                        .get(0)
                        .path("fields")
                        .path("operator")
                        .asText())
                .isEqualTo("bob");
        // Relays do not chain, and a device is not its own relay.
        assertThat(bind("relay-d", "relay-e", "bob").statusCode()).isEqualTo(409);
        assertThat(bind("ble-child-6", "ble-child-5", "bob").statusCode()).isEqualTo(409);
        assertThat(bind("ble-child-6", "ble-child-6", "bob").statusCode()).isEqualTo(409);

        assertThat(relayPublish("relay-d", "ble-child-5", "telemetry", "{\"boot\":1,\"seq\":1}")
                        .exitCode())
                .isZero();
        await().atMost(WAIT)
                .until(() -> events("aurora:cps:telemetry", "ble-child-5").size() == 1);

        Cli unbound = cli("devices", "unbind", "ble-child-5", "--config", config.toString(), "--operator", "bob");
        assertThat(unbound.exitCode()).as(unbound.err()).isZero();
        await().atMost(WAIT).until(() -> !audits("ble-child-5", "RELAY_UNBOUND").isEmpty());
        // relay-d has no child left: it is a plain device again, and the child's topic is not its own.
        double notOwned = rejected("TOPIC_NOT_OWNED");
        relayPublish("relay-d", "ble-child-5", "telemetry", "{\"boot\":1,\"seq\":2}");
        await().atMost(WAIT).until(() -> rejected("TOPIC_NOT_OWNED") > notOwned);
        assertThat(events("aurora:cps:telemetry", "ble-child-5")).hasSize(1);
        // The binding survives a restart of the gateway (it is in the registry).
        assertThat(bind("ble-child-5", "relay-d", "bob").statusCode()).isEqualTo(200);
        gw().restartOnPort(gw().mqttPort());
        assertThat(relayPublish("relay-d", "ble-child-5", "telemetry", "{\"boot\":1,\"seq\":3}")
                        .exitCode())
                .isZero();
        await().atMost(WAIT)
                .until(() -> events("aurora:cps:telemetry", "ble-child-5").size() == 2);
    }

    @Test
    void aQuarantinedRelaysChildrenAreKeptOutOfTheTrustedStreamsAndTheChildItselfIsNotQuarantined() throws Exception {
        assertThat(bind("ble-child-7", "relay-f", "alice").statusCode()).isEqualTo(200);
        // The relay registers by its own message, and is quarantined by an operator.
        assertThat(MosquittoClients.publish(
                                gw().mqttPort(),
                                "relay-f",
                                gw().passwordFor("relay-f"),
                                "aurora/sensors/relay-f/status",
                                "{\"boot\":1,\"seq\":1}",
                                1)
                        .exitCode())
                .isZero();
        await().atMost(WAIT)
                .until(() -> gw().gateway().devices().find("relay-f").isPresent());
        assertThat(relayPublish("relay-f", "ble-child-7", "telemetry", "{\"boot\":1,\"seq\":1}")
                        .exitCode())
                .isZero();
        await().atMost(WAIT)
                .until(() -> events("aurora:cps:telemetry", "ble-child-7").size() == 1);
        assertThat(operator("/devices/relay-f/quarantine", "alice").statusCode())
                .isEqualTo(200);

        assertThat(relayPublish("relay-f", "ble-child-7", "telemetry", "{\"boot\":1,\"seq\":2}")
                        .exitCode())
                .isZero();
        assertThat(relayPublish(
                                "relay-f",
                                "ble-child-7",
                                "alerts",
                                "{\"boot\":1,\"seq\":3,\"severity\":\"critical\",\"kind\":\"tamper_switch\"}")
                        .exitCode())
                .isZero();
        await().atMost(WAIT).until(() -> heldAsUntrusted("ble-child-7").size() == 2);
        assertThat(heldAsUntrusted("ble-child-7")).allSatisfy(e -> {
            assertThat(e.path("trust").asText()).isEqualTo("quarantined");
            assertThat(e.path("relay_id").asText()).isEqualTo("relay-f");
        });
        assertThat(events("aurora:cps:telemetry", "ble-child-7")).hasSize(1);
        assertThat(events("aurora:cps:alerts", "ble-child-7")).isEmpty();
        assertThat(gw().gateway().devices().find("ble-child-7").orElseThrow().quarantined())
                .isFalse();

        assertThat(operator("/devices/relay-f/release", "alice").statusCode()).isEqualTo(200);
        assertThat(relayPublish("relay-f", "ble-child-7", "telemetry", "{\"boot\":1,\"seq\":4}")
                        .exitCode())
                .isZero();
        await().atMost(WAIT)
                .until(() -> events("aurora:cps:telemetry", "ble-child-7").size() == 2);
    }

    private MosquittoClients.Result relayPublish(String relayId, String childId, String channel, String json) {
        return MosquittoClients.publish(
                gw().mqttPort(),
                relayId,
                gw().passwordFor(relayId),
                "aurora/sensors/" + childId + "/" + channel,
                json,
                1);
    }

    private Mqtt3BlockingClient connect(String id) {
        Mqtt3BlockingClient client = Mqtt3Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(gw().mqttPort())
                .buildBlocking();
        client.connectWith()
                .simpleAuth()
                .username(id)
                .password(gw().passwordFor(id).getBytes(StandardCharsets.US_ASCII))
                .applySimpleAuth()
                .send();
        return client;
    }

    private HttpResponse<String> bind(String child, String relay, String operator) throws Exception {
        return operator("/devices/" + child + "/bind?relay=" + relay, operator);
    }

    private HttpResponse<String> operator(String path, String operator) throws Exception {
        return OpsRequests.post(gw().httpPort(), stack.dataDir().resolve("ops.token"), path, operator);
    }

    private double rejected(String code) {
        return gw().metric("aurora_intake_rejected", "code", code);
    }

    private List<JsonNode> events(String stream, String deviceId) {
        List<JsonNode> out = new ArrayList<>();
        for (var e : stack.redisProbe().entries(stream)) {
            JsonNode n = read(e.fields().get("data"));
            if (deviceId.equals(n.path("device_id").asText())) {
                out.add(n);
            }
        }
        return out;
    }

    private List<JsonNode> audits(String deviceId, String code) {
        return events("aurora:audit", deviceId).stream()
                .filter(n -> code.equals(n.path("fields").path("code").asText()))
                .toList();
    }

    /** The device's data kept in the audit stream only (UNTRUSTED_DATA). */
    private List<JsonNode> heldAsUntrusted(String deviceId) {
        return events("aurora:audit", deviceId).stream()
                .filter(n -> "quarantined".equals(n.path("trust").asText())
                        && List.of("telemetry", "alerts")
                                .contains(n.path("message_type").asText()))
                .toList();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Cli(int exitCode, String out, String err) {}

    private static Cli cli(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.commandLine().execute(args);
            return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }
}
