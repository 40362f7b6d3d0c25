package aurora.edge.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * MQTT 3.1.1 packets written by hand on a plain socket, for what no well-behaved client does: a
 * CONNECT cut in half, an abrupt close, a source address of our choosing, a QoS 2 PUBLISH.
 */
public final class RawMqtt {
    private RawMqtt() {}

    /** A CONNECT; {@code willTopic} null means no will. Keep-alive 60 s, clean session. */
    public static byte[] connect(
            String clientId, String username, String password, String willTopic, String willPayload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(4);
        int flags = 0x02;
        if (willTopic != null) {
            flags |= 0x04 | 0x08; // will flag, will QoS 1
        }
        if (username != null) {
            flags |= 0x80;
        }
        if (password != null) {
            flags |= 0x40;
        }
        body.write(flags);
        body.write(0);
        body.write(60);
        writeString(body, clientId);
        if (willTopic != null) {
            writeString(body, willTopic);
            writeString(body, willPayload);
        }
        if (username != null) {
            writeString(body, username);
        }
        if (password != null) {
            writeString(body, password);
        }
        return packet(0x10, body.toByteArray());
    }

    /** A PUBLISH at QoS 0, 1 or 2 (packet id 1 when QoS > 0). */
    public static byte[] publish(String topic, byte[] payload, int qos) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        if (qos > 0) {
            body.write(0);
            body.write(1);
        }
        body.writeBytes(payload);
        return packet(0x30 | (qos << 1), body.toByteArray());
    }

    public static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int len = body.length;
        do {
            int digit = len % 128;
            len /= 128;
            out.write(len > 0 ? digit | 0x80 : digit);
        } while (len > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length & 0xff);
        out.writeBytes(b);
    }

    /** A socket to the gateway on 127.0.0.1 from the given loopback source address (e.g. 127.0.0.2). */
    public static Socket open(String sourceAddress, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(sourceAddress, 0));
        s.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** The CONNACK return code (0 = accepted), or -1 when the gateway closed the socket without one. */
    public static int connAck(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] ack = in.readNBytes(4);
        if (ack.length < 4 || ack[0] != 0x20) {
            return -1;
        }
        return ack[3];
    }

    /** True when the gateway closed the connection within the socket's timeout. */
    public static boolean closedByPeer(Socket s) throws IOException {
        try {
            InputStream in = s.getInputStream();
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the peer
        }
    }

    /** Closes with a TCP reset instead of a FIN or an MQTT DISCONNECT: an abrupt loss of the connection. */
    public static void abort(Socket s) throws IOException {
        s.setSoLinger(true, 0);
        s.close();
    }
}
