package aurora.edge.sim.sn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The device side of MQTT-SN 1.2 (OASIS MQTT-SN spec v1.2, §5): encoders for what a device sends and a decoder for
 * what a gateway sends back. Every packet starts with Length (1 octet, or 0x01 and 2 octets above 255) and MsgType;
 * multi-octet fields are big-endian. Only what a sensor needs: no WILL messages (the sim never sets the Will flag),
 * no QoS 2, no gateway discovery.
 */
public final class SnCodec {
    public static final int CONNECT = 0x04;
    public static final int CONNACK = 0x05;
    public static final int REGISTER = 0x0A;
    public static final int REGACK = 0x0B;
    public static final int PUBLISH = 0x0C;
    public static final int PUBACK = 0x0D;
    public static final int SUBSCRIBE = 0x12;
    public static final int SUBACK = 0x13;
    public static final int PINGREQ = 0x16;
    public static final int PINGRESP = 0x17;
    public static final int DISCONNECT = 0x18;
    /** Forwarder encapsulation (§5.5): a relay's wrapper around one device's packet. */
    public static final int ENCAPSULATED = 0xFE;

    /** ReturnCode: accepted. Others: 1 congestion, 2 invalid topic id, 3 not supported. */
    public static final int ACCEPTED = 0x00;

    public static final int PROTOCOL_ID = 0x01;

    static final int FLAG_DUP = 0x80;
    static final int FLAG_CLEAN_SESSION = 0x04;
    /** TopicIdType bits 1-0. */
    public static final int TOPIC_NORMAL = 0b00;

    public static final int TOPIC_PREDEFINED = 0b01;
    public static final int TOPIC_SHORT = 0b10;

    /** MQTT-SN QoS levels as the Flags octet's bits 6-5 encode them. */
    public enum Qos {
        AT_MOST_ONCE(0, 0b00),
        AT_LEAST_ONCE(1, 0b01),
        /** QoS −1: publish without a connection, predefined or short topic ids only. */
        FIRE_AND_FORGET(-1, 0b11);

        private final int level;
        private final int bits;

        Qos(int level, int bits) {
            this.level = level;
            this.bits = bits;
        }

        public int level() {
            return level;
        }

        int flags() {
            return bits << 5;
        }

        static Qos fromFlags(int flags) {
            return switch ((flags >> 5) & 0b11) {
                case 0b00 -> AT_MOST_ONCE;
                case 0b01 -> AT_LEAST_ONCE;
                case 0b11 -> FIRE_AND_FORGET;
                default -> throw new IllegalArgumentException("QoS 2 is not supported");
            };
        }

        /** 0, 1 or -1. */
        public static Qos of(int level) {
            for (Qos q : values()) {
                if (q.level == level) {
                    return q;
                }
            }
            throw new IllegalArgumentException("MQTT-SN QoS must be 0, 1 or -1, found: " + level);
        }
    }

    private SnCodec() {}

    /** CONNECT: Flags (CleanSession), ProtocolId 0x01, Duration (keep-alive seconds), ClientId. */
    public static byte[] connect(String clientId, boolean cleanSession, int keepAliveSeconds) {
        byte[] id = utf8(clientId);
        // The spec says 1..23 octets; aurora device ids may have up to 64, and the gateway accepts them.
        if (id.length < 1 || id.length > 64) {
            throw new IllegalArgumentException("client ids are 1..64 octets, found " + id.length);
        }
        Writer w = new Writer(CONNECT);
        w.octet(cleanSession ? FLAG_CLEAN_SESSION : 0)
                .octet(PROTOCOL_ID)
                .u16(keepAliveSeconds)
                .bytes(id);
        return w.packet();
    }

    /** REGISTER (client to gateway): TopicId 0x0000, MsgId, TopicName. */
    public static byte[] register(int msgId, String topicName) {
        return new Writer(REGISTER).u16(0).u16(msgId).bytes(utf8(topicName)).packet();
    }

    /** PUBLISH: Flags (DUP, QoS, TopicIdType), TopicId, MsgId (0 at QoS 0 and −1), Data. */
    public static byte[] publish(Qos qos, boolean dup, int topicIdType, int topicId, int msgId, byte[] data) {
        int flags = qos.flags() | (dup ? FLAG_DUP : 0) | topicIdType;
        return new Writer(PUBLISH)
                .octet(flags)
                .u16(topicId)
                .u16(msgId)
                .bytes(data)
                .packet();
    }

