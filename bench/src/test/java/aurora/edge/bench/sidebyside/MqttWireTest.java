package aurora.edge.bench.sidebyside;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MqttWireTest {
    private static final byte[] TOPIC = "aurora/sensors/burst-00001/telemetry".getBytes(StandardCharsets.UTF_8);

    @Test
    void aPublishIsAQos1PacketWithTelemetryJsonCarryingSeqBootAndTheIntendedTime() throws Exception {
        ByteBuffer out = ByteBuffer.allocate(1024);
        MqttWire.publish(out, TOPIC, 7, 1234, 1_700_000_000L, 1_764_900_000_123L);

        assertThat(out.position()).isEqualTo(MqttWire.publishSize(TOPIC, 1234, 1_700_000_000L, 1_764_900_000_123L));
        out.flip();
        assertThat(out.get(0) & 0xFF).isEqualTo(0x32); // PUBLISH, QoS 1
        assertThat(MqttWire.packetLength(out)).isEqualTo(out.limit());
        int body = MqttWire.bodyOffset(out, 0);
        int topicLength = out.getShort(body);
        assertThat(topicLength).isEqualTo(TOPIC.length);
        assertThat(out.getShort(body + 2 + topicLength)).isEqualTo((short) 7);
        int payloadAt = body + 2 + topicLength + 2;
        byte[] payload = new byte[out.limit() - payloadAt];
        out.get(payloadAt, payload);
        JsonNode json = new ObjectMapper().readTree(payload);
        assertThat(json.path("seq").asLong()).isEqualTo(1234);
        assertThat(json.path("boot").asLong()).isEqualTo(1_700_000_000L);
        assertThat(json.path("ts").asLong()).isEqualTo(1_764_900_000_123L);
        assertThat(json.path("fw").asText()).isEqualTo("1.2.0");
        assertThat(payload.length).isBetween(100, 140);
    }

    @Test
    void aPartlyReceivedPacketIsNotReadYet() {
        ByteBuffer out = ByteBuffer.allocate(1024);
        MqttWire.publish(out, TOPIC, 1, 1, 1, 1);
        int whole = out.position();
        out.flip();
        out.limit(whole - 1);
        assertThat(MqttWire.packetLength(out)).isEqualTo(-1);
        out.limit(1);
        assertThat(MqttWire.packetLength(out)).isEqualTo(-1);
    }

    @Test
    void theCumulativeAcksSeqIsReadFromItsJson() {
        ByteBuffer in = ByteBuffer.wrap("{\"boot\":3,\"seq\":42}".getBytes(StandardCharsets.US_ASCII));
        assertThat(MqttWire.seqField(in, 0, in.limit())).isEqualTo(42);
        ByteBuffer none = ByteBuffer.wrap("{\"boot\":3}".getBytes(StandardCharsets.US_ASCII));
        assertThat(MqttWire.seqField(none, 0, none.limit())).isEqualTo(-1);
    }

    @Test
    void aPubacksPacketIdMapsBackToItsSeqAcrossThePacketIdWrap() {
        GenDevice d = new GenDevice("burst-00001", 1024, 64);
        d.nextSeq = 65_540; // seqs 65,530..65,539 in flight; packet ids wrap after 65,535
        for (long seq = 65_530; seq < 65_540; seq++) {
            assertThat(d.seqOf(GenDevice.packetId(seq))).isEqualTo(seq);
        }
        assertThat(GenDevice.packetId(65_536)).isEqualTo(1);
    }

    @Test
    void anIntendedTimeIsForgottenOnceTheRingMovedPastIt() {
        GenDevice d = new GenDevice("fleet-00001", 1024, 4);
        for (long seq = 1; seq <= 6; seq++) {
            d.sent(seq, seq * 100);
            d.nextSeq = seq + 1;
        }
        assertThat(d.intendedOf(6)).isEqualTo(600);
        assertThat(d.intendedOf(3)).isEqualTo(300);
        assertThat(d.intendedOf(2)).isEqualTo(-1);
    }

    @Test
    void aLoadSpecSurvivesTheTripThroughTheGeneratorsCommandLine() {
        LoadSpec spec = new LoadSpec(
                "127.0.0.1",
                1883,
                LoadSpec.Mode.FLEET,
                1000,
                1,
                0.1,
                10,
                30,
                "sleepy",
                "/k",
                true,
                true,
                32,
                "/r.json");
        assertThat(LoadSpec.parse(spec.toArgs())).isEqualTo(spec);
    }
}
