package aurora.edge.gateway;

import static aurora.edge.gateway.RawMqttSn.u16At;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.testing.OpsRequests;
import aurora.edge.testing.UdpPcap;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 parts 1 and 3: what the gateway sends a child a relay carries over MQTT-SN goes back
 * through that relay, in forwarder encapsulation (MQTT-SN 1.2 §5.5) for the child's wireless node
 * id: the PUBACK of its QoS 1 PUBLISH after the commit, and its cumulative ack (predefined id 18).
 * A child no longer bound to the relay, or never bound, gets nothing through it. The relay is a raw
 * MQTT-SN client written from the specification (not the gateway's codec) on the plaintext lab
 * listener; real gateway, Redis and NATS.
 */
class MqttSnRelayDownlinkIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int TELEMETRY = 1;
    private static final int ACK = 18;
    private static final int ENCAPSULATED = 0xFE;
    private static final int GWINFO = 0x02;

    @RegisterExtension
    final GatewayStack stack = GatewayStack.with(Map.of(
            "AURORA_MQTTSN_ENABLED", "true",
            "AURORA_MQTTSN_ALLOW_PLAINTEXT", "true",
            "AURORA_MQTT_ACK_INTERVAL", "200ms"));

    /** One frame from the gateway to the relay, unwrapped: the node it is for and the packet inside. */
    private record Frame(String node, byte[] inner) {
        int type() {
            return inner[1] & 0xff;
        }
    }

    @TempDir
    Path dir;

    @Test
    void aRawRelayReceivesItsChildsPubackAfterCommitAndItsCumulativeAckEncapsulatedForTheChild() throws Exception {
        RawMqttSn relay = relayOf("sn-child-1", "sn-relay-1", 5, null);

        Frame puback = next(relay, "sn-child-1", RawMqttSn.PUBACK);
        assertThat(u16At(puback.inner(), 2)).isEqualTo(TELEMETRY);
        assertThat(u16At(puback.inner(), 4)).isEqualTo(5);
        assertThat(puback.inner()[6]).as("return code accepted").isZero();
        assertThat(stack.gateway().gateway().outbox().lastCommittedSeq()).isPositive();

        Frame ack = next(relay, "sn-child-1", RawMqttSn.PUBLISH);
        assertThat(u16At(ack.inner(), 3)).as("predefined topic id of the ack").isEqualTo(ACK);
        assertThat(ack.inner()[2] & 0x03).as("topic id type predefined").isEqualTo(1);
        assertThat(data(ack)).isEqualTo("{\"boot\":1,\"seq\":1}");
        await().atMost(WAIT)
                .until(() ->
                        stack.redisProbe().entriesWithId("aurora:cps:telemetry", "site-test:sn-child-1:1:1").stream()
                                .anyMatch(e -> e.fields().get("data").contains("\"relay_id\":\"sn-relay-1\"")));
    }

    /**
     * Wireshark's MQTT-SN dissector (an implementation nobody here wrote) reads the downlink frames as
     * encapsulated PUBACK and PUBLISH on the ack id. A four-octet node id: the dissector reads the
     * Wireless Node Id as an unsigned integer and flags longer ones (the specification allows any length).
     */
    @Test
    void wiresharkDecodesTheEncapsulatedPubackAndAckTheRelayReceives() throws Exception {
        MqttSnWiresharkIT.requireTshark();
        UdpPcap pcap = new UdpPcap();
        RawMqttSn relay = relayOf("ws01", "sn-relay-3", 9, pcap);
        next(relay, "ws01", RawMqttSn.PUBACK);
        next(relay, "ws01", RawMqttSn.PUBLISH);
        Path file = dir.resolve("relay.pcap");
        pcap.write(file);

        List<String> decoded = MqttSnWiresharkIT.tshark(
                file,
                "-T",
                "fields",
                "-E",
                "separator=|",
                "-E",
                "occurrence=a",
                "-e",
                "mqttsn.msg.type",
                "-e",
                "mqttsn.topic.id",
                "-e",
                "mqttsn.msg.id");
        assertThat(decoded).contains("0xfe,0x0c|1|9", "0xfe,0x0d|1|9", "0xfe,0x0c|18|0");
        assertThat(MqttSnWiresharkIT.tshark(
                        file,
                        "-Y",
                        "_ws.malformed || _ws.expert.severity >= \"error\"",
                        "-T",
                        "fields",
                        "-e",
                        "frame.number"))
                .as("frames Wireshark finds malformed")
                .isEmpty();
    }

    @Test
    void aChildUnboundFromTheRelayOrNeverBoundGetsNothingThroughThatRelay() throws Exception {
        RawMqttSn relay = relayOf("sn-child-2", "sn-relay-2", 1, null);
        next(relay, "sn-child-2", RawMqttSn.PUBACK);
        assertThat(data(next(relay, "sn-child-2", RawMqttSn.PUBLISH))).isEqualTo("{\"boot\":1,\"seq\":1}");

        assertThat(ops("/devices/sn-child-2/unbind").statusCode()).isEqualTo(200);
        // The child now publishes for itself over MQTT: its ack is due, and must not go to the old relay.
        double acksBefore = stack.gateway().metric("aurora_acks_sent");
        assertThat(MosquittoClients.publish(
                                stack.gateway().mqttPort(),
                                "sn-child-2",
                                stack.gateway().passwordFor("sn-child-2"),
                                "aurora/sensors/sn-child-2/telemetry",
                                "{\"boot\":1,\"seq\":2}",
                                1)
                        .exitCode())
                .isZero();
        // A child never bound: the relay's frame for it is refused, and nothing but that refusal comes back for it.
        relay.sendRaw(encapsulate(
                "sn-stranger-1",
                RawMqttSn.publishPacket(RawMqttSn.QOS1_PREDEFINED, TELEMETRY, 2, "{\"boot\":1,\"seq\":1}")));
        await().atMost(WAIT).until(() -> stack.gateway().metric("aurora_acks_sent") > acksBefore);
        await().atMost(WAIT)
                .until(() -> stack.gateway().metric("aurora_intake_rejected", "code", "RELAY_NOT_BOUND") >= 1);

        // Everything the gateway sent the relay before it answers a SEARCHGW (one thread, in order).
        List<Frame> after = untilGwInfo(relay);
        assertThat(after)
                .as("the child's ack after the unbind")
                .noneMatch(f -> f.type() == RawMqttSn.PUBLISH && data(f).contains("\"seq\":2"));
        assertThat(after.stream().filter(f -> f.node().equals("sn-stranger-1")))
                .as("for the stranger only the PUBACK refusing the relay's publish: rc 3, not supported")
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.type()).isEqualTo(RawMqttSn.PUBACK);
                    assertThat(f.inner()[6]).isEqualTo((byte) 3);
                });
        assertThat(stack.gateway().gateway().devices().find("sn-stranger-1")).isEmpty();
    }

    /**
     * Binds {@code child} to {@code relayId}, connects the relay, and sends the child's first reading (boot 1,
     * seq 1) as an encapsulated QoS 1 PUBLISH with {@code msgId}; everything from the PUBLISH on goes into
     * {@code pcap} when there is one.
     */
    private RawMqttSn relayOf(String child, String relayId, int msgId, @Nullable UdpPcap pcap) throws Exception {
        assertThat(ops("/devices/" + child + "/bind?relay=" + relayId).statusCode())
                .isEqualTo(200);
        RawMqttSn relay = stack.closeAfter(new RawMqttSn(stack.gateway().mqttSnPort()));
        relay.connect(relayId, 60);
        assertThat(relay.expect(RawMqttSn.CONNACK, WAIT)).containsExactly(3, RawMqttSn.CONNACK, 0);
        if (pcap != null) {
            relay.recordInto(pcap);
        }
        relay.sendRaw(encapsulate(
                child,
                RawMqttSn.publishPacket(
                        RawMqttSn.QOS1_PREDEFINED, TELEMETRY, msgId, "{\"boot\":1,\"seq\":1,\"t\":20}")));
        return relay;
    }

    private java.net.http.HttpResponse<String> ops(String path) throws Exception {
        return OpsRequests.post(stack.gateway().httpPort(), stack.dataDir().resolve("ops.token"), path, "alice");
    }

    /** Forwarder encapsulation by the specification: Length (of the header), 0xFE, Ctrl, Wireless Node Id, packet. */
    private static byte[] encapsulate(String node, byte[] packet) {
        byte[] id = node.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(3 + id.length);
        out.write(ENCAPSULATED);
        out.write(0x01); // Ctrl: radius 1
        out.write(id, 0, id.length);
        out.write(packet, 0, packet.length);
        return out.toByteArray();
    }

    private static Frame unwrap(byte[] d) {
        assertThat(d[1] & 0xff).as("an encapsulated frame").isEqualTo(ENCAPSULATED);
        int header = d[0] & 0xff;
        return new Frame(
                new String(Arrays.copyOfRange(d, 3, header), StandardCharsets.UTF_8),
                Arrays.copyOfRange(d, header, d.length));
    }

    /** Frames read while looking for another one, in the order they came. */
    private final List<Frame> unread = new ArrayList<>();

    /** The first encapsulated frame for {@code node} carrying a packet of {@code type}, in the order they came. */
    private Frame next(RawMqttSn relay, String node, int type) {
        for (Frame f : unread) {
            if (f.node().equals(node) && f.type() == type) {
                unread.remove(f);
                return f;
            }
        }
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            byte[] d = relay.receive(Duration.ofMillis(500));
            if (d != null && d.length > 3 && (d[1] & 0xff) == ENCAPSULATED) {
                Frame f = unwrap(d);
                if (f.node().equals(node) && f.type() == type) {
                    return f;
                }
                unread.add(f);
            }
        }
        throw new AssertionError("no encapsulated 0x" + Integer.toHexString(type) + " for " + node + " within " + WAIT);
    }

    /** SEARCHGW until GWINFO; the encapsulated frames that came before it. */
    private static List<Frame> untilGwInfo(RawMqttSn relay) {
        List<Frame> frames = new ArrayList<>();
        relay.sendRaw(RawMqttSn.packet(0x01, RawMqttSn.u8(0)));
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            byte[] d = relay.receive(Duration.ofMillis(500));
            if (d == null) {
                relay.sendRaw(RawMqttSn.packet(0x01, RawMqttSn.u8(0)));
            } else if ((d[1] & 0xff) == GWINFO) {
                return frames;
            } else if ((d[1] & 0xff) == ENCAPSULATED) {
                frames.add(unwrap(d));
            }
        }
        throw new AssertionError("no GWINFO within " + WAIT);
    }

    private static String data(Frame publish) {
        byte[] in = publish.inner();
        return new String(in, 7, in.length - 7, StandardCharsets.UTF_8);
    }
}
