package aurora.edge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fleet against a real broker we did not write (Debian's mosquitto): credentials, topics, QoS 1, persistent
 * sessions, acks published by a client playing the gateway, and resend after a broker restart.
 */
class FleetAgainstMosquittoTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SITE_KEY = "aurora-device-sim-test-site-key!".getBytes(StandardCharsets.US_ASCII);
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Backoff QUICK = new Backoff(Duration.ofMillis(50), Duration.ofMillis(500));
    private static final String[] PREFIXES = {"ok-", "ack-", "cmd-", "fs-"};
    private static final int DEVICES_PER_PREFIX = 3;

    private static MosquittoBroker broker;
    private static Mqtt3AsyncClient gateway;

    private Fleet fleet;
    private Mqtt3AsyncClient observer;
    private final List<Received> received = new ArrayList<>();

    record Received(String topic, String deviceId, long boot, long seq, JsonNode payload) {
        String messageId() {
            return deviceId + ":" + boot + ":" + seq;
        }
    }

    @BeforeAll
    static void startBroker() {
        Map<String, String> users = new LinkedHashMap<>();
        for (String prefix : PREFIXES) {
            for (int i = 0; i < DEVICES_PER_PREFIX; i++) {
                DeviceCredentials c =
                        DeviceCredentials.derive(SITE_KEY, prefix + String.format(Locale.ROOT, "%05d", i));
                users.put(c.username(), c.password());
            }
        }
        users.put("test-gateway", "gw-secret");
        for (String prefix : PREFIXES) {
            users.put("observer-" + prefix, "obs-secret");
        }
        broker = MosquittoBroker.start(users);
        gateway = client("test-gateway", "gw-secret", true);
        gateway.connectWith()
                .cleanSession(true)
                .send()
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    @AfterAll
    static void stopBroker() {
        if (gateway != null) {
            gateway.disconnect();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void closeFleet() {
        if (fleet != null) {
            fleet.close();
        }
        if (observer != null) {
            observer.disconnect()
                    .orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null)
                    .join();
        }
    }

    private static Mqtt3AsyncClient client(String user, String password, boolean reconnect) {
        var builder = Mqtt3Client.builder()
                .identifier(user)
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                // the fleet's thread count, so HiveMQ does not warn about two counts for its one shared event loop
                .executorConfig(MqttClientExecutorConfig.builder()
                        .nettyThreads(Fleet.NETTY_THREADS)
                        .build())
                .simpleAuth()
                .username(user)
                .password(password.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth();
        if (reconnect) {
            builder = builder.automaticReconnect()
                    .initialDelay(50, TimeUnit.MILLISECONDS)
                    .maxDelay(500, TimeUnit.MILLISECONDS)
                    .applyAutomaticReconnect();
        }
        return builder.buildAsync();
    }

    /** A persistent-session subscriber on every device topic: it survives the broker restart without gaps. */
    private void observe(String prefix) {
        observer = client("observer-" + prefix, "obs-secret", true);
        observer.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL, publish -> {
            try {
                JsonNode node = JSON.readTree(publish.getPayloadAsBytes());
                String deviceId = publish.getTopic().getLevels().get(2);
                if (!deviceId.startsWith(prefix)) {
                    return;
                }
                synchronized (received) {
                    received.add(new Received(
                            publish.getTopic().toString(),
                            deviceId,
                            node.get("boot").asLong(),
                            node.get("seq").asLong(),
                            node));
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        observer.connectWith()
                .cleanSession(false)
                .send()
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
        observer.subscribeWith()
                .topicFilter("aurora/sensors/+/#")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    private List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private FleetSpec.Builder spec(String prefix) {
        return FleetSpec.builder("127.0.0.1", broker.port(), SITE_KEY)
                .idPrefix(prefix)
                .deviceCount(DEVICES_PER_PREFIX)
                .reconnect(QUICK)
                .boot(3);
    }

    private void ack(String deviceId, long boot, long seq) {
        await().atMost(PATIENCE).until(() -> gateway.getState().isConnected()); // after a broker restart
        gateway.publishWith()
                .topic("aurora/command/" + deviceId + "/ack")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(("{\"boot\":" + boot + ",\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8))
                .send()
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    @Test
    void devicesLogInWithDerivedPasswordsAndEveryMessageArrivesWithItsIdOnTheRightTopic() {
        observe("ok-");
        fleet = Fleet.start(spec("ok-")
                .messagesPerSecondPerDevice(50)
                .maxMessagesPerDevice(20)
                .alertShare(0.1)
                .build());

        await().atMost(PATIENCE)
                .until(() -> fleet.publishingStopped().isDone() && received().size() == 60);

        FleetStats stats = fleet.stats();
        assertThat(stats.connectedDevices()).isEqualTo(3);
        assertThat(stats.sent()).isEqualTo(60);
        assertThat(stats.connectFailures()).isZero();
        assertThat(received())
                .extracting(Received::messageId)
                .containsExactlyInAnyOrderElementsOf(fleet.sentMessageIds())
                .doesNotHaveDuplicates();
        assertThat(received()).allSatisfy(r -> {
            assertThat(r.boot()).isEqualTo(3);
            String channel = r.payload().has("severity") ? "alerts" : "telemetry";
            assertThat(r.topic()).isEqualTo("aurora/sensors/" + r.deviceId() + "/" + channel);
        });
        assertThat(received()).filteredOn(r -> r.topic().endsWith("/alerts")).hasSize(6);
        for (String id : fleet.deviceIds()) {
            assertThat(received())
                    .filteredOn(r -> r.deviceId().equals(id))
                    .extracting(Received::seq)
                    .as("seq of %s, one counter for both channels", id)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 20)
                            .boxed()
                            .toList());
        }
    }

    @Test
    void acksEmptyTheRingAndAfterABrokerRestartOnlyWhatIsAboveTheWatermarkIsResentInOrder() {
        observe("ack-");
        fleet = Fleet.start(spec("ack-")
                .messagesPerSecondPerDevice(50)
                .maxMessagesPerDevice(10)
                .alertShare(0)
                .build());
        await().atMost(PATIENCE)
                .until(() -> fleet.stats().sent() == 30 && received().size() == 30);
        assertThat(fleet.stats().unacked()).as("PUBACK is not an ack").isEqualTo(30);

        ack("ack-00000", 3, 4);
        ack("ack-00001", 3, 10);
        ack("ack-00002", 2, 10); // another boot: ignored
        await().atMost(PATIENCE).until(() -> fleet.stats().acked() == 14);
        assertThat(fleet.stats().unacked()).isEqualTo(16);

        broker.stop();
        await().atMost(PATIENCE).until(() -> fleet.stats().connectedDevices() == 0);
        broker.launch();

        await().atMost(PATIENCE)
                .until(() -> fleet.stats().resent() == 16 && received().size() == 46);
        assertThat(fleet.stats().connectedDevices()).isEqualTo(3);
        List<Received> secondCopies = received().subList(30, 46);
        assertThat(secondCopies)
                .filteredOn(r -> r.deviceId().equals("ack-00000"))
                .extracting(Received::seq)
                .containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(secondCopies)
                .filteredOn(r -> r.deviceId().equals("ack-00001"))
                .isEmpty();
        assertThat(secondCopies)
                .filteredOn(r -> r.deviceId().equals("ack-00002"))
                .extracting(Received::seq)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);

        ack("ack-00000", 3, 10);
        ack("ack-00002", 3, 10);
        await().atMost(PATIENCE).until(() -> fleet.stats().unacked() == 0);
        assertThat(fleet.stats().acked()).isEqualTo(30);
        assertThat(fleet.stats().droppedOnDevice()).isZero();
        assertThat(fleet.stats().connectionLosses()).isEqualTo(3);
    }

    @Test
    void commandsSentWhileADeviceIsAwayAreDeliveredThroughItsPersistentSessionAndHandledAtItsNextPoll() {
        DeviceModel quickPoll = DeviceModel.DEFAULT.withPollInterval(java.time.Duration.ofMillis(100));
        fleet = Fleet.start(spec("cmd-")
                .messagesPerSecondPerDevice(1)
                .maxMessagesPerDevice(1)
                .model(quickPoll)
                .build());
        await().atMost(PATIENCE).until(() -> fleet.stats().connectedDevices() == 3);
        fleet.close();

        String challenge = new String(
                aurora.edge.attestation.evidence.Challenge.issue(
                                "r1",
                                new java.security.SecureRandom(),
                                java.time.Instant.now(),
                                java.time.Duration.ofMinutes(2))
                        .toCommandJson(java.time.Instant.now()),
                StandardCharsets.UTF_8);
        for (String command : new String[] {challenge, "{\"action\":\"self_destruct\"}"}) {
            gateway.publishWith()
                    .topic("aurora/command/cmd-00001/action")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(command.getBytes(StandardCharsets.UTF_8))
                    .send()
                    .orTimeout(10, TimeUnit.SECONDS)
                    .join();
        }

        fleet = Fleet.start(spec("cmd-")
                .messagesPerSecondPerDevice(1)
                .maxMessagesPerDevice(1)
                .model(quickPoll)
                .build());
        await().atMost(PATIENCE).until(() -> fleet.stats().commandsReceived() == 2);
        await().atMost(PATIENCE)
                .until(() ->
                        fleet.stats().commandsRefused() == 1 && fleet.stats().attestationsAnswered() == 1);
    }

    @Test
    void aWrongSiteKeyIsRefusedByTheBrokerAndRetriedWithoutConnecting() {
        byte[] wrongKey = "not-the-site-key-not-the-site-ke".getBytes(StandardCharsets.US_ASCII);
        fleet = Fleet.start(FleetSpec.builder("127.0.0.1", broker.port(), wrongKey)
                .idPrefix("ok-")
                .deviceCount(1)
                .reconnect(QUICK)
                .build());
        await().atMost(PATIENCE).until(() -> fleet.stats().connectFailures() >= 3);
        assertThat(fleet.stats().connectedDevices()).isZero();
        assertThat(fleet.stats().connects()).isZero();
    }

    @Test
    void afterABrokerForgotEverySessionDevicesSubscribeAgainAndStillTakeAcks() {
        fleet = Fleet.start(spec("fs-")
                .deviceCount(1)
                .messagesPerSecondPerDevice(50)
                .maxMessagesPerDevice(5)
                .build());
        await().atMost(PATIENCE)
                .until(() -> fleet.stats().sent() == 5 && fleet.stats().connectedDevices() == 1);

        broker.stop();
        broker.forgetSessions(); // like the gateway's Moquette, which keeps no sessions across a restart
        broker.launch();

        await().atMost(PATIENCE)
                .until(() -> fleet.stats().resent() == 5 && fleet.stats().connectedDevices() == 1);
        ack("fs-00000", 3, 5);
        await().atMost(PATIENCE).until(() -> fleet.stats().unacked() == 0);
        assertThat(fleet.stats().acked()).isEqualTo(5);
    }
}
