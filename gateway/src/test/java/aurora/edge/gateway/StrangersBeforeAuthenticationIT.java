package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.testing.RawMqtt;
import aurora.edge.testing.RedisProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Strangers (clients that never authenticate) can neither flood the audit trail nor exhaust the
 * gateway, while an honest device keeps publishing. Attack sockets come from 127.0.0.2 and up,
 * the honest device from 127.0.0.1: per-address limits are what is under test.
 */
class StrangersBeforeAuthenticationIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_DEADLINE = Duration.ofSeconds(2);
    private static final Duration AUDIT_WINDOW = Duration.ofSeconds(5);

    @RegisterExtension
    final GatewayStack stack = GatewayStack.with(Map.of(
            "AURORA_MQTT_CONNECT_TIMEOUT", "2s",
            "AURORA_MQTT_MAX_PENDING_PER_ADDRESS", "64",
            "AURORA_AUDIT_SUMMARY_WINDOW", AUDIT_WINDOW.toSeconds() + "s",
            "AURORA_INTAKE_MAX_RATE_PER_DEVICE", "1000",
            "AURORA_INTAKE_MAX_BURST_PER_DEVICE", "1000"));

    @Test
    void aStrangerCyclingTwoThousandClientIdsLeavesAHandfulOfAuditEventsWhileAnHonestDeviceFlows() throws Exception {
        TestGateway gw = stack.gateway();
        RedisProbe redis = stack.redisProbe();
        Mqtt3BlockingClient honest = stack.closeAfter(new HonestDevice(gw, "dev-honest")).client;
        String hugeName = "u".repeat(3000) + "\" device_id=\"dev-honest\n";
        int seq = 0;
        long started = System.nanoTime();
        for (int i = 0; i < 2000; i++) {
            try (Socket s = RawMqtt.open("127.0.0.2", gw.mqttPort())) {
                String id = "stranger-" + i;
                s.getOutputStream().write(RawMqtt.connect(id, i % 2 == 0 ? id : hugeName, "wrong", null, null));
                assertThat(RawMqtt.connAck(s)).isNotZero();
            }
            if (i % 100 == 0) {
                seq++;
                publish(honest, "aurora/sensors/dev-honest/telemetry", "{\"seq\":" + seq + ",\"boot\":0}");
            }
        }
        // And a real client with a wrong password, from another address.
        assertThat(MosquittoClients.publish(
                                gw.mqttPort(), "dev-guess", "wrong", "aurora/sensors/dev-guess/telemetry", "{}", 1)
                        .exitCode())
                .isNotZero();
        // Each audit window the attack touched may hold one event of its own per address and one summary.
        long windows = Duration.ofNanos(System.nanoTime() - started).toMillis() / AUDIT_WINDOW.toMillis() + 2;
        long bound = 2 * windows + 1;

        assertThat(gw.metric("aurora_intake_rejected", "code", "AUTH_FAILED")).isEqualTo(2001);
        // The window closes with one summary that accounts for what was not audited one by one.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> authFailures(redis).stream()
                                .mapToLong(
                                        e -> e.path("fields").path("suppressed").asLong(0))
                                .sum()
                        == 2001 - individual(redis));
        List<JsonNode> events = authFailures(redis);
        assertThat(events).hasSizeLessThanOrEqualTo((int) bound);
        assertThat(events)
                .anySatisfy(e ->
                        assertThat(e.path("title").asText()).containsPattern("^\\d+ AUTH_FAILED from [12] address"));
        for (JsonNode e : audit(redis)) {
            e.path("fields")
                    .forEach(v ->
                            assertThat(v.asText()).hasSizeLessThanOrEqualTo(129).doesNotContain("\n", "\""));
        }
        assertThat(audit(redis))
                .as("besides AUTH_FAILED only the honest device's registration")
                .hasSizeLessThanOrEqualTo(events.size() + 2);

        final int sent = seq;
        await().atMost(Duration.ofSeconds(20))
                .until(() -> redis.entries("aurora:cps:telemetry").stream()
                                .filter(e -> e.fields().get("id").contains("dev-honest:0:"))
                                .count()
                        == sent);
    }

    @Test
    void halfSentConnectsAreClosedByTheDeadlineAndOversizedOnesAtOnceWhileAnHonestDeviceKeepsPublishing()
            throws Exception {
        TestGateway gw = stack.gateway();
        RedisProbe redis = stack.redisProbe();
        Mqtt3BlockingClient honest = stack.closeAfter(new HonestDevice(gw, "dev-steady")).client;
        byte[] oversized = RawMqtt.connect("big", "big", "x".repeat(60_000), null, null);
        byte[] small = RawMqtt.connect("slow", "slow", "y".repeat(2000), null, null);
        List<Socket> attack = new ArrayList<>();
        try {
            // 2 x 50 sockets each sending half of a 60 kB CONNECT: refused on its fixed header, nothing buffered.
            for (int i = 0; i < 100; i++) {
                attack.add(send(
                        RawMqtt.open(i % 2 == 0 ? "127.0.0.2" : "127.0.0.10", gw.mqttPort()),
                        Arrays.copyOf(oversized, oversized.length / 2)));
            }
            // 6 x 50 sockets each sending half of a small CONNECT and then nothing: closed by the CONNECT deadline.
            for (int a = 3; a <= 8; a++) {
                for (int i = 0; i < 50; i++) {
                    attack.add(
                            send(RawMqtt.open("127.0.0." + a, gw.mqttPort()), Arrays.copyOf(small, small.length / 2)));
                }
            }
            // 100 silent sockets from one address: 64 wait for their deadline, the rest are refused at once.
            for (int i = 0; i < 100; i++) {
                attack.add(RawMqtt.open("127.0.0.9", gw.mqttPort()));
            }
            long attackStarted = System.nanoTime();

            int seq = 0;
            while (Duration.ofNanos(System.nanoTime() - attackStarted).compareTo(CONNECT_DEADLINE) < 0 || seq < 20) {
                seq++;
                publish(honest, "aurora/sensors/dev-steady/telemetry", "{\"seq\":" + seq + ",\"boot\":0}");
            }

            ExecutorService readers = Executors.newFixedThreadPool(16);
            try {
                List<Future<Boolean>> closed = attack.stream()
                        .map(s -> readers.submit(() -> RawMqtt.closedByPeer(s)))
                        .toList();
                for (Future<Boolean> f : closed) {
                    assertThat(f.get())
                            .as("an attack socket is closed by the gateway")
                            .isTrue();
                }
            } finally {
                readers.shutdownNow();
            }
            // Every socket closed well before Moquette's own 10 s idle timer would have done it.
            assertThat(Duration.ofNanos(System.nanoTime() - attackStarted)).isLessThan(CONNECT_DEADLINE.plusSeconds(5));

            assertThat(gw.metric("aurora_mqtt_refused", "reason", "connect_too_large"))
                    .isEqualTo(100);
            assertThat(gw.metric("aurora_mqtt_refused", "reason", "pending_per_address"))
                    .isEqualTo(36);
            assertThat(gw.metric("aurora_mqtt_refused", "reason", "connect_deadline"))
                    .isEqualTo(300 + 64);

            final int sent = seq;
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> redis.entries("aurora:cps:telemetry").stream()
                                    .filter(e -> e.fields().get("id").contains("dev-steady:0:"))
                                    .count()
                            == sent);
            // And a device connecting after the attack gets in.
            assertThat(MosquittoClients.publish(
                                    gw.mqttPort(),
                                    "dev-late",
                                    gw.passwordFor("dev-late"),
                                    "aurora/sensors/dev-late/telemetry",
                                    "{\"seq\":1,\"boot\":0}",
                                    1)
                            .exitCode())
                    .isZero();
        } finally {
            for (Socket s : attack) {
                s.close();
            }
        }
    }

    @Test
    void aQos2PublishIsRefusedAndItsConnectionClosed() throws Exception {
        TestGateway gw = stack.gateway();
        try (Socket s = RawMqtt.open("127.0.0.1", gw.mqttPort())) {
            s.getOutputStream().write(RawMqtt.connect("dev-qos2", "dev-qos2", gw.passwordFor("dev-qos2"), null, null));
            assertThat(RawMqtt.connAck(s)).isZero();
            s.getOutputStream()
                    .write(RawMqtt.publish(
                            "aurora/sensors/dev-qos2/telemetry", "{\"seq\":1}".getBytes(StandardCharsets.UTF_8), 2));
            assertThat(RawMqtt.closedByPeer(s))
                    .as("no PUBREC, the connection is closed")
                    .isTrue();
        }
        assertThat(gw.metric("aurora_intake_rejected", "code", "QOS2_REFUSED")).isEqualTo(1);
        assertThat(gw.metric("aurora_mqtt_refused", "reason", "qos2")).isEqualTo(1);
    }

    @Test
    void aSecondConnectOnAnOpenConnectionIsRefused() throws Exception {
        TestGateway gw = stack.gateway();
        try (Socket s = RawMqtt.open("127.0.0.1", gw.mqttPort())) {
            s.getOutputStream()
                    .write(RawMqtt.connect("dev-twice", "dev-twice", gw.passwordFor("dev-twice"), null, null));
            assertThat(RawMqtt.connAck(s)).isZero();
            s.getOutputStream()
                    .write(RawMqtt.connect(
                            "dev-twice",
                            "dev-twice",
                            gw.passwordFor("dev-twice"),
                            "aurora/command/dev-other/action",
                            "{\"action\":\"isolate\"}"));
            assertThat(RawMqtt.closedByPeer(s)).isTrue();
        }
        assertThat(gw.metric("aurora_mqtt_refused", "reason", "second_connect")).isEqualTo(1);
    }

    private static Socket send(Socket s, byte[] bytes) throws IOException {
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
        return s;
    }

    private static List<JsonNode> audit(RedisProbe redis) {
        return redis.entries("aurora:audit").stream()
                .map(e -> {
                    try {
                        return JSON.readTree(e.fields().get("data"));
                    } catch (IOException ex) {
                        throw new IllegalStateException(ex);
                    }
                })
                .toList();
    }

    private static List<JsonNode> authFailures(RedisProbe redis) {
        return audit(redis).stream()
                .filter(e -> "AUTH_FAILED".equals(e.path("fields").path("code").asText()))
                .toList();
    }

    private static long individual(RedisProbe redis) {
        return authFailures(redis).stream()
                .filter(e -> e.path("fields").has("claimed_client_id"))
                .count();
    }

    private static void publish(Mqtt3BlockingClient client, String topic, String payload) {
        client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .send();
    }

    /** A device that connected before the attack began. */
    private static final class HonestDevice implements AutoCloseable {
        final Mqtt3BlockingClient client;

        HonestDevice(TestGateway gw, String id) {
            client = Mqtt3Client.builder()
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
        }

        @Override
        public void close() {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        }
    }
}
