package aurora.edge.gateway.mqttsn;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * MQTT-SN 1.2 bytes ↔ {@link SnPacket}. Strict: the length field must be exactly the datagram's
 * length (one octet, or {@code 0x01} and two octets), every field must be there and nothing may
 * follow, strings are valid UTF-8 of bounded length. Anything else is {@link SnMalformed}; no
 * other exception leaves {@link #decode}.
 */
final class SnCodec {
    /** The longest client id or topic name taken (a device id is at most 64 characters, a device topic 200). */
    static final int MAX_CLIENT_ID = 64;

    static final int MAX_TOPIC_NAME = 200;
    static final int PROTOCOL_ID = 0x01;

    private SnCodec() {}

    /** Decodes one datagram of at most {@code maxBytes}; a forwarder encapsulation's inner message is left encoded. */
    static SnPacket decode(byte[] datagram, int maxBytes) throws SnMalformed {
        try {
            return decodeChecked(datagram, maxBytes);
        } catch (SnMalformed e) {
            throw e;
        } catch (RuntimeException e) {
            // A bound check missed above; still a refusal of the datagram, never a crash of the listener.
            throw new SnMalformed("undecodable " + e.getClass().getSimpleName());
        }
    }

    private static SnPacket decodeChecked(byte[] d, int maxBytes) throws SnMalformed {
        if (d.length > maxBytes) {
            throw new SnMalformed("datagram longer than mqttsn.max_packet_bytes");
        }
        if (d.length < 2) {
            throw new SnMalformed("shorter than a header");
        }
        if ((d[1] & 0xff) == SnPacket.ENCAPSULATED && d[0] != 0x01) {
            return encapsulated(d);
        }
        int header;
        int length;
        if (d[0] == 0x01) {
            if (d.length < 4) {
                throw new SnMalformed("truncated three-octet length");
            }
            header = 3;
            length = ((d[1] & 0xff) << 8) | (d[2] & 0xff);
        } else {
            header = 1;
            length = d[0] & 0xff;
        }
        if (length != d.length) {
            throw new SnMalformed("length field differs from the datagram");
        }
        Reader r = new Reader(d, header + 1);
        int type = d[header] & 0xff;
        SnPacket p = switch (type) {
            case SnPacket.ADVERTISE -> new SnPacket.Advertise(r.u8(), r.u16());
            case SnPacket.SEARCHGW -> new SnPacket.SearchGw(r.u8());
            case SnPacket.GWINFO -> new SnPacket.GwInfo(r.u8(), r.rest());
            case SnPacket.CONNECT -> connect(r);
            case SnPacket.CONNACK -> new SnPacket.Connack(r.u8());
            case SnPacket.WILLTOPICREQ -> new SnPacket.WillTopicReq();
            case SnPacket.WILLTOPIC ->
                r.remaining() == 0
                        ? new SnPacket.WillTopic(null, "")
                        : new SnPacket.WillTopic(SnFlags.decode(r.u8()), r.string(1, MAX_TOPIC_NAME));
            case SnPacket.WILLMSGREQ -> new SnPacket.WillMsgReq();
            case SnPacket.WILLMSG -> new SnPacket.WillMsg(r.rest());
            case SnPacket.REGISTER -> new SnPacket.Register(r.u16(), r.u16(), r.string(1, MAX_TOPIC_NAME));
            case SnPacket.REGACK -> new SnPacket.Regack(r.u16(), r.u16(), r.u8());
            case SnPacket.PUBLISH -> new SnPacket.Publish(SnFlags.decode(r.u8()), r.u16(), r.u16(), r.rest());
            case SnPacket.PUBACK -> new SnPacket.Puback(r.u16(), r.u16(), r.u8());
            case SnPacket.SUBSCRIBE -> subscribe(r);
            case SnPacket.SUBACK -> new SnPacket.Suback(SnFlags.decode(r.u8()), r.u16(), r.u16(), r.u8());
            case SnPacket.UNSUBSCRIBE -> unsubscribe(r);
            case SnPacket.UNSUBACK -> new SnPacket.Unsuback(r.u16());
            case SnPacket.PINGREQ -> new SnPacket.PingReq(r.remaining() == 0 ? null : r.string(1, MAX_CLIENT_ID));
            case SnPacket.PINGRESP -> new SnPacket.PingResp();
            case SnPacket.DISCONNECT -> new SnPacket.Disconnect(r.remaining() == 0 ? -1 : r.u16());
            default -> throw new SnMalformed("unknown or unsupported message type");
        };
        r.end();
        return p;
    }

    private static SnPacket connect(Reader r) throws SnMalformed {
        SnFlags flags = SnFlags.decode(r.u8());
        int protocolId = r.u8();
        if (protocolId != PROTOCOL_ID) {
            throw new SnMalformed("protocol id is not 0x01");
        }
        return new SnPacket.Connect(flags, protocolId, r.u16(), r.string(1, MAX_CLIENT_ID));
    }

    private static SnPacket subscribe(Reader r) throws SnMalformed {
        SnFlags flags = SnFlags.decode(r.u8());
        int msgId = r.u16();
        return flags.topicIdType() == SnFlags.NORMAL
                ? new SnPacket.Subscribe(flags, msgId, r.string(1, MAX_TOPIC_NAME), 0)
                : new SnPacket.Subscribe(flags, msgId, null, r.u16());
    }

    private static SnPacket unsubscribe(Reader r) throws SnMalformed {
        SnFlags flags = SnFlags.decode(r.u8());
        int msgId = r.u16();
        return flags.topicIdType() == SnFlags.NORMAL
                ? new SnPacket.Unsubscribe(flags, msgId, r.string(1, MAX_TOPIC_NAME), 0)
                : new SnPacket.Unsubscribe(flags, msgId, null, r.u16());
    }

    /** §5.5: Length (of the header, up to the end of the node id), 0xFE, Ctrl, Wireless Node Id, then a message. */
    private static SnPacket encapsulated(byte[] d) throws SnMalformed {
        int headerLength = d[0] & 0xff;
        if (headerLength < 4 || headerLength >= d.length) {
            throw new SnMalformed("encapsulation header length out of range");
        }
        int ctrl = d[2] & 0xff;
        if ((ctrl & 0xfc) != 0) {
            throw new SnMalformed("encapsulation control octet has reserved bits set");
        }
        return new SnPacket.Encapsulated(
                ctrl, Arrays.copyOfRange(d, 3, headerLength), Arrays.copyOfRange(d, headerLength, d.length));
    }

    /** The bytes of {@code p}, with the one-octet length below 256 and the three-octet form above. */
    static byte[] encode(SnPacket p) {
        if (p instanceof SnPacket.Encapsulated e) {
            byte[] out = new byte[3 + e.nodeId().length + e.inner().length];
            out[0] = (byte) (3 + e.nodeId().length);
            out[1] = (byte) SnPacket.ENCAPSULATED;
            out[2] = (byte) e.ctrl();
            System.arraycopy(e.nodeId(), 0, out, 3, e.nodeId().length);
            System.arraycopy(e.inner(), 0, out, 3 + e.nodeId().length, e.inner().length);
            return out;
        }
        Writer w = new Writer();
        if (p instanceof SnPacket.Advertise a) {
            w.u8(a.gatewayId()).u16(a.duration());
        } else if (p instanceof SnPacket.SearchGw s) {
            w.u8(s.radius());
        } else if (p instanceof SnPacket.GwInfo g) {
            w.u8(g.gatewayId()).bytes(g.address());
        } else if (p instanceof SnPacket.Connect c) {
            w.u8(c.flags().encode()).u8(c.protocolId()).u16(c.duration()).string(c.clientId());
        } else if (p instanceof SnPacket.Connack c) {
            w.u8(c.returnCode());
        } else if (p instanceof SnPacket.WillTopic t) {
            SnFlags flags = t.flags();
            if (flags != null) {
                w.u8(flags.encode()).string(t.topic());
            }
        } else if (p instanceof SnPacket.WillMsg m) {
            w.bytes(m.message());
        } else if (p instanceof SnPacket.Register r) {
            w.u16(r.topicId()).u16(r.msgId()).string(r.topicName());
        } else if (p instanceof SnPacket.Regack r) {
            w.u16(r.topicId()).u16(r.msgId()).u8(r.returnCode());
        } else if (p instanceof SnPacket.Publish pub) {
            w.u8(pub.flags().encode()).u16(pub.topicId()).u16(pub.msgId()).bytes(pub.data());
        } else if (p instanceof SnPacket.Puback a) {
            w.u16(a.topicId()).u16(a.msgId()).u8(a.returnCode());
        } else if (p instanceof SnPacket.Subscribe s) {
            w.u8(s.flags().encode()).u16(s.msgId());
            topic(w, s.topicName(), s.topicId());
        } else if (p instanceof SnPacket.Suback s) {
            w.u8(s.flags().encode()).u16(s.topicId()).u16(s.msgId()).u8(s.returnCode());
        } else if (p instanceof SnPacket.Unsubscribe s) {
            w.u8(s.flags().encode()).u16(s.msgId());
            topic(w, s.topicName(), s.topicId());
        } else if (p instanceof SnPacket.Unsuback u) {
            w.u16(u.msgId());
        } else if (p instanceof SnPacket.PingReq ping) {
            String id = ping.clientId();
            if (id != null) {
                w.string(id);
            }
        } else if (p instanceof SnPacket.Disconnect d) {
            if (d.duration() >= 0) {
                w.u16(d.duration());
            }
        }
        // WILLTOPICREQ, WILLMSGREQ and PINGRESP have no body.
        return w.framed(p.type());
    }

    private static void topic(Writer w, @Nullable String name, int topicId) {
        if (name != null) {
            w.string(name);
        } else {
            w.u16(topicId);
        }
    }

    /** Reads fields of one message body; every shortfall is {@link SnMalformed}. */
    private static final class Reader {
        private final byte[] d;
        private int pos;

        Reader(byte[] d, int pos) {
            this.d = d;
            this.pos = pos;
        }

        int remaining() {
            return d.length - pos;
        }

        int u8() throws SnMalformed {
            need(1);
            return d[pos++] & 0xff;
        }

        int u16() throws SnMalformed {
            need(2);
            int v = ((d[pos] & 0xff) << 8) | (d[pos + 1] & 0xff);
            pos += 2;
            return v;
        }

        byte[] rest() {
            byte[] out = Arrays.copyOfRange(d, pos, d.length);
            pos = d.length;
            return out;
        }

        String string(int min, int max) throws SnMalformed {
            int n = remaining();
            if (n < min || n > max) {
                throw new SnMalformed("string length out of range");
            }
            try {
                String s = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(d, pos, n))
                        .toString();
                pos = d.length;
                return s;
            } catch (CharacterCodingException e) {
                throw new SnMalformed("string is not UTF-8");
            }
        }

        void end() throws SnMalformed {
            if (pos != d.length) {
                throw new SnMalformed("bytes after the last field");
            }
        }

        private void need(int n) throws SnMalformed {
            if (remaining() < n) {
                throw new SnMalformed("truncated");
            }
        }
    }

    private static final class Writer {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Writer u8(int v) {
            body.write(v & 0xff);
            return this;
        }

        Writer u16(int v) {
            body.write((v >> 8) & 0xff);
            body.write(v & 0xff);
            return this;
        }

        Writer bytes(byte[] b) {
            body.write(b, 0, b.length);
            return this;
        }

        Writer string(String s) {
            return bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] framed(int type) {
            byte[] b = body.toByteArray();
            int shortLength = 2 + b.length;
            if (shortLength < 256) {
                byte[] out = new byte[shortLength];
                out[0] = (byte) shortLength;
                out[1] = (byte) type;
                System.arraycopy(b, 0, out, 2, b.length);
                return out;
            }
            int longLength = 4 + b.length;
            if (longLength > 0xffff) {
                throw new IllegalArgumentException("MQTT-SN message longer than 65535 bytes: " + longLength);
            }
            byte[] out = new byte[longLength];
            out[0] = 0x01;
            out[1] = (byte) (longLength >> 8);
            out[2] = (byte) longLength;
            out[3] = (byte) type;
            System.arraycopy(b, 0, out, 4, b.length);
            return out;
        }
    }
}
