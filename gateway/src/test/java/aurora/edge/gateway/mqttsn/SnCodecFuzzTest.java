package aurora.edge.gateway.mqttsn;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.testing.FuzzCorpus;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the MQTT-SN decoder with real packets (fuzz/mqttsn) and their mutations: every datagram
 * is a packet or {@link SnMalformed}, nothing else is thrown, and what decodes encodes back to the
 * same bytes (so nothing was read from outside the datagram or silently dropped).
 */
class SnCodecFuzzTest {
    private static final FuzzCorpus PACKETS = FuzzCorpus.named("mqttsn");

    @Property(tries = 3000)
    void everyDatagramIsAPacketOrAMalformedRefusal(@ForAll("datagrams") byte[] datagram) {
        SnPacket packet;
        try {
            packet = SnCodec.decode(datagram, 4096);
        } catch (SnMalformed e) {
            assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(100);
            return;
        }
        byte[] again = SnCodec.encode(packet);
        if (packet instanceof SnPacket.Encapsulated || datagram[0] != 0x01 || again[0] == 0x01) {
            assertThat(again).isEqualTo(datagram);
        } else {
            // A short packet sent in the three-octet form comes back in the one-octet form.
            assertThat(again.length).isEqualTo(datagram.length - 2);
        }
    }

    @Provide
    Arbitrary<byte[]> datagrams() {
        return PACKETS.inputs();
    }
}
