package aurora.edge.gateway.mqttsn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.audit.AuditLog;
import aurora.edge.gateway.audit.RejectionReporter;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.device.Trust;
import aurora.edge.gateway.intake.IntakeResult;
import aurora.edge.gateway.outbox.Outbox;
import aurora.edge.gateway.outbox.OutboxLimits;
import aurora.edge.gateway.outbox.StoreReceipt;
import aurora.edge.gateway.store.Database;
import aurora.edge.testing.FuzzCorpus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT-SN gateway's sessions against packets built with the codec, a recording intake and
 * recording peers (plaintext ones with no identity, and "DTLS" ones with an identity).
 */
class SnGatewayTest {
    private static final GatewayConfig.MqttSn CONFIG = new GatewayConfig.MqttSn(
            true, 0, true, 100, 10, 4096, 4, Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofMillis(200));
    private static final String DEVICE = "sensor-0001";

    @TempDir
    Path dir;

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final List<Taken> taken = new CopyOnWriteArrayList<>();
    /** What the fake intake answers; null: accepted, receipt kept for the test to settle. */
    private volatile Rejection refuseWith;

    private final AtomicInteger markers = new AtomicInteger();

    private Outbox outbox;
    private RejectionReporter rejections;
    private SnGateway gateway;

    record Taken(String deviceId, String topic, String payload, StoreReceipt receipt) {}

    @BeforeEach
    void open() {
        Clock clock = Clock.systemUTC();
        outbox = new Outbox(
                Database.open(dir.resolve("outbox.db")),
                "gw1",
                "site1",
                List.of(),
                10_000,
                100,
                Duration.ofMillis(2),
                OutboxLimits.unbounded(),
                (w, g) -> {},
                meters,
                clock);
        AuditLog audit = new AuditLog(
                outbox,
                new GatewayConfig.Identity("gw1", "site1"),
                new GatewayConfig.AuditVolume(600, Duration.ofSeconds(10)),
                clock,
                meters);
        rejections = new RejectionReporter(audit, meters, clock, Duration.ofSeconds(10));
        gateway = start(RelayedIntake.NONE);
    }

    private SnGateway start(RelayedIntake relays) {
        return start(relays, meters);
    }

    private SnGateway start(RelayedIntake relays, MeterRegistry registry) {
        return new SnGateway(
                CONFIG,
                dir,
                new SnGateway.Wiring(this::intake, relays, rejections, id -> id.equals("revoked-1"), id -> {}, 600),
                Clock.systemUTC(),
                registry);
    }

    private IntakeResult intake(String deviceId, String topic, byte[] payload, Instant at, StoreReceipt receipt) {
        Rejection r = refuseWith;
        if (r != null) {
            return IntakeResult.rejected(r);
        }
        taken.add(new Taken(deviceId, topic, new String(payload, StandardCharsets.UTF_8), receipt));
        return new IntakeResult.Accepted(deviceId, true, Trust.TRUSTED, false);
    }

    @AfterEach
    void close() {
        gateway.close();
        outbox.close();
    }

    private double rejected(Rejection r) {
        return meters.counter("aurora_intake_rejected", "code", r.code()).count();
    }

    private static SnPacket.Publish publish(int qos, int type, int topicId, int msgId, String data) {
        return new SnPacket.Publish(
                SnFlags.publish(qos, type, false), topicId, msgId, data.getBytes(StandardCharsets.UTF_8));
    }

    private Peer connected(int port, String id) {
        Peer p = new Peer(port, Optional.empty());
        p.send(new SnPacket.Connect(SnFlags.NONE, 1, 60, id));
        p.await(new SnPacket.Connack(SnPacket.ACCEPTED));
        return p;
    }

    @Test
    void aQos1PublishOnAPredefinedIdIsPubackedOnlyOnceItsCommitStoredIt() {
        Peer device = connected(1000, DEVICE);

        device.send(publish(1, SnFlags.PREDEFINED, PredefinedTopics.TELEMETRY, 9, "{\"seq\":1}"));
        await().until(() -> taken.size() == 1);

        assertThat(taken.get(0).topic()).isEqualTo("aurora/sensors/sensor-0001/telemetry");
        assertThat(device.received()).hasSize(1); // the CONNACK only: nothing before the commit
        taken.get(0).receipt().stored();
        device.await(new SnPacket.Puback(PredefinedTopics.TELEMETRY, 9, SnPacket.ACCEPTED));
    }

    @Test
    void aMessageTheDeviceMustKeepIsAnsweredCongestion() {
        Peer device = connected(1000, DEVICE);

        device.send(publish(1, SnFlags.PREDEFINED, PredefinedTopics.ALERTS, 3, "{}"));
        await().until(() -> taken.size() == 1);
        taken.get(0).receipt().notStored();
        device.await(new SnPacket.Puback(PredefinedTopics.ALERTS, 3, SnPacket.REJECTED_CONGESTION));

        refuseWith = Rejection.OUTBOX_FULL;
        device.send(publish(1, SnFlags.PREDEFINED, PredefinedTopics.ALERTS, 4, "{}"));
        device.await(new SnPacket.Puback(PredefinedTopics.ALERTS, 4, SnPacket.REJECTED_CONGESTION));
    }

