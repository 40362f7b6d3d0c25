package aurora.edge.gateway.attest;

import aurora.edge.attestation.Result;
import aurora.edge.attestation.dev.DevDeviceKeys;
import aurora.edge.attestation.evidence.Challenge;
import aurora.edge.attestation.evidence.EvidenceSigner;
import aurora.edge.attestation.evidence.RunningFirmware;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A relay (an ESP32-S3 BLE gateway) over MQTT 3.1.1: one session as itself, listening on its own
 * command topic and on its children's, publishing for itself and for them. It forwards a child's
 * answer signed with the child's key ({@link #forwardAnswer}), or forges one with its own
 * ({@link #forgeAnswer}).
 */
final class SimulatedRelay implements AutoCloseable {
    final String id;
    private final Mqtt3BlockingClient client;
    private final Map<String, BlockingQueue<Challenge>> challenges = new ConcurrentHashMap<>();

    SimulatedRelay(int port, String id, String password, List<String> children) {
        this.id = id;
        this.client = Mqtt3Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
        client.connectWith()
                .simpleAuth()
                .username(id)
                .password(password.getBytes(StandardCharsets.US_ASCII))
                .applySimpleAuth()
                .send();
        listen(id);
        children.forEach(this::listen);
    }

    private void listen(String deviceId) {
        BlockingQueue<Challenge> queue = challenges.computeIfAbsent(deviceId, d -> new LinkedBlockingQueue<>());
        client.toAsync()
                .subscribeWith()
                .topicFilter("aurora/command/" + deviceId + "/action")
                .qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> {
                    if (Challenge.parseCommand(p.getPayloadAsBytes(), Instant.now())
                            instanceof Result.Ok<Challenge> ok) {
                        queue.add(ok.value());
                    }
                })
                .send()
                .join();
    }

    Challenge nextChallenge(String deviceId) throws InterruptedException {
        Challenge c = challenges.get(deviceId).poll(20, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError(id + " received no challenge for " + deviceId + " within 20 s");
        }
        return c;
    }

    void telemetry(String deviceId, long boot, long seq, String fw) {
        publish(
                deviceId,
                "telemetry",
                "{\"boot\":" + boot + ",\"seq\":" + seq + ",\"fw\":\"" + fw + "\",\"temp_c\":21.5}");
    }

    void publish(String deviceId, String channel, String json) {
        client.publishWith()
                .topic("aurora/sensors/" + deviceId + "/" + channel)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(json.getBytes(StandardCharsets.UTF_8))
                .send();
    }

    void publishAtMostOnce(String deviceId, String channel, String json) {
        client.publishWith()
                .topic("aurora/sensors/" + deviceId + "/" + channel)
                .qos(MqttQos.AT_MOST_ONCE)
                .payload(json.getBytes(StandardCharsets.UTF_8))
                .send();
    }

    /** The device's own answer (signed with its key), carried by the relay. */
    void forwardAnswer(String deviceId, Challenge c, RunningFirmware firmware, long boot) {
        EvidenceSigner signer =
                new EvidenceSigner(deviceId, DevDeviceKeys.simFleet().privateKeyFor(deviceId));
        publishAnswer(deviceId, signer.answer(c, firmware, boot).toJson());
    }

    /** An answer for {@code deviceId} that the relay made up and signed with its own key. */
    void forgeAnswer(String deviceId, Challenge c, RunningFirmware firmware, long boot) {
        EvidenceSigner signer =
                new EvidenceSigner(deviceId, DevDeviceKeys.simFleet().privateKeyFor(id));
        publishAnswer(deviceId, signer.answer(c, firmware, boot).toJson());
    }

    private void publishAnswer(String deviceId, byte[] json) {
        client.publishWith()
                .topic("aurora/sensors/" + deviceId + "/attestation")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(json)
                .send();
    }

    @Override
    public void close() {
        try {
            client.disconnect();
        } catch (RuntimeException e) {
            // already gone
        }
    }
}
