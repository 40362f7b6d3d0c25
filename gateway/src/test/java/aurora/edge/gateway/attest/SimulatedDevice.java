package aurora.edge.gateway.attest;

import aurora.edge.attestation.Result;
import aurora.edge.attestation.dev.DevDeviceKeys;
import aurora.edge.attestation.evidence.Challenge;
import aurora.edge.attestation.evidence.Evidence;
import aurora.edge.attestation.evidence.EvidenceSigner;
import aurora.edge.attestation.evidence.RunningFirmware;
import aurora.edge.attestation.mcuboot.McubootImage;
import aurora.edge.firmware.SampleFirmware;
import aurora.edge.firmware.SampleImage;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A device of the simulated fleet over MQTT 3.1.1: persistent session, listens for challenges, answers with its dev key.
 * A {@link #stock} one listens where stock AuroraSOC firmware does ({@code aurora/attestation/{id}/request}).
 */
final class SimulatedDevice implements AutoCloseable {
    final String id;
    private final boolean stock;
    private final String password;
    private final Mqtt3BlockingClient client;
    private final BlockingQueue<Challenge> challenges = new LinkedBlockingQueue<>();
    /** Actions on the command topic that are not challenges (an isolate after a quarantine, a SOC command). */
    private final BlockingQueue<String> otherActions = new LinkedBlockingQueue<>();

    private final Set<String> seenRequests = ConcurrentHashMap.newKeySet();
    private final EvidenceSigner signer;

    SimulatedDevice(int port, String id, String password) {
        this(port, id, password, false);
    }

    /** A device with stock AuroraSOC firmware: it reads its challenges on aurora/attestation/{id}/request. */
    static SimulatedDevice stock(int port, String id, String password) {
        return new SimulatedDevice(port, id, password, true);
    }

    private SimulatedDevice(int port, String id, String password, boolean stock) {
        this.id = id;
        this.stock = stock;
        this.signer = new EvidenceSigner(id, DevDeviceKeys.simFleet().privateKeyFor(id));
        this.password = password;
        this.client = Mqtt3Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
        connect();
        subscribe();
    }

    private void connect() {
        client.connectWith()
                .cleanSession(false)
                .simpleAuth()
                .username(id)
                .password(password.getBytes(StandardCharsets.US_ASCII))
                .applySimpleAuth()
                .send();
    }

    /**
     * Moquette 0.17 may drop a SUBSCRIBE that arrives right after its CONNACK ("SUBSCRIBE received on
     * already closed connection") and then never answers it, nor any later SUBSCRIBE on that
     * connection: after a timeout the device connects again (its session is kept) and retries.
     */
    private void subscribe() {
        for (int attempt = 1; ; attempt++) {
            String filter = stock ? "aurora/attestation/" + id + "/request" : "aurora/command/" + id + "/action";
            var subscribed = client.toAsync()
                    .subscribeWith()
                    .topicFilter(filter)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .callback(p -> {
                        // A challenge can arrive twice (a QoS 1 redelivery, or once per subscription after a
                        // retried SUBSCRIBE); like a real device, take each request once.
                        Result<Challenge> parsed = stock
                                ? Challenge.parseAuroraSocRequest(p.getPayloadAsBytes(), Instant.now())
                                : Challenge.parseCommand(p.getPayloadAsBytes(), Instant.now());
                        if (parsed instanceof Result.Ok<Challenge> ok
                                && seenRequests.add(ok.value().requestId())) {
                            challenges.add(ok.value());
                        } else if (parsed instanceof Result.Failed<Challenge>) {
                            otherActions.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
                        }
                    })
                    .send();
            try {
                subscribed.get(3, TimeUnit.SECONDS);
                return;
            } catch (TimeoutException e) {
                if (attempt == 5) {
                    throw new AssertionError(id + " got no SUBACK after 5 attempts");
                }
                reconnect();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while subscribing", e);
            } catch (ExecutionException e) {
                throw new AssertionError(id + " could not subscribe", e.getCause());
            }
        }
    }

    private void reconnect() {
        try {
            client.disconnect();
        } catch (RuntimeException e) {
            // the broker may already consider the connection gone
        }
        connect();
    }

    static RunningFirmware firmware(SampleImage image) {
        return RunningFirmware.of(
                McubootImage.parse(SampleFirmware.bytes(image)).orElseThrow());
    }

    Challenge nextChallenge() throws InterruptedException {
        Challenge c = challenges.poll(20, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError(id + " received no challenge within 20 s");
        }
        return c;
    }

    /** The next action on the command topic that is not a challenge, as JSON text; fails after 20 s. */
    String nextOtherAction() throws InterruptedException {
        String a = otherActions.poll(20, TimeUnit.SECONDS);
        if (a == null) {
            throw new AssertionError(id + " received no other command within 20 s");
        }
        return a;
    }

    /** Challenges received so far and not yet taken. */
    int waitingChallenges() {
        return challenges.size();
    }

    Challenge nextChallenge(Duration within) throws InterruptedException {
        return challenges.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    void telemetry(long boot, long seq, String fw) {
        publish("telemetry", "{\"boot\":" + boot + ",\"seq\":" + seq + ",\"fw\":\"" + fw + "\",\"temp_c\":21.5}");
    }

    void alert(long boot, long seq) {
        publish(
                "alerts",
                "{\"boot\":" + boot + ",\"seq\":" + seq + ",\"severity\":\"high\",\"kind\":\"tamper_switch\"}");
    }

    void publish(String channel, String json) {
        publishBytes(channel, json.getBytes(StandardCharsets.UTF_8));
    }

    void publishBytes(String channel, byte[] payload) {
        publishTo("aurora/sensors/" + id + "/" + channel, payload);
    }

    /** Publishes on any topic (stock answers go to aurora/attestation/{id}/response). */
    void publishTo(String topic, byte[] payload) {
        client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload)
                .send();
    }

    /** The honest answer, published; returns the bytes so a test can replay them. */
    byte[] answer(Challenge challenge, RunningFirmware firmware, long boot) {
        byte[] json = signer.answer(challenge, firmware, boot).toJson();
        publishBytes("attestation", json);
        return json;
    }

    /** Signs whatever claims a test makes up (dishonest evidence on purpose) and publishes them. */
    void answerWith(String requestId, aurora.edge.attestation.evidence.Claims claims) {
        publishBytes("attestation", signer.sign(requestId, claims).toJson());
    }

    Evidence honestEvidence(Challenge challenge, RunningFirmware firmware, long boot) {
        return signer.answer(challenge, firmware, boot);
    }

    @Override
    public void close() {
        if (client.getState().isConnected()) {
            client.disconnect();
        }
    }
}