    @Test
    void aResendOfAMessageStillWaitingForItsCommitIsNotTakenTwice() {
        Peer device = connected(1000, DEVICE);
        device.send(publish(1, SnFlags.PREDEFINED, PredefinedTopics.TELEMETRY, 5, "{\"seq\":5}"));
        device.send(new SnPacket.Publish(
                SnFlags.publish(1, SnFlags.PREDEFINED, true),
                PredefinedTopics.TELEMETRY,
                5,
                "{\"seq\":5}".getBytes(StandardCharsets.UTF_8)));
        device.send(new SnPacket.PingReq(null));
        device.await(new SnPacket.PingResp());

        assertThat(taken).hasSize(1);
        assertThat(meters.counter("aurora_mqttsn_duplicates").count()).isEqualTo(1);
    }

    @Test
    void aPubackWhoseCommitLandsAfterTheDeviceWentToSleepWaitsForItsWake() {
        Peer device = connected(1000, DEVICE);
        device.send(publish(1, SnFlags.PREDEFINED, PredefinedTopics.TELEMETRY, 5, "{\"seq\":5}"));
        await().until(() -> taken.size() == 1);
        device.send(new SnPacket.Disconnect(60));
        device.await(new SnPacket.Disconnect(-1));
        int beforeCommit = device.received().size();

        taken.get(0).receipt().stored();
        gatewayThreadDone();

        assertThat(device.received()).as("radio off: nothing sent").hasSize(beforeCommit);
        device.send(new SnPacket.PingReq(DEVICE));
        device.await(new SnPacket.PingResp());
        assertThat(device.received().subList(beforeCommit, device.received().size()))
                .containsExactly(
                        new SnPacket.Puback(PredefinedTopics.TELEMETRY, 5, SnPacket.ACCEPTED), new SnPacket.PingResp());
    }

    @Test
    void aPublishResentAfterItsDeviceSaidItSleepsIsTakenAndAnsweredAtTheWake() {
        Peer device = connected(1000, DEVICE);
        device.send(new SnPacket.Disconnect(60));
        device.await(new SnPacket.Disconnect(-1));

        // The first copy was lost; the device's PUBACK timer resends it after its DISCONNECT overtook it.
        device.send(dup(PredefinedTopics.TELEMETRY, 8, "{\"seq\":8}"));
        await().until(() -> taken.size() == 1);
        taken.get(0).receipt().stored();
        device.send(new SnPacket.PingReq(DEVICE));

        device.await(new SnPacket.PingResp());
        assertThat(device.received()).contains(new SnPacket.Puback(PredefinedTopics.TELEMETRY, 8, SnPacket.ACCEPTED));
    }

    @Test
    void aResendOfAStoredMessageAfterAWakeToActiveConnectIsPubackedAgainAtOnceAndNotTakenTwice() {
        Peer device = connected(1000, DEVICE);
        device.send(publish(1, SnFlags.PREDEFINED, PredefinedTopics.TELEMETRY, 5, "{\"seq\":5}"));
        await().until(() -> taken.size() == 1);
        taken.get(0).receipt().stored();
        SnPacket.Puback puback = new SnPacket.Puback(PredefinedTopics.TELEMETRY, 5, SnPacket.ACCEPTED);
        device.await(puback);
        device.send(new SnPacket.Disconnect(60));
        device.await(new SnPacket.Disconnect(-1));
        device.send(new SnPacket.Connect(SnFlags.NONE, 1, 60, DEVICE)); // active again, same association

        device.send(dup(PredefinedTopics.TELEMETRY, 5, "{\"seq\":5}"));

        await().atMost(Duration.ofSeconds(5)).until(() -> count(device, puback) == 2);
        assertThat(taken).hasSize(1);
        assertThat(meters.counter("aurora_mqttsn_duplicates").count()).isEqualTo(1);
    }

    @Test
    void aResendOfAPendingMessageAfterAWakeToActiveConnectGetsExactlyOnePubackWhenItsCommitLands() {
        Peer device = connected(1000, DEVICE);
        device.send(publish(1, SnFlags.PREDEFINED, PredefinedTopics.TELEMETRY, 5, "{\"seq\":5}"));
        await().until(() -> taken.size() == 1);
        device.send(new SnPacket.Disconnect(60));
        device.await(new SnPacket.Disconnect(-1));
        device.send(new SnPacket.Connect(SnFlags.NONE, 1, 60, DEVICE));
        device.send(dup(PredefinedTopics.TELEMETRY, 5, "{\"seq\":5}"));
        gatewayThreadDone();
        SnPacket.Puback puback = new SnPacket.Puback(PredefinedTopics.TELEMETRY, 5, SnPacket.ACCEPTED);
        assertThat(taken).as("the resend is not taken twice").hasSize(1);
        assertThat(count(device, puback)).isZero();

        taken.get(0).receipt().stored();
        device.await(puback);
        gatewayThreadDone();

        assertThat(count(device, puback)).isEqualTo(1);
    }

