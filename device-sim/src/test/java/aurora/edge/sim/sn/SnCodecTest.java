package aurora.edge.sim.sn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Golden bytes laid out field by field as in the MQTT-SN 1.2 spec §5, and decoding of what a gateway sends. */
class SnCodecTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void connectCarriesFlagsProtocolIdDurationAndClientId() {
        // Length 10, CONNECT, Flags (no CleanSession), ProtocolId 0x01, Duration 60, "dev1"
        assertThat(hex(SnCodec.connect("dev1", false, 60))).isEqualTo(hex(hex("0a 04 00 01 003c 64657631")));
        assertThat(SnCodec.connect("dev1", true, 60)[2]).isEqualTo((byte) 0x04);
    }

    @Test
    void publishEncodesQosAndTopicIdTypeInTheFlags() {
        byte[] hi = "hi".getBytes(StandardCharsets.US_ASCII);
        // QoS 1 = 0b01 in bits 6-5, predefined topic id type = 0b01: flags 0x21
        assertThat(hex(SnCodec.publish(SnCodec.Qos.AT_LEAST_ONCE, false, SnCodec.TOPIC_PREDEFINED, 1, 7, hi)))
                .isEqualTo(hex(hex("09 0c 21 0001 0007 6869")));
        assertThat(hex(SnCodec.publish(SnCodec.Qos.AT_MOST_ONCE, false, SnCodec.TOPIC_PREDEFINED, 1, 0, hi)))
                .isEqualTo(hex(hex("09 0c 01 0001 0000 6869")));
        // QoS -1 = 0b11: flags 0x61
        assertThat(hex(SnCodec.publish(SnCodec.Qos.FIRE_AND_FORGET, false, SnCodec.TOPIC_PREDEFINED, 2, 0, hi)))
                .isEqualTo(hex(hex("09 0c 61 0002 0000 6869")));
        // DUP bit 7, normal topic id
        assertThat(SnCodec.publish(SnCodec.Qos.AT_LEAST_ONCE, true, SnCodec.TOPIC_NORMAL, 300, 1, hi)[2])
                .isEqualTo((byte) 0xA0);
    }

    @Test
    void registerSubscribePingAndDisconnectHaveTheSpecLayout() {
        assertThat(hex(SnCodec.register(2, "a/b"))).isEqualTo(hex(hex("09 0a 0000 0002 612f62")));
        assertThat(hex(SnCodec.subscribePredefined(3, 6, SnCodec.Qos.AT_LEAST_ONCE)))
                .isEqualTo(hex(hex("07 12 21 0003 0006")));
        assertThat(hex(SnCodec.pingreq("dev1"))).isEqualTo(hex(hex("06 16 64657631")));
        assertThat(hex(SnCodec.pingreq(null))).isEqualTo("0216");
        assertThat(hex(SnCodec.disconnect(Duration.ofSeconds(30)))).isEqualTo("0418001e");
        assertThat(hex(SnCodec.disconnect(null))).isEqualTo("0218");
        assertThat(hex(SnCodec.puback(1, 7, 0))).isEqualTo(hex(hex("07 0d 0001 0007 00")));
        assertThat(hex(SnCodec.regack(9, 4, 0))).isEqualTo(hex(hex("07 0b 0009 0004 00")));
    }

    @Test
    void aPacketLongerThan255OctetsUsesTheThreeOctetLength() {
        byte[] data = new byte[300];
        byte[] p = SnCodec.publish(SnCodec.Qos.AT_MOST_ONCE, false, SnCodec.TOPIC_PREDEFINED, 1, 0, data);
        assertThat(p).hasSize(3 + 1 + 5 + 300);
        assertThat(hex(java.util.Arrays.copyOf(p, 4))).isEqualTo("0101350c"); // 0x01, 0x0135 = 309, PUBLISH
        SnCodec.Packet back = SnCodec.decode(p);
        assertThat(back.type()).isEqualTo(SnCodec.PUBLISH);
        assertThat(back.data()).hasSize(300);
    }

    @Test
    void decodesWhatTheGatewaySends() {
        assertThat(SnCodec.decode(hex("03 05 00")).returnCode()).isZero();
        assertThat(SnCodec.decode(hex("03 05 03")).returnCode()).isEqualTo(3);
        SnCodec.Packet suback = SnCodec.decode(hex("08 13 20 0006 0003 00"));
        assertThat(suback.type()).isEqualTo(SnCodec.SUBACK);
        assertThat(suback.topicId()).isEqualTo(6);
        assertThat(suback.msgId()).isEqualTo(3);
        SnCodec.Packet regack = SnCodec.decode(hex("07 0b 0022 0004 02"));
        assertThat(regack.topicId()).isEqualTo(0x22);
        assertThat(regack.returnCode()).isEqualTo(2); // rejected: invalid topic id
        SnCodec.Packet publish = SnCodec.decode(hex("0b 0c 21 0006 0011 7b7d2121"));
        assertThat(publish.qos()).isEqualTo(SnCodec.Qos.AT_LEAST_ONCE);
        assertThat(publish.topicIdType()).isEqualTo(SnCodec.TOPIC_PREDEFINED);
        assertThat(publish.topicId()).isEqualTo(6);
        assertThat(publish.msgId()).isEqualTo(0x11);
        assertThat(new String(publish.data(), StandardCharsets.US_ASCII)).isEqualTo("{}!!");
        assertThat(SnCodec.decode(hex("02 17")).type()).isEqualTo(SnCodec.PINGRESP);
        assertThat(SnCodec.decode(hex("02 18")).type()).isEqualTo(SnCodec.DISCONNECT);
    }

    @Test
    void everyEncodedPacketDecodesBackToItsFields() {
        byte[] data = "{\"seq\":1}".getBytes(StandardCharsets.UTF_8);
        for (SnCodec.Qos qos : SnCodec.Qos.values()) {
            SnCodec.Packet p = SnCodec.decode(SnCodec.publish(qos, false, SnCodec.TOPIC_PREDEFINED, 5, 513, data));
            assertThat(p.qos()).isEqualTo(qos);
            assertThat(p.topicId()).isEqualTo(5);
            assertThat(p.msgId()).isEqualTo(513);
            assertThat(p.data()).isEqualTo(data);
        }
        SnCodec.Packet puback = SnCodec.decode(SnCodec.puback(65535, 65534, 1));
        assertThat(puback.topicId()).isEqualTo(65535);
        assertThat(puback.msgId()).isEqualTo(65534);
        assertThat(puback.returnCode()).isEqualTo(1);
        SnCodec.Packet register = SnCodec.decode(SnCodec.register(9, "aurora/sensors/x/telemetry"));
        assertThat(new String(register.data(), StandardCharsets.UTF_8)).isEqualTo("aurora/sensors/x/telemetry");
        assertThat(register.msgId()).isEqualTo(9);
    }

    @Test
    void forwarderEncapsulationWrapsThePacketUnchangedAfterTheNodeId() {
        byte[] inner = SnCodec.pingreq(null);
        byte[] wrapped = SnCodec.encapsulate("c1".getBytes(StandardCharsets.US_ASCII), inner);
        // Length 5 (of the header only), 0xFE, Ctrl radius 1, node id "c1", then PINGREQ
        assertThat(hex(wrapped)).isEqualTo(hex(hex("05 fe 01 6331 0216")));
        SnCodec.Encapsulated back = SnCodec.decapsulate(wrapped);
        assertThat(back).isNotNull();
        assertThat(new String(back.nodeId(), StandardCharsets.US_ASCII)).isEqualTo("c1");
        assertThat(back.packet()).isEqualTo(inner);
        assertThat(SnCodec.decapsulate(inner)).isNull();
        assertThat(SnCodec.decapsulate(hex("09 fe 01 6331")))
                .as("header longer than the datagram")
                .isNull();
    }

    @Test
    void malformedPacketsAreRefused() {
        assertThatThrownBy(() -> SnCodec.decode(hex("05 05 00"))).hasMessageContaining("Length 5");
        assertThatThrownBy(() -> SnCodec.decode(hex("02 0d"))).hasMessageContaining("needs 5 octets");
        assertThatThrownBy(() -> SnCodec.decode(hex("01"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SnCodec.Qos.of(2)).hasMessageContaining("0, 1 or -1");
        assertThatThrownBy(() -> SnCodec.disconnect(Duration.ofSeconds(70_000))).hasMessageContaining("65535");
    }

    @Test
    void predefinedTopicIdsNameOnlyTheDevicesOwnStandardTopics() {
        assertThat(PredefinedTopics.idOf("aurora/sensors/d1/telemetry", "d1")).contains(PredefinedTopics.TELEMETRY);
        assertThat(PredefinedTopics.idOf("aurora/command/d1/ack", "d1")).contains(PredefinedTopics.ACK);
        assertThat(PredefinedTopics.idOf("aurora/sensors/d2/telemetry", "d1")).isEmpty();
        assertThat(PredefinedTopics.topic(PredefinedTopics.COMMAND, "d1")).isEqualTo("aurora/command/d1/action");
        assertThat(PredefinedTopics.topic(99, "d1")).isNull();
    }
}
