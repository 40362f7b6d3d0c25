package aurora.edge.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A minimal MQTT-SN 1.2 client for tests, written from the specification byte by byte and
 * independent of the gateway's codec: one UDP socket (one source address), packets built by hand,
 * replies read raw. Only the one-octet length form (packets under 256 bytes).
 */
final class RawMqttSn implements AutoCloseable {
    static final int CONNECT = 0x04;
    static final int CONNACK = 0x05;
    static final int REGISTER = 0x0A;
    static final int REGACK = 0x0B;
    static final int PUBLISH = 0x0C;
    static final int PUBACK = 0x0D;
    static final int PINGREQ = 0x16;
    static final int PINGRESP = 0x17;
    static final int DISCONNECT = 0x18;
    /** Flags: QoS 1 (bits 6-5 = 01), topic id type predefined (01) or normal (00). */
    static final int QOS1_PREDEFINED = 0x21;

    static final int QOS1_NORMAL = 0x20;

    private final DatagramSocket socket;
    private final InetSocketAddress gateway;
    private aurora.edge.testing.@Nullable UdpPcap recording;

    RawMqttSn(int port) {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        gateway = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** Length (one octet, whole packet), MsgType, then the body. */
    static byte[] packet(int type, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.write(p, 0, p.length);
        }
        byte[] b = body.toByteArray();
        if (b.length + 2 > 255) {
            throw new IllegalArgumentException("this client writes only packets under 256 bytes");
        }
        byte[] out = new byte[b.length + 2];
        out[0] = (byte) out.length;
        out[1] = (byte) type;
        System.arraycopy(b, 0, out, 2, b.length);
        return out;
    }

    static byte[] u8(int v) {
        return new byte[] {(byte) v};
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    void sendRaw(byte[] datagram) {
        if (recording != null) {
            recording.clientToServer(datagram);
        }
        try {
            socket.send(new DatagramPacket(datagram, datagram.length, gateway));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** From now on every datagram sent and received is also written into {@code pcap}. */
    RawMqttSn recordInto(aurora.edge.testing.UdpPcap pcap) {
        recording = pcap;
        return this;
    }

    /** CONNECT: Flags (clean session), ProtocolId 0x01, Duration, ClientId. */
    void connect(String clientId, int keepAliveSeconds) {
        sendRaw(packet(CONNECT, u8(0x04), u8(0x01), u16(keepAliveSeconds), text(clientId)));
    }

    /** REGISTER: TopicId 0x0000, MsgId, TopicName. */
    void register(int msgId, String topic) {
        sendRaw(packet(REGISTER, u16(0), u16(msgId), text(topic)));
    }

    /** PUBLISH: Flags, TopicId, MsgId, Data. */
    void publish(int flags, int topicId, int msgId, String json) {
        sendRaw(packet(PUBLISH, u8(flags), u16(topicId), u16(msgId), text(json)));
    }

    void puback(int topicId, int msgId) {
        sendRaw(packet(PUBACK, u16(topicId), u16(msgId), u8(0)));
    }

    void sleep(int seconds) {
        sendRaw(packet(DISCONNECT, u16(seconds)));
    }

    void wake(String clientId) {
        sendRaw(packet(PINGREQ, text(clientId)));
    }

    /**
     * Sends {@code datagram} until a reply of {@code type} comes (1 s apart, 10 times at most), as a
     * real client retransmits over lossy UDP.
     */
    byte[] untilAnswered(byte[] datagram, int type) {
        for (int attempt = 0; attempt < 10; attempt++) {
            sendRaw(datagram);
            try {
                return expect(type, Duration.ofSeconds(1));
            } catch (AssertionError e) {
                // lost on the way (a full receive buffer), sent again
            }
        }
        throw new AssertionError("no answer of type 0x" + Integer.toHexString(type) + " after 10 sends");
    }

    /** SEARCHGW (Radius 0) until GWINFO: that the gateway has read everything sent to it before. */
    void roundTrip() {
        untilAnswered(packet(0x01, u8(0)), 0x02);
    }

    static byte[] publishPacket(int flags, int topicId, int msgId, String json) {
        return packet(PUBLISH, u8(flags), u16(topicId), u16(msgId), text(json));
    }

    /** The next datagram from the gateway, or null when none comes within {@code wait}. */
    byte[] receive(Duration wait) {
        byte[] buffer = new byte[2048];
        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        try {
            socket.setSoTimeout((int) wait.toMillis());
            socket.receive(p);
            byte[] received = Arrays.copyOf(buffer, p.getLength());
            if (recording != null) {
                recording.serverToClient(received);
            }
            return received;
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next datagram of {@code type}, skipping others; fails when none comes within {@code wait}. */
    byte[] expect(int type, Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < end) {
            byte[] d = receive(Duration.ofMillis(Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            if (d != null && d.length >= 2 && (d[1] & 0xff) == type) {
                return d;
            }
        }
        throw new AssertionError("no packet of type 0x" + Integer.toHexString(type) + " within " + wait);
    }

    static int u16At(byte[] d, int at) {
        return ((d[at] & 0xff) << 8) | (d[at + 1] & 0xff);
    }

    @Override
    public void close() {
        socket.close();
    }
}
