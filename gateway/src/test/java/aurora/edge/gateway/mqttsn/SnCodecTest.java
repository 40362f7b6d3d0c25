package aurora.edge.gateway.mqttsn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The MQTT-SN 1.2 codec against bytes written out by hand from the specification. */
class SnCodecTest {
    private static final int MAX = 65_535;

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void connectIsDecodedFieldByField() throws Exception {
        byte[] id = "s-1".getBytes(StandardCharsets.US_ASCII);
        byte[] wire = concat(bytes(6 + id.length, 0x04, 0x04, 0x01, 0x00, 0x3c), id);

        SnPacket.Connect c = (SnPacket.Connect) SnCodec.decode(wire, MAX);

        assertThat(c.clientId()).isEqualTo("s-1");
        assertThat(c.duration()).isEqualTo(60);
        assertThat(c.flags().cleanSession()).isTrue();
        assertThat(c.flags().will()).isFalse();
    }

    @Test
    void publishFlagsCarryDupQosAndTopicIdType() throws Exception {
        byte[] wire = bytes(9, 0x0C, 0x80 | 0x60 | 0x01, 0x00, 0x01, 0x12, 0x34, 'h', 'i');

        SnPacket.Publish p = (SnPacket.Publish) SnCodec.decode(wire, MAX);

        assertThat(p.flags().dup()).isTrue();
        assertThat(p.flags().qos()).isEqualTo(-1);
        assertThat(p.flags().topicIdType()).isEqualTo(SnFlags.PREDEFINED);
        assertThat(p.topicId()).isEqualTo(1);
        assertThat(p.msgId()).isEqualTo(0x1234);
        assertThat(new String(p.data(), StandardCharsets.US_ASCII)).isEqualTo("hi");
    }

    @Test
    void everyPacketTypeSurvivesAnEncodeDecodeRoundTrip() throws Exception {
        SnFlags qos1 = SnFlags.publish(1, SnFlags.NORMAL, false);
        List<SnPacket> packets = List.of(
                new SnPacket.Advertise(1, 900),
                new SnPacket.SearchGw(0),
                new SnPacket.GwInfo(1, new byte[0]),
                new SnPacket.Connect(SnFlags.NONE, 1, 30, "sensor-0001"),
                new SnPacket.Connack(SnPacket.ACCEPTED),
                new SnPacket.WillTopicReq(),
                new SnPacket.WillTopic(qos1, "aurora/sensors/sensor-0001/alerts"),
                new SnPacket.WillTopic(null, ""),
                new SnPacket.WillMsgReq(),
                new SnPacket.WillMsg(new byte[] {1, 2}),
                new SnPacket.Register(0, 7, "aurora/sensors/sensor-0001/telemetry"),
                new SnPacket.Regack(0x100, 7, SnPacket.ACCEPTED),
                new SnPacket.Publish(qos1, 0x100, 8, "{}".getBytes(StandardCharsets.UTF_8)),
                new SnPacket.Puback(0x100, 8, SnPacket.REJECTED_CONGESTION),
                new SnPacket.Subscribe(qos1, 9, "aurora/command/sensor-0001/#", 0),
                new SnPacket.Subscribe(SnFlags.publish(1, SnFlags.PREDEFINED, false), 9, null, 17),
                new SnPacket.Suback(qos1, 17, 9, SnPacket.ACCEPTED),
                new SnPacket.Unsubscribe(qos1, 10, "aurora/command/sensor-0001/#", 0),
                new SnPacket.Unsuback(10),
                new SnPacket.PingReq(null),
                new SnPacket.PingReq("sensor-0001"),
                new SnPacket.PingResp(),
                new SnPacket.Disconnect(-1),
                new SnPacket.Disconnect(3600));
        for (SnPacket p : packets) {
            byte[] wire = SnCodec.encode(p);
            assertThat(SnCodec.encode(SnCodec.decode(wire, MAX)))
                    .as(SnWire.typeName(p.type()))
                    .isEqualTo(wire);
        }
    }

    @Test
    void aPacketOf256BytesOrMoreUsesTheThreeOctetLength() throws Exception {
        byte[] data = new byte[300];
        byte[] wire = SnCodec.encode(new SnPacket.Publish(SnFlags.publish(0, SnFlags.PREDEFINED, false), 1, 0, data));

        assertThat(wire[0]).isEqualTo((byte) 0x01);
        assertThat(((wire[1] & 0xff) << 8) | (wire[2] & 0xff))
                .isEqualTo(wire.length)
                .isEqualTo(4 + 5 + 300);
        assertThat(((SnPacket.Publish) SnCodec.decode(wire, MAX)).data()).hasSize(300);
    }

