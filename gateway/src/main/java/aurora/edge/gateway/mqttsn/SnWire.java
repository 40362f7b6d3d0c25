package aurora.edge.gateway.mqttsn;

import aurora.edge.gateway.audit.RejectionReporter;
import aurora.edge.gateway.device.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sending MQTT-SN packets and refusing what came in, counted: every part of the gateway that
 * answers a peer or reports a rejection goes through here, so the metrics see all of it. A refusal
 * of a peer with no proven id (plaintext, before CONNECT) is reported as a stranger's, throttled per
 * source address.
 */
final class SnWire {
    private static final Logger log = LoggerFactory.getLogger(SnWire.class);

    private final RejectionReporter rejections;
    private final MeterRegistry registry;
    private final Counter bytesOut;

    SnWire(RejectionReporter rejections, MeterRegistry registry) {
        this.rejections = rejections;
        this.registry = registry;
        this.bytesOut = Counter.builder("aurora_mqttsn_bytes_out")
                .description("bytes of MQTT-SN packets sent to devices")
                .register(registry);
    }

    void send(SnPeer peer, SnPacket packet) {
        send(peer, packet.type(), SnCodec.encode(packet));
    }

    void send(SnPeer peer, int type, byte[] bytes) {
        try {
            peer.send(bytes);
        } catch (RuntimeException e) {
            log.warn("mqttsn send failed remote={} error={}", SnSession.addressText(peer.address()), e.toString());
            return;
        }
        counter("aurora_mqttsn_packets_out", "MQTT-SN packets sent, by type", type)
                .increment();
        bytesOut.increment(bytes.length);
    }

    void received(int type) {
        counter("aurora_mqttsn_packets_in", "MQTT-SN packets received and decoded, by type", type)
                .increment();
    }

    /** A refusal of {@code deviceId} when the peer proved it (DTLS) or it has a session, else of a stranger. */
    void refuse(SnPeer peer, boolean proven, String deviceId, Rejection rejection, String detail) {
        if (proven) {
            rejections.reject(rejection, deviceId, detail);
        } else {
            rejections.rejectStranger(rejection, peer.address().getAddress(), deviceId, detail);
        }
    }

    private Counter counter(String name, String description, int type) {
        // Micrometer hands back the registered counter; the tag set is small and closed (the message types).
        return Counter.builder(name)
                .description(description)
                .tag("type", typeName(type))
                .register(registry);
    }

    static String typeName(int type) {
        return switch (type) {
            case SnPacket.ADVERTISE -> "advertise";
            case SnPacket.SEARCHGW -> "searchgw";
            case SnPacket.GWINFO -> "gwinfo";
            case SnPacket.CONNECT -> "connect";
            case SnPacket.CONNACK -> "connack";
            case SnPacket.WILLTOPICREQ -> "willtopicreq";
            case SnPacket.WILLTOPIC -> "willtopic";
            case SnPacket.WILLMSGREQ -> "willmsgreq";
            case SnPacket.WILLMSG -> "willmsg";
            case SnPacket.REGISTER -> "register";
            case SnPacket.REGACK -> "regack";
            case SnPacket.PUBLISH -> "publish";
            case SnPacket.PUBACK -> "puback";
            case SnPacket.SUBSCRIBE -> "subscribe";
            case SnPacket.SUBACK -> "suback";
            case SnPacket.UNSUBSCRIBE -> "unsubscribe";
            case SnPacket.UNSUBACK -> "unsuback";
            case SnPacket.PINGREQ -> "pingreq";
            case SnPacket.PINGRESP -> "pingresp";
            case SnPacket.DISCONNECT -> "disconnect";
            case SnPacket.ENCAPSULATED -> "encapsulated";
            default -> String.format(Locale.ROOT, "0x%02x", type);
        };
    }
}
