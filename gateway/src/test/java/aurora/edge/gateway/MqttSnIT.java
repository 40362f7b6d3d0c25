package aurora.edge.gateway;

import static aurora.edge.gateway.RawMqttSn.u16At;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.testing.RedisProbe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MQTT-SN devices on the plaintext lab listener, end to end with a real Redis and NATS: a raw
 * MQTT-SN client written from the specification (not the gateway's codec) connects, publishes on
 * predefined and registered topic ids, sleeps, and wakes after a gateway restart; strangers send
 * garbage and are never answered.
 */
class MqttSnIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Predefined topic ids (docs/operations.md). */
    private static final int TELEMETRY = 1;

    private static final int ALERTS = 2;
    private static final int ACK = 18;

    @RegisterExtension
    final GatewayStack stack = GatewayStack.with(Map.of(
            "AURORA_MQTTSN_ENABLED", "true",
            "AURORA_MQTTSN_ALLOW_PLAINTEXT", "true",
            // Acks are sent every 2 s, so a device that sleeps right after publishing gets its ack queued.
            "AURORA_MQTT_ACK_INTERVAL", "2s"));

    private RawMqttSn device(String id) {
        RawMqttSn d = stack.closeAfter(new RawMqttSn(stack.gateway().mqttSnPort()));
        d.connect(id, 60);
        byte[] connack = d.expect(RawMqttSn.CONNACK, WAIT);
        assertThat(connack).containsExactly(3, RawMqttSn.CONNACK, 0);
        return d;
    }

    private List<RedisProbe.Entry> entries(String stream, String id) {
        return stack.redisProbe().entriesWithId(stream, id);
    }

    @Test
    void aQos1PublishOnAPredefinedIdIsPubackedAfterCommitAndLandsOnceInRedisAndJetStream() {
        RawMqttSn d = device("sn-1");

        d.publish(
                RawMqttSn.QOS1_PREDEFINED,
                ALERTS,
                7,
                "{\"boot\":1,\"seq\":1,\"severity\":\"critical\",\"title\":\"lid\"}");
        byte[] puback = d.expect(RawMqttSn.PUBACK, WAIT);

        assertThat(u16At(puback, 2)).isEqualTo(ALERTS);
        assertThat(u16At(puback, 4)).isEqualTo(7);
        assertThat(puback[6]).as("return code accepted").isZero();
        // The PUBACK came after the commit: the event is already in the outbox.
        assertThat(stack.gateway().gateway().outbox().lastCommittedSeq()).isPositive();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> entries("aurora:cps:alerts", "site-test:sn-1:1:1").size() == 1);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> stack.nats().probe().messages("AURORA", "AURORA.alerts").stream()
                        .anyMatch(m -> "site-test:sn-1:1:1".equals(m.msgId())));
        assertThat(stack.nats().probe().messages("AURORA", "AURORA.alerts").stream()
                        .filter(m -> "site-test:sn-1:1:1".equals(m.msgId())))
                .hasSize(1);
        assertThat(stack.gateway().metric("aurora_intake_accepted", "channel", "alert"))
                .isEqualTo(1);
    }

    @Test
    void aRegisteredTopicIdWorksForItsDeviceAndIsRefusedToAnother() {
        RawMqttSn a = device("sn-a");
        RawMqttSn b = device("sn-b");

        a.register(1, "aurora/sensors/sn-a/telemetry");
        byte[] regack = a.expect(RawMqttSn.REGACK, WAIT);
        int topicId = u16At(regack, 2);
        assertThat(regack[6]).isZero();
        a.publish(RawMqttSn.QOS1_NORMAL, topicId, 2, "{\"boot\":1,\"seq\":1,\"temp_c\":20}");
        assertThat(a.expect(RawMqttSn.PUBACK, WAIT)[6]).isZero();

        b.publish(RawMqttSn.QOS1_NORMAL, topicId, 3, "{\"boot\":1,\"seq\":1,\"temp_c\":99}");
        byte[] refused = b.expect(RawMqttSn.PUBACK, WAIT);
        assertThat(refused[6]).as("rejected: invalid topic ID").isEqualTo((byte) 0x02);
        b.register(4, "aurora/sensors/sn-a/telemetry");
        assertThat(b.expect(RawMqttSn.REGACK, WAIT)[6]).isEqualTo((byte) 0x02);

        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        entries("aurora:cps:telemetry", "site-test:sn-a:1:1").size() == 1);
        assertThat(stack.redisProbe().entries("aurora:cps:telemetry").stream()
                        .filter(e -> e.fields().getOrDefault("data", "").contains("sn-b")))
                .isEmpty();
        assertThat(stack.gateway().metric("aurora_intake_rejected", "code", "SN_TOPIC_ID_INVALID"))
                .isEqualTo(2);
    }

    @Test
    void aSleepingDeviceGetsItsQueuedAckOnWakeAfterAGatewayRestart() {
        RawMqttSn d = device("sn-sleepy");
        d.publish(0x01 /* QoS 0, predefined */, TELEMETRY, 0, "{\"boot\":3,\"seq\":9,\"temp_c\":20}");
        d.sleep(600);
        d.expect(RawMqttSn.DISCONNECT, WAIT);
        await().atMost(WAIT)
                .until(() -> stack.gateway()
                                .gateway()
                                .metrics()
                                .registry()
                                .get("aurora_mqttsn_queued")
                                .gauge()
                                .value()
                        == 1);

        stack.gateway().restartOnSamePorts();
        d.wake("sn-sleepy");

        byte[] publish = d.expect(RawMqttSn.PUBLISH, WAIT);
        assertThat(u16At(publish, 3)).as("predefined ack topic id").isEqualTo(ACK);
        assertThat(publish[2] & 0x03).as("predefined topic id type").isEqualTo(1);
        assertThat(new String(publish, 7, publish.length - 7, StandardCharsets.UTF_8))
                .isEqualTo("{\"boot\":3,\"seq\":9}");
        d.expect(RawMqttSn.PINGRESP, WAIT);
    }

    @Test
    void garbageIsCountedNeverAnsweredWithMoreBytesAndTheHonestDeviceFlows() {
        RawMqttSn honest = device("sn-honest");
        RawMqttSn stranger = stack.closeAfter(new RawMqttSn(stack.gateway().mqttSnPort()));
        RawMqttSn marker = stack.closeAfter(new RawMqttSn(stack.gateway().mqttSnPort()));
        Random random = new Random(13);
        int garbageBytes = 0;
        for (int i = 0; i < 500; i++) {
            byte[] g = new byte[1 + random.nextInt(80)];
            random.nextBytes(g);
            if (i % 5 == 0) {
                g[0] = (byte) (g.length + 1); // a length that lies
            }
            garbageBytes += g.length;
            stranger.sendRaw(g);
            if (i % 50 == 49) {
                marker.roundTrip(); // let the gateway keep up: the test is about answers, not about UDP loss
            }
        }
        // Well-formed packets that need a session, and a wake for a device that does not sleep here.
        stranger.publish(RawMqttSn.QOS1_PREDEFINED, TELEMETRY, 1, "{\"boot\":1,\"seq\":1}");
        stranger.wake("sn-honest");
        marker.roundTrip();

        byte[] puback = honest.untilAnswered(
                RawMqttSn.publishPacket(
                        RawMqttSn.QOS1_PREDEFINED, TELEMETRY, 1, "{\"boot\":1,\"seq\":1,\"temp_c\":20}"),
                RawMqttSn.PUBACK);
        assertThat(puback[6]).isZero();

        int answered = 0;
        for (byte[] d = stranger.receive(Duration.ofMillis(500));
                d != null;
                d = stranger.receive(Duration.ofMillis(200))) {
            answered += d.length;
        }
        assertThat(answered)
                .as("bytes sent to the stranger (received %d)", garbageBytes)
                .isLessThanOrEqualTo(garbageBytes);
        assertThat(answered).isZero();
        assertThat(stack.gateway().metric("aurora_intake_rejected", "code", "SN_MALFORMED"))
                .isPositive();
        assertThat(stack.gateway().metric("aurora_intake_rejected", "code", "SN_NOT_CONNECTED"))
                .isEqualTo(2);
    }
}