    /** PUBACK: TopicId, MsgId, ReturnCode. */
    public static byte[] puback(int topicId, int msgId, int returnCode) {
        return new Writer(PUBACK).u16(topicId).u16(msgId).octet(returnCode).packet();
    }

    /** REGACK (client to gateway, answering a gateway's REGISTER): TopicId, MsgId, ReturnCode. */
    public static byte[] regack(int topicId, int msgId, int returnCode) {
        return new Writer(REGACK).u16(topicId).u16(msgId).octet(returnCode).packet();
    }

    /** SUBSCRIBE by predefined topic id at {@code qos}. */
    public static byte[] subscribePredefined(int msgId, int topicId, Qos qos) {
        return new Writer(SUBSCRIBE)
                .octet(qos.flags() | TOPIC_PREDEFINED)
                .u16(msgId)
                .u16(topicId)
                .packet();
    }

    /** PINGREQ; with a client id it is a sleeping client's wake-up (§6.14): queued messages follow, then PINGRESP. */
    public static byte[] pingreq(@Nullable String clientId) {
        Writer w = new Writer(PINGREQ);
        if (clientId != null) {
            w.bytes(utf8(clientId));
        }
        return w.packet();
    }

    /** DISCONNECT; with a duration the client goes to sleep for that long (§6.14), else it leaves. */
    public static byte[] disconnect(@Nullable Duration sleep) {
        Writer w = new Writer(DISCONNECT);
        if (sleep != null) {
            long seconds = sleep.toSeconds();
            if (seconds < 1 || seconds > 0xFFFF) {
                throw new IllegalArgumentException("sleep duration must be 1..65535 s, found " + seconds);
            }
            w.u16((int) seconds);
        }
        return w.packet();
    }

    /** CONNACK (gateway to client; what a relay answers its child locally). */
    static byte[] connack(int returnCode) {
        return new Writer(CONNACK).octet(returnCode).packet();
    }

    /** SUBACK (gateway to client; what a relay answers its child locally): granted QoS 1. */
    static byte[] suback(int topicId, int msgId, int returnCode) {
        return new Writer(SUBACK)
                .octet(Qos.AT_LEAST_ONCE.flags())
                .u16(topicId)
                .u16(msgId)
                .octet(returnCode)
                .packet();
    }

    /** PINGRESP, or the DISCONNECT that answers a DISCONNECT (what a relay answers its child locally). */
    static byte[] bare(int type) {
        return new Writer(type).packet();
    }

    /**
     * Forwarder encapsulation (§5.5): Length (of this header only), 0xFE, Ctrl (radius 1), Wireless Node Id, then
     * the device's packet unchanged.
     */
    public static byte[] encapsulate(byte[] nodeId, byte[] packet) {
        int header = 3 + nodeId.length;
        if (nodeId.length < 1 || header > 255) {
            throw new IllegalArgumentException("wireless node id must be 1..252 octets, found " + nodeId.length);
        }
        byte[] out = new byte[header + packet.length];
        out[0] = (byte) header;
        out[1] = (byte) ENCAPSULATED;
        out[2] = 0x01; // Ctrl: radius 1, one hop from the gateway
        System.arraycopy(nodeId, 0, out, 3, nodeId.length);
        System.arraycopy(packet, 0, out, header, packet.length);
        return out;
    }

    /** One encapsulated packet, unwrapped. */
    public record Encapsulated(byte[] nodeId, byte[] packet) {}

    /** Unwraps a forwarder-encapsulated packet; null if {@code datagram} is not one or is malformed. */
    public static @Nullable Encapsulated decapsulate(byte[] datagram) {
        if (datagram.length < 4 || (datagram[1] & 0xFF) != ENCAPSULATED) {
            return null;
        }
        int header = datagram[0] & 0xFF;
        if (header < 4 || header >= datagram.length) {
            return null;
        }
        byte[] node = java.util.Arrays.copyOfRange(datagram, 3, header);
        byte[] inner = java.util.Arrays.copyOfRange(datagram, header, datagram.length);
        return new Encapsulated(node, inner);
    }

