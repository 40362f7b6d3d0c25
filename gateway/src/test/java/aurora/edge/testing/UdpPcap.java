package aurora.edge.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes UDP datagrams exchanged between a client and a server into a classic pcap file (link type
 * raw IPv4), so an independent decoder such as Wireshark's {@code tshark} can read the very bytes a
 * test sent and received. Addresses and ports are fixed stand-ins: only the payloads are real.
 */
public final class UdpPcap {
    /** The port the server appears on in the file (tshark is told to decode it as MQTT-SN). */
    public static final int SERVER_PORT = 1884;

    private static final int CLIENT_PORT = 40_000;
    private static final byte[] CLIENT_ADDRESS = {10, 0, 0, 2};
    private static final byte[] SERVER_ADDRESS = {10, 0, 0, 1};
    private static final int LINKTYPE_RAW = 101;

    private record Datagram(boolean fromClient, byte[] payload) {}

    private final List<Datagram> datagrams = new ArrayList<>();

    public void clientToServer(byte[] payload) {
        datagrams.add(new Datagram(true, payload.clone()));
    }

    public void serverToClient(byte[] payload) {
        datagrams.add(new Datagram(false, payload.clone()));
    }

    public int size() {
        return datagrams.size();
    }

    public void write(Path file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b2c3d4)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0)
                .putInt(0);
        header.putInt(65_535).putInt(LINKTYPE_RAW);
        out.write(header.array());
        int second = 1;
        for (Datagram d : datagrams) {
            byte[] ip = ipv4Udp(d);
            ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            record.putInt(second++).putInt(0).putInt(ip.length).putInt(ip.length);
            out.write(record.array());
            out.write(ip);
        }
        Files.write(file, out.toByteArray());
    }

    private static byte[] ipv4Udp(Datagram d) {
        int udpLength = 8 + d.payload().length;
        ByteBuffer b = ByteBuffer.allocate(20 + udpLength); // network byte order
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + udpLength));
        b.putShort((short) 0).putShort((short) 0x4000); // id, don't fragment
        b.put((byte) 64).put((byte) 17).putShort((short) 0); // ttl, UDP, checksum (not checked)
        b.put(d.fromClient() ? CLIENT_ADDRESS : SERVER_ADDRESS);
        b.put(d.fromClient() ? SERVER_ADDRESS : CLIENT_ADDRESS);
        b.putShort((short) (d.fromClient() ? CLIENT_PORT : SERVER_PORT));
        b.putShort((short) (d.fromClient() ? SERVER_PORT : CLIENT_PORT));
        b.putShort((short) udpLength).putShort((short) 0); // no UDP checksum
        b.put(d.payload());
        return b.array();
    }
}