    @Test
    void aPubackForASessionThatANewAssociationReplacedIsNotSentToTheNewOne() {
        Peer first = new Peer(1000, Optional.of(DEVICE));
        first.send(new SnPacket.Connect(SnFlags.NONE, 1, 60, DEVICE));
        first.await(new SnPacket.Connack(SnPacket.ACCEPTED));
        first.send(publish(1, SnFlags.PREDEFINED, PredefinedTopics.TELEMETRY, 1, "{\"seq\":1}"));
        await().until(() -> taken.size() == 1);
        // The device rebooted: a new association, its message ids start again at 1 for another message.
        Peer second = new Peer(1001, Optional.of(DEVICE));
        second.send(new SnPacket.Connect(SnFlags.NONE, 1, 60, DEVICE));
        second.await(new SnPacket.Connack(SnPacket.ACCEPTED));

        taken.get(0).receipt().stored();
        gatewayThreadDone();

        assertThat(second.received()).containsExactly(new SnPacket.Connack(SnPacket.ACCEPTED));
    }

    @Test
    void aSleepingClientBecomingActiveIsNotCountedAsANewConnectByTheRateLimit() {
        gateway.close();
        gateway = new SnGateway(
                CONFIG,
                dir,
                new SnGateway.Wiring(this::intake, RelayedIntake.NONE, rejections, id -> false, id -> {}, 1),
                Clock.systemUTC(),
                meters);
        Peer device = connected(1000, DEVICE); // the one CONNECT a minute the limit allows
        SnPacket.Connack accepted = new SnPacket.Connack(SnPacket.ACCEPTED);

        for (int burst = 0; burst < 3; burst++) {
            device.send(new SnPacket.Disconnect(60));
            device.send(new SnPacket.Connect(SnFlags.NONE, 1, 60, DEVICE));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> count(device, accepted) == 4);
        assertThat(rejected(Rejection.CONNECT_RATE_LIMITED)).isZero();
    }

    @Test
    void aDisconnectRepeatedWhileAsleepIsAnsweredAgain() {
        Peer device = connected(1000, DEVICE);
        device.send(new SnPacket.Disconnect(60));
        device.await(new SnPacket.Disconnect(-1));

        device.send(new SnPacket.Disconnect(60)); // the first answer was lost

        await().atMost(Duration.ofSeconds(5)).until(() -> count(device, new SnPacket.Disconnect(-1)) == 2);
    }

    private static SnPacket.Publish dup(int topicId, int msgId, String data) {
        return new SnPacket.Publish(
                SnFlags.publish(1, SnFlags.PREDEFINED, true), topicId, msgId, data.getBytes(StandardCharsets.UTF_8));
    }

    private static long count(Peer peer, SnPacket p) {
        return peer.received().stream().filter(p::equals).count();
    }

    /** Everything queued on the gateway's thread before now has run (it answers a stranger's SEARCHGW in order). */
    private void gatewayThreadDone() {
        Peer marker = new Peer(3000 + markers.getAndIncrement(), Optional.empty());
        marker.send(new SnPacket.SearchGw(0));
        marker.await(new SnPacket.GwInfo(SnGateway.GATEWAY_ID, new byte[0]));
    }

    @Test
    void aRegisteredTopicIdIsTheDevicesOwnAndNoOtherDeviceCanUseIt() {
        Peer a = connected(1000, DEVICE);
        Peer b = connected(1001, "sensor-0002");

        a.send(new SnPacket.Register(0, 1, "aurora/sensors/sensor-0001/alerts"));
        a.await(new SnPacket.Regack(PredefinedTopics.FIRST_REGISTERED, 1, SnPacket.ACCEPTED));
        b.send(publish(1, SnFlags.NORMAL, PredefinedTopics.FIRST_REGISTERED, 2, "{}"));

        b.await(new SnPacket.Puback(PredefinedTopics.FIRST_REGISTERED, 2, SnPacket.REJECTED_INVALID_TOPIC_ID));
        assertThat(taken).isEmpty();
        assertThat(rejected(Rejection.SN_TOPIC_ID_INVALID)).isEqualTo(1);
        a.send(publish(0, SnFlags.NORMAL, PredefinedTopics.FIRST_REGISTERED, 0, "{}"));
        await().until(() -> taken.size() == 1);
        assertThat(taken.get(0).topic()).isEqualTo("aurora/sensors/sensor-0001/alerts");
    }

    @Test
    void aDeviceCannotRegisterAnotherDevicesTopic() {
        Peer a = connected(1000, DEVICE);

        a.send(new SnPacket.Register(0, 1, "aurora/sensors/sensor-0002/telemetry"));

        a.await(new SnPacket.Regack(0, 1, SnPacket.REJECTED_INVALID_TOPIC_ID));
        assertThat(rejected(Rejection.SN_TOPIC_ID_INVALID)).isEqualTo(1);
    }