    /**
     * A packet from the gateway, decoded. Fields a type does not carry are 0 / empty.
     *
     * @param type       MsgType
     * @param flags      Flags octet (PUBLISH, SUBACK)
     * @param topicId    TopicId (REGISTER, REGACK, PUBLISH, PUBACK, SUBACK)
     * @param msgId      MsgId
     * @param returnCode ReturnCode (CONNACK, REGACK, PUBACK, SUBACK)
     * @param data       PUBLISH data, REGISTER topic name, DISCONNECT duration octets
     */
    public record Packet(int type, int flags, int topicId, int msgId, int returnCode, byte[] data) {
        public Qos qos() {
            return Qos.fromFlags(flags);
        }

        public int topicIdType() {
            return flags & 0b11;
        }
    }

    /** Decodes one packet; throws {@link IllegalArgumentException} on a malformed or truncated one. */
    public static Packet decode(byte[] b) {
        if (b.length < 2) {
            throw new IllegalArgumentException("packet shorter than its header: " + b.length + " octets");
        }
        int length;
        int at;
        if ((b[0] & 0xFF) == 0x01) {
            if (b.length < 4) {
                throw new IllegalArgumentException("truncated 3-octet length");
            }
            length = u16(b, 1);
            at = 3;
        } else {
            length = b[0] & 0xFF;
            at = 1;
        }
        if (length != b.length || length < at + 1) {
            throw new IllegalArgumentException("Length " + length + " does not match the datagram's " + b.length);
        }
        int type = b[at] & 0xFF;
        int body = at + 1;
        int n = b.length - body;
        switch (type) {
            case CONNACK:
                need(n, 1, type);
                return new Packet(type, 0, 0, 0, b[body] & 0xFF, new byte[0]);
            case REGACK:
            case PUBACK:
                need(n, 5, type);
                return new Packet(type, 0, u16(b, body), u16(b, body + 2), b[body + 4] & 0xFF, new byte[0]);
            case SUBACK:
                need(n, 6, type);
                return new Packet(
                        type, b[body] & 0xFF, u16(b, body + 1), u16(b, body + 3), b[body + 5] & 0xFF, new byte[0]);
            case PUBLISH:
                need(n, 5, type);
                return new Packet(
                        type,
                        b[body] & 0xFF,
                        u16(b, body + 1),
                        u16(b, body + 3),
                        0,
                        java.util.Arrays.copyOfRange(b, body + 5, b.length));
            case REGISTER:
                need(n, 4, type);
                return new Packet(
                        type,
                        0,
                        u16(b, body),
                        u16(b, body + 2),
                        0,
                        java.util.Arrays.copyOfRange(b, body + 4, b.length));
            case PINGREQ:
            case PINGRESP:
            case DISCONNECT:
                return new Packet(type, 0, 0, 0, 0, java.util.Arrays.copyOfRange(b, body, b.length));
            default:
                return new Packet(type, 0, 0, 0, 0, java.util.Arrays.copyOfRange(b, body, b.length));
        }
    }

    private static void need(int have, int want, int type) {
        if (have < want) {
            throw new IllegalArgumentException(
                    "MsgType 0x" + Integer.toHexString(type) + " needs " + want + " octets, has " + have);
        }
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Builds a packet's body, then prefixes the 1- or 3-octet Length. */
    private static final class Writer {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream(64);

        Writer(int type) {
            body.write(type);
        }

        Writer octet(int v) {
            body.write(v & 0xFF);
            return this;
        }

        Writer u16(int v) {
            if (v < 0 || v > 0xFFFF) {
                throw new IllegalArgumentException("16-bit field out of range: " + v);
            }
            body.write(v >> 8);
            body.write(v & 0xFF);
            return this;
        }

        Writer bytes(byte[] b) {
            body.write(b, 0, b.length);
            return this;
        }

        byte[] packet() {
            byte[] b = body.toByteArray();
            int shortLength = b.length + 1;
            if (shortLength <= 255) {
                byte[] out = new byte[shortLength];
                out[0] = (byte) shortLength;
                System.arraycopy(b, 0, out, 1, b.length);
                return out;
            }
            int longLength = b.length + 3;
            if (longLength > 0xFFFF) {
                throw new IllegalArgumentException("packet too long: " + longLength);
            }
            byte[] out = new byte[longLength];
            out[0] = 0x01;
            out[1] = (byte) (longLength >> 8);
            out[2] = (byte) longLength;
            System.arraycopy(b, 0, out, 3, b.length);
            return out;
        }
    }
}
