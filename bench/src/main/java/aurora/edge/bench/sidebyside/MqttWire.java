package aurora.edge.bench.sidebyside;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The few MQTT 3.1.1 packets the load generator speaks, written straight into a connection's
 * buffer without allocating: CONNECT, PUBLISH (QoS 1), PUBACK, SUBSCRIBE. A hand-written codec
 * keeps the generator's own CPU per message low, so the systems under test, not the client
 * library, set the figures.
 */
final class MqttWire {
    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int SUBACK = 9;
    static final int PINGRESP = 13;

    private static final byte[] FW =
            ",\"fw\":\"1.2.0\",\"battery_mv\":2950,\"temp_c\":21.4,\"humidity_pct\":40.2,\"vibration_g\":0.01}"
                    .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BOOT = ",\"boot\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TS = ",\"ts\":".getBytes(StandardCharsets.US_ASCII);

    private MqttWire() {}

    static void connect(ByteBuffer out, String clientId, String username, String password, int keepAliveSeconds) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        byte[] pass = password.getBytes(StandardCharsets.UTF_8);
        boolean credentials = !username.isEmpty();
        int flags = 0x02 | (credentials ? 0xC0 : 0);
        int remaining = 10 + 2 + id.length + (credentials ? 4 + user.length + pass.length : 0);
        out.put((byte) 0x10);
        remainingLength(out, remaining);
        string(out, "MQTT".getBytes(StandardCharsets.US_ASCII));
        out.put((byte) 4).put((byte) flags).putShort((short) keepAliveSeconds);
        string(out, id);
        if (credentials) {
            string(out, user);
            string(out, pass);
        }
    }

    static void subscribe(ByteBuffer out, int packetId, byte[] topicFilter) {
        out.put((byte) 0x82);
        remainingLength(out, 2 + 2 + topicFilter.length + 1);
        out.putShort((short) packetId);
        string(out, topicFilter);
        out.put((byte) 1);
    }

    static void puback(ByteBuffer out, int packetId) {
        out.put((byte) 0x40).put((byte) 2).putShort((short) packetId);
    }

    /** Bytes a telemetry PUBLISH of these numbers takes, so the caller can check the buffer has room. */
    static int publishSize(byte[] topic, long seq, long boot, long tsMillis) {
        int remaining = 2 + topic.length + 2 + payloadSize(seq, boot, tsMillis);
        return 1 + lengthBytes(remaining) + remaining;
    }

    /**
     * A QoS 1 PUBLISH of telemetry shaped like the device simulator's: {@code {"seq":..,"boot":..,"ts":..,"fw":"1.2.0",
     * "battery_mv":2950,"temp_c":21.4,"humidity_pct":40.2,"vibration_g":0.01}}, about 120 bytes; {@code ts} is the
     * intended send time (epoch ms), which the Redis latency reads back.
     */
    static void publish(ByteBuffer out, byte[] topic, int packetId, long seq, long boot, long tsMillis) {
        out.put((byte) 0x32);
        remainingLength(out, 2 + topic.length + 2 + payloadSize(seq, boot, tsMillis));
        string(out, topic);
        out.putShort((short) packetId);
        out.put(SEQ);
        digits(out, seq);
        out.put(BOOT);
        digits(out, boot);
        out.put(TS);
        digits(out, tsMillis);
        out.put(FW);
    }

    static int payloadSize(long seq, long boot, long tsMillis) {
        return SEQ.length
                + digitCount(seq)
                + BOOT.length
                + digitCount(boot)
                + TS.length
                + digitCount(tsMillis)
                + FW.length;
    }

    private static void string(ByteBuffer out, byte[] s) {
        out.putShort((short) s.length).put(s);
    }

    private static void remainingLength(ByteBuffer out, int length) {
        int x = length;
        do {
            int b = x % 128;
            x /= 128;
            out.put((byte) (x > 0 ? b | 0x80 : b));
        } while (x > 0);
    }

    private static int lengthBytes(int length) {
        return length < 128 ? 1 : length < 16_384 ? 2 : length < 2_097_152 ? 3 : 4;
    }

    private static int digitCount(long v) {
        int n = 1;
        for (long x = v; x >= 10; x /= 10) {
            n++;
        }
        return n;
    }

    private static void digits(ByteBuffer out, long v) {
        int n = digitCount(v);
        int at = out.position();
        long x = v;
        for (int i = n - 1; i >= 0; i--) {
            out.put(at + i, (byte) ('0' + (x % 10)));
            x /= 10;
        }
        out.position(at + n);
    }

    /**
     * The length of the packet starting at {@code in}'s position (fixed header included), or -1 when
     * the buffer does not hold all of it yet. Does not move the position.
     */
    static int packetLength(ByteBuffer in) {
        int p = in.position();
        int limit = in.limit();
        int length = 0;
        int multiplier = 1;
        for (int i = 1; i <= 4; i++) {
            if (p + i >= limit) {
                return -1;
            }
            int b = in.get(p + i) & 0xFF;
            length += (b & 0x7F) * multiplier;
            multiplier *= 128;
            if ((b & 0x80) == 0) {
                int total = 1 + i + length;
                return p + total <= limit ? total : -1;
            }
        }
        throw new IllegalStateException("malformed remaining length from the broker");
    }

    /** Offset of the variable header of the packet at {@code start} (after the remaining-length bytes). */
    static int bodyOffset(ByteBuffer in, int start) {
        int i = start + 1;
        while ((in.get(i) & 0x80) != 0) {
            i++;
        }
        return i + 1;
    }

    /** The value of the first {@code "seq":} number in {@code [from, to)}, or -1. */
    static long seqField(ByteBuffer in, int from, int to) {
        for (int i = from; i + 6 < to; i++) {
            if (in.get(i) == '"'
                    && in.get(i + 1) == 's'
                    && in.get(i + 2) == 'e'
                    && in.get(i + 3) == 'q'
                    && in.get(i + 4) == '"') {
                int j = i + 5;
                while (j < to && (in.get(j) == ':' || in.get(j) == ' ')) {
                    j++;
                }
                long v = 0;
                boolean any = false;
                while (j < to && in.get(j) >= '0' && in.get(j) <= '9') {
                    v = v * 10 + (in.get(j) - '0');
                    any = true;
                    j++;
                }
                return any ? v : -1;
            }
        }
        return -1;
    }
}
