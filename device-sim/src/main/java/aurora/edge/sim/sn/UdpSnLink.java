package aurora.edge.sim.sn;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** Plain MQTT-SN over UDP (the gateway's lab mode, {@code mqttsn.allow_plaintext: true}): one socket per link. */
public final class UdpSnLink implements SnLink {
    /** Larger than any packet the gateway sends a sensor. */
    private static final int MAX_DATAGRAM = 2048;

    private final DatagramSocket socket;

    public UdpSnLink(InetSocketAddress gateway) throws IOException {
        this.socket = new DatagramSocket();
        socket.connect(gateway); // datagrams from anyone else are dropped by the kernel
    }

    @Override
    public void send(byte[] packet) throws IOException {
        socket.send(new DatagramPacket(packet, packet.length));
    }

    @Override
    public byte @Nullable [] receive(Duration timeout) throws IOException {
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        try {
            socket.receive(datagram);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return Arrays.copyOf(buffer, datagram.getLength());
    }

    @Override
    public void close() {
        socket.close();
    }
}