    @Test
    void qosMinusOneIsTakenFromADtlsIdentityButNeverOnPlaintext() {
        Peer plain = new Peer(1000, Optional.empty());
        Peer proven = new Peer(1001, Optional.of(DEVICE));

        plain.send(publish(-1, SnFlags.PREDEFINED, PredefinedTopics.TELEMETRY, 0, "{\"plain\":1}"));
        proven.send(publish(-1, SnFlags.PREDEFINED, PredefinedTopics.TELEMETRY, 0, "{\"dtls\":1}"));

        await().until(() -> taken.size() == 1);
        assertThat(taken.get(0).payload()).isEqualTo("{\"dtls\":1}");
        assertThat(taken.get(0).deviceId()).isEqualTo(DEVICE);
        assertThat(rejected(Rejection.SN_NOT_CONNECTED)).isEqualTo(1);
        assertThat(plain.received()).isEmpty();
    }

    @Test
    void aConnectNamingAnotherIdThanTheDtlsIdentityIsRefused() {
        Peer proven = new Peer(1000, Optional.of(DEVICE));

        proven.send(new SnPacket.Connect(SnFlags.NONE, 1, 60, "sensor-0002"));

        proven.await(new SnPacket.Connack(SnPacket.REJECTED_NOT_SUPPORTED));
        assertThat(rejected(Rejection.IDENTITY_MISMATCH)).isEqualTo(1);
    }

    @Test
    void aRevokedDeviceAndALastWillAreRefusedAtConnect() {
        Peer revoked = new Peer(1000, Optional.empty());
        revoked.send(new SnPacket.Connect(SnFlags.NONE, 1, 60, "revoked-1"));
        revoked.await(new SnPacket.Connack(SnPacket.REJECTED_NOT_SUPPORTED));

        Peer will = new Peer(1001, Optional.empty());
        will.send(new SnPacket.Connect(new SnFlags(false, 0, false, true, true, 0), 1, 60, DEVICE));
        will.await(new SnPacket.Connack(SnPacket.REJECTED_NOT_SUPPORTED));

        assertThat(rejected(Rejection.CERT_REVOKED)).isEqualTo(1);
        assertThat(rejected(Rejection.SN_WILL_UNSUPPORTED)).isEqualTo(1);
    }

    @Test
    void theGrantedQosIsNeverAboveTheRequestedOneAndCapsWhatTheDeviceIsSent() {
        Peer device = connected(1000, DEVICE);

        device.send(new SnPacket.Subscribe(
                SnFlags.publish(0, SnFlags.PREDEFINED, false), 1, null, PredefinedTopics.COMMAND));
        device.await(new SnPacket.Suback(
                SnFlags.publish(0, SnFlags.NORMAL, false), PredefinedTopics.COMMAND, 1, SnPacket.ACCEPTED));
        device.send(
                new SnPacket.Subscribe(SnFlags.publish(1, SnFlags.PREDEFINED, false), 2, null, PredefinedTopics.ACK));
        // Acks go out at QoS 0 (the next cumulative ack supersedes a lost one): granted 0 although 1 was asked.
        device.await(new SnPacket.Suback(
                SnFlags.publish(0, SnFlags.NORMAL, false), PredefinedTopics.ACK, 2, SnPacket.ACCEPTED));
        device.send(new SnPacket.Subscribe(
                SnFlags.publish(1, SnFlags.PREDEFINED, false), 3, null, PredefinedTopics.ATTESTATION_REQUEST));
        device.await(new SnPacket.Suback(
                SnFlags.publish(1, SnFlags.NORMAL, false), PredefinedTopics.ATTESTATION_REQUEST, 3, SnPacket.ACCEPTED));

        gateway.publish("aurora/command/sensor-0001/action", "{\"cmd\":1}".getBytes(StandardCharsets.UTF_8));
        gateway.publish("aurora/attestation/sensor-0001/request", "{\"nonce\":1}".getBytes(StandardCharsets.UTF_8));
        await().until(() -> device.received().stream()
                        .filter(p -> p instanceof SnPacket.Publish)
                        .count()
                == 2);
        List<SnPacket.Publish> sent = device.received().stream()
                .filter(p -> p instanceof SnPacket.Publish)
                .map(p -> (SnPacket.Publish) p)
                .toList();
        assertThat(sent.get(0).topicId()).isEqualTo(PredefinedTopics.COMMAND);
        assertThat(sent.get(0).flags().qos())
                .as("the device subscribed at QoS 0")
                .isZero();
        assertThat(sent.get(1).topicId()).isEqualTo(PredefinedTopics.ATTESTATION_REQUEST);
        assertThat(sent.get(1).flags().qos()).isEqualTo(1);
    }

