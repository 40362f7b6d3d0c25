package aurora.edge.gateway.mqttsn;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;

/**
 * One association's view of the shared UDP socket, for bctls: the listener's receive thread puts
 * the datagrams from the peer's address into a small queue, {@link #receive} takes them (waiting at
 * most what bctls asks), and {@link #send} writes to the peer's address on the shared socket.
 * The queue is bounded: a peer (or someone spoofing its address) that sends faster than its
 * association is processed loses datagrams, as UDP would.
 */
final class DtlsQueueTransport implements DatagramTransport {
    /** Smallest receive limit: room for any ClientHello and handshake flight a sensor sends. */
    static final int MIN_RECEIVE_LIMIT = 2048;
    /** Room above an MQTT-SN packet for a record's header, explicit nonce or IV, MAC or tag and padding. */
    static final int RECORD_OVERHEAD = 256;
    /** Largest datagram sent: below the 1280-byte IPv6 minimum MTU of Thread and 6LoWPAN links, with headers. */
    static final int SEND_LIMIT = 1200;

    private static final int QUEUE = 32;

    private final DatagramSocket socket;
    private final InetSocketAddress peer;
    private final int receiveLimit;
    private final BlockingQueue<byte[]> inbound = new ArrayBlockingQueue<>(QUEUE);
    private volatile boolean closed;

    DtlsQueueTransport(DatagramSocket socket, InetSocketAddress peer, int receiveLimit) {
        this.socket = socket;
        this.peer = peer;
        this.receiveLimit = receiveLimit;
    }

    /**
     * The largest datagram an association takes: an MQTT-SN packet of {@code mqttsn.max_packet_bytes}
     * in one record, and never less than a handshake needs.
     */
    static int receiveLimit(int maxPacketBytes) {
        return Math.max(MIN_RECEIVE_LIMIT, maxPacketBytes + RECORD_OVERHEAD);
    }

    /** False when the queue is full (the datagram is dropped). */
    boolean offer(byte[] datagram) {
        return !closed && inbound.offer(datagram);
    }

    boolean hasInbound() {
        return !inbound.isEmpty();
    }

    /** Whether bctls closed the transport (close_notify or a fatal alert, either way). */
    boolean closed() {
        return closed;
    }

    @Override
    public int getReceiveLimit() {
        return receiveLimit;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            // Ends a handshake whose association was closed at once, instead of letting bctls poll until its deadline.
            throw new IOException("dtls association closed");
        }
        byte[] datagram;
        try {
            datagram = waitMillis <= 0 ? inbound.poll() : inbound.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (datagram == null) {
            return -1;
        }
        int n = Math.min(len, datagram.length);
        System.arraycopy(datagram, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (!closed) {
            socket.send(new DatagramPacket(buf, off, len, peer));
        }
    }

    @Override
    public void close() {
        closed = true;
        inbound.clear();
    }
}
