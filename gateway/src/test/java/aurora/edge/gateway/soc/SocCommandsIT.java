package aurora.edge.gateway.soc;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.GatewayStack;
import aurora.edge.gateway.TestGateway;
import aurora.edge.testing.RedisProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Commands from the SOC, end to end: signed with openssl, put on the site's real Redis, delivered by
 * the gateway to a real MQTT client acting as the device, answered, and the outcome read back from
 * {@code aurora:cps:command_results} and {@code aurora:audit}.
 */
class SocCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path KEYS = tempDir();
    private static final OpensslSigner SOC = OpensslSigner.newP256Key(KEYS.resolve("soc"));
    private static final OpensslSigner STRANGER = OpensslSigner.newP256Key(KEYS.resolve("stranger"));
    private static final String COMMANDS = "aurora:cps:commands";
    private static final String RESULTS = "aurora:cps:command_results";

    @RegisterExtension
    final GatewayStack stack = GatewayStack.with(
            Map.of("AURORA_COMMANDS_SOC_KEY", SOC.publicKey.toString(), "AURORA_COMMANDS_RETRY_INTERVAL", "2s"));

    @Test
    void aSignedCommandWaitsForASleepyDeviceReachesItWhenItListensAndItsAnswerIsPublished() throws Exception {
        TestGateway gw = stack.gateway();
        register(gw, "door-01");
        String commandId = "cmd-" + UUID.randomUUID();

        put(command(commandId, "door-01", "isolate", "site-test", 600), SOC);
        // Asleep: nothing can go out yet, the command waits (accepted, audited).
        await().atMost(ofSeconds(20)).until(() -> auditCodes().contains("COMMAND_ACCEPTED"));
        assertThat(results()).isEmpty();

        try (Device door = Device.listening(gw, "door-01", "aurora/command/door-01/action")) {
            Mqtt3Publish received = door.next(15);
            JsonNode body = JSON.readTree(received.getPayloadAsBytes());
            assertThat(body.path("action").asText()).isEqualTo("isolate");
            assertThat(body.path("command_id").asText()).isEqualTo(commandId);

            door.answer(commandId, "done");
            await().atMost(ofSeconds(20))
                    .until(() -> results().stream()
                            .anyMatch(r -> r.path("status").asText().equals("done")));
        }
        JsonNode result = results().stream()
                .filter(r -> r.path("status").asText().equals("done"))
                .findFirst()
                .orElseThrow();
        assertThat(result.path("command_id").asText()).isEqualTo(commandId);
        assertThat(result.path("device_id").asText()).isEqualTo("door-01");
        assertThat(result.path("gateway_id").asText()).isEqualTo("gw-test");
        await().atMost(ofSeconds(20))
                .until(() -> auditCodes()
                        .containsAll(List.of("COMMAND_ACCEPTED", "COMMAND_DONE", "message_type=command_result")));
    }

    @Test
    void lockVerbsGoToTheAccessTopicAndAreResentUntilAnswered() throws Exception {
        TestGateway gw = stack.gateway();
        register(gw, "lock-07");
        try (Device lock = Device.listening(gw, "lock-07", "aurora/access/lock-07/command")) {
            String commandId = "cmd-" + UUID.randomUUID();
            put(command(commandId, "lock-07", "lockdown", "site-test", 600), SOC);

            assertThat(JSON.readTree(lock.next(15).getPayloadAsBytes())
                            .path("action")
                            .asText())
                    .isEqualTo("lockdown");
            // Not answered: sent again after commands.retry_interval.
            assertThat(JSON.readTree(lock.next(15).getPayloadAsBytes())
                            .path("command_id")
                            .asText())
                    .isEqualTo(commandId);
            lock.answer(commandId, "rejected");
            await().atMost(ofSeconds(20))
                    .until(() -> results().stream()
                            .anyMatch(r -> r.path("status").asText().equals("rejected")));
        }
    }

    @Test
    void unsignedForgedExpiredForeignReplayedAndUnknownCommandsAreRefusedWithACodeAndNeverReachTheDevice()
            throws Exception {
        TestGateway gw = stack.gateway();
        register(gw, "valve-3");
        try (Device valve = Device.listening(gw, "valve-3", "aurora/command/valve-3/action")) {
            byte[] replayed = command("cmd-replay", "valve-3", "reboot", "site-test", 600);
            put(replayed, SOC);
            assertThat(JSON.readTree(valve.next(15).getPayloadAsBytes())
                            .path("command_id")
                            .asText())
                    .isEqualTo("cmd-replay");
            valve.answer("cmd-replay", "done");

            putUnsigned(command("cmd-unsigned", "valve-3", "isolate", "site-test", 600));
            put(command("cmd-forged", "valve-3", "isolate", "site-test", 600), STRANGER);
            put(command("cmd-expired", "valve-3", "isolate", "site-test", -60), SOC);
            put(command("cmd-too-long", "valve-3", "isolate", "site-test", 60L * 60 * 24 * 40), SOC);
            put(command("cmd-foreign", "valve-3", "isolate", "site-other", 600), SOC);
            put(replayed, SOC);
            put(command("cmd-nobody", "ghost-9", "isolate", "site-test", 600), SOC);
            put(command("cmd-verb", "valve-3", "self_destruct", "site-test", 600), SOC);
            put("{not json".getBytes(StandardCharsets.UTF_8), SOC);

            await().atMost(ofSeconds(20))
                    .until(() -> auditCodes()
                            .containsAll(List.of(
                                    "COMMAND_UNSIGNED",
                                    "COMMAND_SIGNATURE_INVALID",
                                    "COMMAND_EXPIRED",
                                    "COMMAND_FOREIGN_SITE",
                                    "COMMAND_REPLAYED",
                                    "COMMAND_UNKNOWN_DEVICE",
                                    "COMMAND_UNKNOWN_ACTION",
                                    "COMMAND_MALFORMED")));
            await().atMost(ofSeconds(20))
                    .until(
                            () -> results().stream()
                                    .filter(r -> r.path("status").asText().equals("refused"))
                                    .count(),
                            n -> n == 9);

            // A barrier: after the bad ones, a good command arrives; nothing but it and the first one ever did.
            put(command("cmd-barrier", "valve-3", "set_interval", "site-test", 600), SOC);
            await().atMost(ofSeconds(20)).until(() -> valve.drain().contains("cmd-barrier"));
            assertThat(valve.drain()).containsOnly("cmd-replay", "cmd-barrier");
        }
    }

    @Test
    void reattestIsCarriedOutByTheGatewayAndItsOutcomeSaysWhyNotWhenTheDeviceCannotBeChallenged() throws Exception {
        register(stack.gateway(), "probe-5");
        put(command("cmd-reattest", "probe-5", "reattest", "site-test", 600), SOC);
        // This gateway has no firmware manifest: nothing can be attested, and the SOC is told so.
        await().atMost(ofSeconds(20))
                .until(() -> results().stream()
                        .anyMatch(r -> r.path("command_id").asText().equals("cmd-reattest")));
        JsonNode result = results().stream()
                .filter(r -> r.path("command_id").asText().equals("cmd-reattest"))
                .findFirst()
                .orElseThrow();
        assertThat(result.path("status").asText()).isEqualTo("failed");
        assertThat(result.path("detail").asText()).contains("attest.manifest");
    }

    @Test
    void queuedCommandsSurviveAGatewayRestart() throws Exception {
        TestGateway gw = stack.gateway();
        register(gw, "pump-2");
        put(command("cmd-durable", "pump-2", "reboot", "site-test", 600), SOC);
        await().atMost(ofSeconds(20)).until(() -> auditCodes().contains("COMMAND_ACCEPTED"));

        gw.restartOnPort(gw.mqttPort());

        try (Device pump = Device.listening(gw, "pump-2", "aurora/command/pump-2/#")) {
            assertThat(JSON.readTree(pump.next(15).getPayloadAsBytes())
                            .path("command_id")
                            .asText())
                    .isEqualTo("cmd-durable");
        }
    }

    // ---- helpers ----

    private void register(TestGateway gw, String deviceId) throws Exception {
        try (Device d = Device.connect(gw, deviceId)) {
            d.client
                    .publishWith()
                    .topic("aurora/sensors/" + deviceId + "/telemetry")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload("{\"seq\":1,\"boot\":1,\"temp_c\":20}".getBytes(StandardCharsets.UTF_8))
                    .send();
        }
        await().atMost(ofSeconds(20))
                .until(() -> gw.gateway().devices().find(deviceId).isPresent());
    }

    private static byte[] command(String id, String device, String action, String site, long expiresInSeconds) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("command_id", id);
        c.put("site_id", site);
        c.put("device_id", device);
        c.put("action", action);
        c.put("params", Map.of("interval_s", 60));
        c.put("issued_at", now.minusSeconds(Math.max(0, -expiresInSeconds) + 1).toString());
        c.put("expires_at", now.plusSeconds(expiresInSeconds).toString());
        c.put("requested_by", "soar:playbook-cps-anomaly");
        try {
            return JSON.writeValueAsBytes(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void put(byte[] data, OpensslSigner signer) {
        xadd(Map.of("data", new String(data, StandardCharsets.UTF_8), "signature", signer.sign(data)));
    }

    private void putUnsigned(byte[] data) {
        xadd(Map.of("data", new String(data, StandardCharsets.UTF_8)));
    }

    private void xadd(Map<String, String> fields) {
        RedisClient client = RedisClient.create(stack.redis().url());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().xadd(COMMANDS, fields);
        } finally {
            client.shutdown();
        }
    }

    private List<JsonNode> results() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (RedisProbe.Entry e : stack.redisProbe().entries(RESULTS)) {
            out.add(JSON.readTree(e.fields().get("data")));
        }
        return out;
    }

    private List<String> auditCodes() throws IOException {
        List<String> codes = new ArrayList<>();
        for (RedisProbe.Entry e : stack.redisProbe().entries("aurora:audit")) {
            JsonNode data = JSON.readTree(e.fields().get("data"));
            codes.add(data.path("fields").path("code").asText(""));
            // A device's own answer is archived as it was sent, under its message type.
            codes.add("message_type=" + data.path("message_type").asText(""));
        }
        return codes;
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("soc-keys");
            Files.createDirectories(dir.resolve("soc"));
            Files.createDirectories(dir.resolve("stranger"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A device as a plain MQTT client: connects with its derived password, listens, answers. */
    private static final class Device implements AutoCloseable {
        final Mqtt3BlockingClient client;
        private final Mqtt3BlockingClient.Mqtt3Publishes publishes;
        private final String deviceId;
        private final java.util.Set<String> commandIds = new java.util.concurrent.ConcurrentSkipListSet<>();

        private Device(Mqtt3BlockingClient client, Mqtt3BlockingClient.Mqtt3Publishes publishes, String deviceId) {
            this.client = client;
            this.publishes = publishes;
            this.deviceId = deviceId;
        }

        static Device connect(TestGateway gw, String deviceId) {
            return new Device(connected(gw, deviceId), null, deviceId);
        }

        static Device listening(TestGateway gw, String deviceId, String filter) {
            Mqtt3BlockingClient c = connected(gw, deviceId);
            var publishes = c.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.SUBSCRIBED);
            c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
            return new Device(c, publishes, deviceId);
        }

        /** A client connected with the device's derived password. */
        private static Mqtt3BlockingClient connected(TestGateway gw, String deviceId) {
            Mqtt3BlockingClient c = Mqtt3Client.builder()
                    .identifier(deviceId)
                    .serverHost("127.0.0.1")
                    .serverPort(gw.mqttPort())
                    .simpleAuth()
                    .username(deviceId)
                    .password(gw.passwordFor(deviceId).getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth()
                    .buildBlocking();
            c.connect();
            return c;
        }

        Mqtt3Publish next(int seconds) throws InterruptedException, IOException {
            Mqtt3Publish p = publishes
                    .receive(seconds, TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError("nothing received"));
            commandIds.add(
                    JSON.readTree(p.getPayloadAsBytes()).path("command_id").asText());
            return p;
        }

        /** The command ids received so far (reads what has arrived without waiting). */
        java.util.Set<String> drain() throws IOException {
            for (Optional<Mqtt3Publish> p = publishes.receiveNow(); p.isPresent(); p = publishes.receiveNow()) {
                commandIds.add(JSON.readTree(p.get().getPayloadAsBytes())
                        .path("command_id")
                        .asText());
            }
            return commandIds;
        }

        void answer(String commandId, String status) {
            client.publishWith()
                    .topic("aurora/sensors/" + deviceId + "/command_result")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("{\"command_id\":\"" + commandId + "\",\"status\":\"" + status + "\"}")
                            .getBytes(StandardCharsets.UTF_8))
                    .send();
        }

        @Override
        public void close() {
            if (publishes != null) {
                publishes.close();
            }
            client.disconnect();
        }
    }
}