    @Test
    void forwarderEncapsulationCarriesTheNodeIdAndTheInnerMessage() throws Exception {
        byte[] inner = bytes(2, 0x16); // PINGREQ
        byte[] wire = concat(bytes(3 + 2, 0xFE, 0x01, 'n', '1'), inner);

        SnPacket.Encapsulated e = (SnPacket.Encapsulated) SnCodec.decode(wire, MAX);

        assertThat(new String(e.nodeId(), StandardCharsets.US_ASCII)).isEqualTo("n1");
        assertThat(e.ctrl()).isEqualTo(1);
        assertThat(SnCodec.decode(e.inner(), MAX)).isEqualTo(new SnPacket.PingReq(null));
        assertThat(SnCodec.encode(e)).isEqualTo(wire);
    }

    @Test
    void aDownlinkEncapsulationOfAGatewayPublishRoundTripsAndTheSimulatedRelayUnwrapsIt() throws Exception {
        byte[] node = "ble-child-1".getBytes(StandardCharsets.US_ASCII);
        for (int size : new int[] {20, 400}) { // a short inner PUBLISH, and one with the three-octet length
            byte[] data = "x".repeat(size).getBytes(StandardCharsets.US_ASCII);
            byte[] inner = SnCodec.encode(new SnPacket.Publish(
                    SnFlags.publish(1, SnFlags.PREDEFINED, false), PredefinedTopics.ATTESTATION_REQUEST, 42, data));
            byte[] wire = SnCodec.encode(new SnPacket.Encapsulated(1, node, inner));

            assertThat(wire[0] & 0xff).isEqualTo(3 + node.length); // the header's own length, not the datagram's
            SnPacket.Encapsulated e = (SnPacket.Encapsulated) SnCodec.decode(wire, MAX);
            assertThat(e.ctrl()).isEqualTo(1);
            assertThat(e.nodeId()).isEqualTo(node);
            SnPacket.Publish back = (SnPacket.Publish) SnCodec.decode(e.inner(), MAX);
            assertThat(back.topicId()).isEqualTo(PredefinedTopics.ATTESTATION_REQUEST);
            assertThat(back.msgId()).isEqualTo(42);
            assertThat(back.flags().qos()).isEqualTo(1);
            assertThat(back.data()).isEqualTo(data);
            assertThat(SnCodec.encode(e)).isEqualTo(wire);

            // device-sim's relay (its own codec) unwraps the same frame for the same child.
            aurora.edge.sim.sn.SnCodec.Encapsulated unwrapped = aurora.edge.sim.sn.SnCodec.decapsulate(wire);
            assertThat(unwrapped).isNotNull();
            assertThat(unwrapped.nodeId()).isEqualTo(node);
            assertThat(unwrapped.packet()).isEqualTo(inner);
        }
    }

    @Test
    void malformedDatagramsAreRefusedWithoutAnyOtherException() {
        List<byte[]> bad = List.of(
                bytes(),
                bytes(5),
                bytes(0, 0x16),
                bytes(3, 0x16), // length says 3, datagram has 2
                bytes(2, 0x0C), // PUBLISH without its fields
                bytes(5, 0x0D, 0, 1, 0), // PUBACK one octet short
                bytes(1, 0, 3, 0x16), // three-octet length smaller than the datagram
                bytes(1, 0x00), // three-octet form cut short
                bytes(7, 0x04, 0x00, 0x02, 0, 10, 'a'), // protocol id not 0x01
                bytes(7, 0x0C, 0x03, 0, 1, 0, 1), // reserved topic id type
                bytes(4, 0x16, 0xC3, 0x28), // client id not UTF-8
                bytes(2, 0x0F), // PUBREC: QoS 2 flow, not taken
                bytes(2, 0x77), // unknown type
                bytes(3, 0xFE, 0, 2, 0x16), // encapsulation header too short
                bytes(4, 0xFE, 0, 'n'), // encapsulation without a message
                bytes(6, 0x18, 0, 1, 2, 3)); // bytes after the last field
        for (byte[] b : bad) {
            assertThatThrownBy(() -> SnCodec.decode(b, MAX)).isInstanceOf(SnMalformed.class);
        }
    }

    @Test
    void aDatagramLongerThanTheLimitIsRefused() {
        byte[] wire = SnCodec.encode(new SnPacket.WillMsg(new byte[100]));

        assertThatThrownBy(() -> SnCodec.decode(wire, 64)).isInstanceOf(SnMalformed.class);
    }
}