    @Test
    void aSleepingDeviceGetsItsQueuedChallengeOnWakeEvenAfterARestart() {
        Peer device = connected(1000, DEVICE);
        device.send(new SnPacket.Register(0, 1, "aurora/sensors/sensor-0001/alerts"));
        device.await(new SnPacket.Regack(PredefinedTopics.FIRST_REGISTERED, 1, SnPacket.ACCEPTED));
        device.send(new SnPacket.Disconnect(300));
        device.await(new SnPacket.Disconnect(-1));
        assertThat(gateway.publish(
                        "aurora/command/sensor-0001/action", "{\"challenge\":1}".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(gateway.publish("aurora/command/sensor-0001/ack", "{\"seq\":1}".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(gateway.publish("aurora/command/sensor-0001/ack", "{\"seq\":2}".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        await().until(() -> meters.get("aurora_mqttsn_queued").gauge().value() == 2);
        int sentBeforeRestart = device.received().size();

        gateway.close();
        MeterRegistry afterRestart = new SimpleMeterRegistry(); // a new process has new gauges
        gateway = start(RelayedIntake.NONE, afterRestart);
        device.gateway = gateway;
        device.send(new SnPacket.PingReq(DEVICE));

        device.await(new SnPacket.PingResp());
        List<SnPacket> woke =
                device.received().subList(sentBeforeRestart, device.received().size());
        assertThat(woke).hasSize(3);
        SnPacket.Publish challenge = (SnPacket.Publish) woke.get(0);
        assertThat(challenge.topicId()).isEqualTo(PredefinedTopics.COMMAND);
        assertThat(challenge.flags().qos()).isEqualTo(1);
        assertThat(new String(challenge.data(), StandardCharsets.UTF_8)).isEqualTo("{\"challenge\":1}");
        SnPacket.Publish ack = (SnPacket.Publish) woke.get(1);
        assertThat(ack.flags().qos()).isZero();
        assertThat(new String(ack.data(), StandardCharsets.UTF_8)).isEqualTo("{\"seq\":2}"); // only the newest ack
        device.send(new SnPacket.Puback(PredefinedTopics.COMMAND, challenge.msgId(), SnPacket.ACCEPTED));
        await().until(() -> afterRestart.get("aurora_mqttsn_queued").gauge().value() == 0);

        // The topic id map came back too.
        device.send(new SnPacket.Connect(SnFlags.NONE, 1, 60, DEVICE));
        device.await(new SnPacket.Connack(SnPacket.ACCEPTED));
        device.send(publish(0, SnFlags.NORMAL, PredefinedTopics.FIRST_REGISTERED, 0, "{}"));
        await().until(() -> taken.size() == 1);
        assertThat(taken.get(0).topic()).isEqualTo("aurora/sensors/sensor-0001/alerts");
    }

    @Test
    void aWakeFromAnotherAddressOnPlaintextIsNotAnswered() {
        Peer device = connected(1000, DEVICE);
        device.send(new SnPacket.Disconnect(300));
        device.await(new SnPacket.Disconnect(-1));
        gateway.publish("aurora/command/sensor-0001/action", "{\"challenge\":1}".getBytes(StandardCharsets.UTF_8));

        Peer thief = new Peer(2000, Optional.empty());
        thief.send(new SnPacket.PingReq(DEVICE));
        Peer marker = new Peer(3000, Optional.empty());
        marker.send(new SnPacket.SearchGw(0));
        marker.await(new SnPacket.GwInfo(SnGateway.GATEWAY_ID, new byte[0]));

        assertThat(thief.received()).isEmpty();
    }

    @Test
    void anEncapsulatedPacketOfARelayWithoutBindingsIsRefused() {
        Peer relay = connected(1000, "relay-1");
        byte[] inner = SnCodec.encode(publish(1, SnFlags.PREDEFINED, PredefinedTopics.TELEMETRY, 1, "{}"));

        byte[] node = "sensor-0002".getBytes(StandardCharsets.US_ASCII);
        relay.send(new SnPacket.Encapsulated(0, node, inner));

        // Answered, so the relay stops resending: "not supported", back through the relay for the same node.
        relay.await(new SnPacket.Encapsulated(
                0,
                node,
                SnCodec.encode(new SnPacket.Puback(PredefinedTopics.TELEMETRY, 1, SnPacket.REJECTED_NOT_SUPPORTED))));
        assertThat(rejected(Rejection.RELAY_NOT_BOUND)).isEqualTo(1);
        assertThat(taken).isEmpty();
    }

    @Test
    void aBoundChildsPublishOnATopicIdItMayNotUseIsAnsweredInvalidTopicIdThroughTheRelay() {
        gateway.close();
        gateway = start(new RelayBinding("relay-1"));
        Peer relay = connected(1000, "relay-1");
        byte[] node = "sensor-0002".getBytes(StandardCharsets.US_ASCII);

        relay.send(new SnPacket.Encapsulated(
                0, node, SnCodec.encode(publish(1, SnFlags.PREDEFINED, PredefinedTopics.COMMAND, 4, "{}"))));
        relay.send(new SnPacket.Encapsulated(
                0, node, SnCodec.encode(publish(1, SnFlags.NORMAL, PredefinedTopics.FIRST_REGISTERED, 5, "{}"))));

        relay.await(new SnPacket.Encapsulated(
                0,
                node,
                SnCodec.encode(new SnPacket.Puback(PredefinedTopics.COMMAND, 4, SnPacket.REJECTED_INVALID_TOPIC_ID))));
        relay.await(new SnPacket.Encapsulated(
                0,
                node,
                SnCodec.encode(new SnPacket.Puback(
                        PredefinedTopics.FIRST_REGISTERED, 5, SnPacket.REJECTED_INVALID_TOPIC_ID))));
        assertThat(rejected(Rejection.SN_TOPIC_ID_INVALID)).isEqualTo(2);
    }

    @Test
    void aBoundChildsEncapsulatedPublishIsTakenAndAckedEncapsulated() {
        gateway.close();
        RelayBinding relays = new RelayBinding("relay-1");
        gateway = start(relays);
        Peer relay = connected(1000, "relay-1");
        byte[] node = "sensor-0002".getBytes(StandardCharsets.US_ASCII);

        relay.send(new SnPacket.Encapsulated(
                0, node, SnCodec.encode(publish(1, SnFlags.PREDEFINED, PredefinedTopics.TELEMETRY, 7, "{}"))));

        relay.await(new SnPacket.Encapsulated(
                0, node, SnCodec.encode(new SnPacket.Puback(PredefinedTopics.TELEMETRY, 7, SnPacket.ACCEPTED))));
        assertThat(relays.taken).containsExactly("relay-1>sensor-0002>aurora/sensors/sensor-0002/telemetry>{}");
    }

    @Test
    void aRelaysResendOfAChildsQos1PublishIsAnsweredAgainButTakenOnce() {
        gateway.close();
        RelayBinding relays = new RelayBinding("relay-1");
        gateway = start(relays);
        Peer relay = connected(1000, "relay-1");
        byte[] node = "sensor-0002".getBytes(StandardCharsets.US_ASCII);
        SnPacket.Encapsulated first = new SnPacket.Encapsulated(
                0, node, SnCodec.encode(publish(1, SnFlags.PREDEFINED, PredefinedTopics.TELEMETRY, 7, "{\"t\":1}")));
        SnPacket.Encapsulated resend = new SnPacket.Encapsulated(
                0,
                node,
                SnCodec.encode(new SnPacket.Publish(
                        SnFlags.publish(1, SnFlags.PREDEFINED, true),
                        PredefinedTopics.TELEMETRY,
                        7,
                        "{\"t\":1}".getBytes(StandardCharsets.UTF_8))));
        SnPacket.Encapsulated accepted = new SnPacket.Encapsulated(
                0, node, SnCodec.encode(new SnPacket.Puback(PredefinedTopics.TELEMETRY, 7, SnPacket.ACCEPTED)));

        relay.send(first);
        relay.await(accepted);
        relay.send(resend); // the relay missed the PUBACK and sends again, DUP set
        await().until(() -> relay.count(accepted) == 2);

        assertThat(relays.taken)
                .as("the resend is answered, not stored again")
                .containsExactly("relay-1>sensor-0002>aurora/sensors/sensor-0002/telemetry>{\"t\":1}");
    }

    /**
     * A relay intake binding {@code sensor-0002} to {@code relay} while {@code bound} holds; stores all it
     * takes and keeps it as {@code relay>child>topic>payload}.
     */
    private static final class RelayBinding implements RelayedIntake {
        final List<String> taken = new CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicBoolean bound = new java.util.concurrent.atomic.AtomicBoolean(true);
        private final String relay;

        RelayBinding(String relay) {
            this.relay = relay;
        }

        @Override
        public IntakeResult accept(
                String relayId, String childId, String topic, byte[] payload, Instant at, StoreReceipt receipt) {
            taken.add(relayId + ">" + childId + ">" + topic + ">" + new String(payload, StandardCharsets.UTF_8));
            receipt.stored();
            return new IntakeResult.Accepted(childId, true, Trust.TRUSTED, false);
        }

        @Override
        public boolean isBound(String relayId, String childId) {
            return bound.get() && relayId.equals(relay) && childId.equals("sensor-0002");
        }
    }

    private static final byte[] CHILD_NODE = "sensor-0002".getBytes(StandardCharsets.US_ASCII);

    /** The packets the relay got encapsulated for {@code node}, unwrapped. */
    private static List<SnPacket> unwrapped(Peer relay, byte[] node) {
        return relay.received().stream()
                .filter(p -> p instanceof SnPacket.Encapsulated e && java.util.Arrays.equals(e.nodeId(), node))
                .map(p -> {
                    try {
                        return SnCodec.decode(((SnPacket.Encapsulated) p).inner(), 65_535);
                    } catch (SnMalformed m) {
                        throw new AssertionError(m);
                    }
                })
                .toList();
    }

    private static List<SnPacket.Publish> publishesTo(Peer relay, int topicId) {
        return unwrapped(relay, CHILD_NODE).stream()
                .filter(p -> p instanceof SnPacket.Publish pub && pub.topicId() == topicId)
                .map(SnPacket.Publish.class::cast)
                .toList();
    }

    @Test
    void aRelayedChildsAckAndCommandsGoBackEncapsulatedToItsRelayAndACommandIsRetriedUntilThePubackComesThroughIt() {
        gateway.close();
        gateway = start(new RelayBinding("relay-1"));
        Peer relay = connected(1000, "relay-1");
        relay.send(new SnPacket.Encapsulated(
                3, CHILD_NODE, SnCodec.encode(publish(1, SnFlags.PREDEFINED, PredefinedTopics.TELEMETRY, 7, "{}"))));
        relay.await(new SnPacket.Encapsulated(
                3, CHILD_NODE, SnCodec.encode(new SnPacket.Puback(PredefinedTopics.TELEMETRY, 7, SnPacket.ACCEPTED))));

        assertThat(gateway.reaches("sensor-0002", "aurora/command/sensor-0002/ack"))
                .isTrue();
        assertThat(gateway.publish("aurora/command/sensor-0002/ack", bytes("{\"boot\":1,\"seq\":1}")))
                .isTrue();
        assertThat(gateway.publish("aurora/command/sensor-0002/action", bytes("{\"challenge\":1}")))
                .isTrue();

        await().until(() -> publishesTo(relay, PredefinedTopics.COMMAND).size() >= 2); // sent, then resent
        SnPacket.Publish ack = publishesTo(relay, PredefinedTopics.ACK).get(0);
        assertThat(ack.flags().qos()).isZero();
        assertThat(new String(ack.data(), StandardCharsets.UTF_8)).isEqualTo("{\"boot\":1,\"seq\":1}");
        List<SnPacket.Publish> commands = publishesTo(relay, PredefinedTopics.COMMAND);
        assertThat(commands.get(0).flags().qos()).isEqualTo(1);
        assertThat(commands.get(0).flags().dup()).isFalse();
        assertThat(commands.get(1).flags().dup()).isTrue();
        assertThat(commands.get(1).msgId()).isEqualTo(commands.get(0).msgId());
        // The Ctrl octet of the relay's frame comes back as it was sent.
        assertThat(relay.received().stream()
                        .filter(SnPacket.Encapsulated.class::isInstance)
                        .map(p -> ((SnPacket.Encapsulated) p).ctrl()))
                .containsOnly(3);

        relay.send(new SnPacket.Encapsulated(
                3,
                CHILD_NODE,
                SnCodec.encode(new SnPacket.Puback(
                        PredefinedTopics.COMMAND, commands.get(0).msgId(), 0))));
        await().until(() -> meters.get("aurora_mqttsn_queued").gauge().value() == 0);
        int resends = publishesTo(relay, PredefinedTopics.COMMAND).size();
        relay.send(new SnPacket.PingReq(null)); // the PUBACK was taken, no further resends after it
        relay.await(new SnPacket.PingResp());
        assertThat(publishesTo(relay, PredefinedTopics.COMMAND)).hasSizeLessThanOrEqualTo(SnDelivery.RETRIES);
        assertThat(publishesTo(relay, PredefinedTopics.COMMAND)).hasSize(resends);
        assertThat(rejected(Rejection.SN_MALFORMED)).isZero(); // the PUBACK frame is not "only PUBLISH is relayed"
    }

    @Test
    void aChildWhoseRelayWasUnboundGetsNothingThroughThatRelay() {
        RelayBinding relays = new RelayBinding("relay-1");
        gateway.close();
        gateway = start(relays);
        Peer relay = connected(1000, "relay-1");
        relay.send(new SnPacket.Encapsulated(
                0, CHILD_NODE, SnCodec.encode(publish(0, SnFlags.PREDEFINED, PredefinedTopics.TELEMETRY, 0, "{}"))));
        relay.send(new SnPacket.PingReq(null));
        relay.await(new SnPacket.PingResp());
        assertThat(gateway.reaches("sensor-0002", "aurora/command/sensor-0002/action"))
                .isTrue();

        relays.bound.set(false);
        assertThat(gateway.reaches("sensor-0002", "aurora/command/sensor-0002/action"))
                .isFalse();
        assertThat(gateway.publish("aurora/command/sensor-0002/action", bytes("{\"challenge\":1}")))
                .isFalse();
        assertThat(gateway.publish("aurora/command/sensor-0002/ack", bytes("{\"seq\":1}")))
                .isFalse();
        relay.send(new SnPacket.PingReq(null));
        await().until(() -> relay.received().stream()
                        .filter(SnPacket.PingResp.class::isInstance)
                        .count()
                == 2);
        assertThat(unwrapped(relay, CHILD_NODE)).isEmpty();
        // A child the relay is not bound to is not a route, whatever the relay sends for it.
        byte[] stranger = "sensor-0003".getBytes(StandardCharsets.US_ASCII);
        relay.send(new SnPacket.Encapsulated(
                0, stranger, SnCodec.encode(publish(0, SnFlags.PREDEFINED, PredefinedTopics.TELEMETRY, 0, "{}"))));
        assertThat(gateway.publish("aurora/command/sensor-0003/ack", bytes("{\"seq\":1}")))
                .isFalse();
        await().until(() -> rejected(Rejection.RELAY_NOT_BOUND) >= 1);
        assertThat(unwrapped(relay, stranger)).isEmpty();
    }

    @Test
    void aRevokedRelayGetsNothingForItsChild() {
        gateway.close();
        gateway = start(new RelayBinding("revoked-1"));
        Peer relay = new Peer(1000, Optional.of("revoked-1")); // a DTLS association of a since revoked relay
        relay.send(new SnPacket.Encapsulated(
                0, CHILD_NODE, SnCodec.encode(publish(0, SnFlags.PREDEFINED, PredefinedTopics.TELEMETRY, 0, "{}"))));
        relay.send(new SnPacket.SearchGw(0));
        relay.await(new SnPacket.GwInfo(SnGateway.GATEWAY_ID, new byte[0]));

        assertThat(gateway.publish("aurora/command/sensor-0002/ack", bytes("{\"seq\":1}")))
                .isFalse();
        assertThat(unwrapped(relay, CHILD_NODE)).isEmpty();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSilentSessionIsClosedAfterOneAndAHalfKeepAlives() {
        Peer device = new Peer(1000, Optional.empty());
        device.send(new SnPacket.Connect(SnFlags.NONE, 1, 1, DEVICE));
        device.await(new SnPacket.Connack(SnPacket.ACCEPTED));
        // The gauge is refreshed on the gateway's tick: first see the session, or its stale 0 would pass at once.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> meters.get("aurora_mqttsn_sessions")
                                .tag("state", "awake")
                                .gauge()
                                .value()
                        == 1);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> meters.get("aurora_mqttsn_sessions")
                                .tag("state", "awake")
                                .gauge()
                                .value()
                        == 0);
        device.send(new SnPacket.PingReq(null));
        Peer marker = new Peer(3000, Optional.empty());
        marker.send(new SnPacket.SearchGw(0));
        marker.await(new SnPacket.GwInfo(SnGateway.GATEWAY_ID, new byte[0]));
        assertThat(device.received()).hasSize(1);
    }

    @Test
    void noStrangersDatagramIsAnsweredWithMoreBytesThanItHad() {
        AtomicInteger port = new AtomicInteger(10_000);
        List<Peer> strangers = new CopyOnWriteArrayList<>();
        FuzzCorpus.named("mqttsn").inputs().sampleStream().limit(3000).forEach(datagram -> {
            Peer p = new Peer(port.getAndIncrement(), Optional.empty());
            p.lastSentBytes = datagram.length;
            gateway.onPacket(p, datagram);
            strangers.add(p);
        });
        Peer marker = new Peer(3000, Optional.empty());
        marker.send(new SnPacket.SearchGw(0));
        marker.await(new SnPacket.GwInfo(SnGateway.GATEWAY_ID, new byte[0]));

        for (Peer p : strangers) {
            assertThat(p.bytesReceived()).isLessThanOrEqualTo(p.lastSentBytes);
        }
        assertThat(rejected(Rejection.SN_MALFORMED)).isPositive();
    }

    /** A device's end: sends through the gateway, records what the gateway sent back. */
    final class Peer implements SnPeer {
        private final InetSocketAddress address;
        private final Optional<String> identity;
        private final List<byte[]> in = new CopyOnWriteArrayList<>();
        SnGateway gateway = SnGatewayTest.this.gateway;
        int lastSentBytes;

        Peer(int port, Optional<String> identity) {
            this.address = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port);
            this.identity = identity;
        }

        void send(SnPacket p) {
            gateway.onPacket(this, SnCodec.encode(p));
        }

        void await(SnPacket expected) {
            byte[] wire = SnCodec.encode(expected);
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> in.stream().anyMatch(b -> java.util.Arrays.equals(b, wire)));
        }

        List<SnPacket> received() {
            return in.stream()
                    .map(b -> {
                        try {
                            return SnCodec.decode(b, 65_535);
                        } catch (SnMalformed e) {
                            throw new AssertionError(e);
                        }
                    })
                    .toList();
        }

        /** How many times {@code expected} was received, byte for byte. */
        long count(SnPacket expected) {
            byte[] wire = SnCodec.encode(expected);
            return in.stream().filter(b -> java.util.Arrays.equals(b, wire)).count();
        }

        int bytesReceived() {
            return in.stream().mapToInt(b -> b.length).sum();
        }

        @Override
        public InetSocketAddress address() {
            return address;
        }

        @Override
        public Optional<String> identity() {
            return identity;
        }

        @Override
        public void send(byte[] packet) {
            in.add(packet);
        }

        @Override
        public void close() {}
    }
}
