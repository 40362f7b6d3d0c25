package aurora.edge.sim.sn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated relay (an ESP32-S3 BLE gateway, issue #13 §3): one association of its own to the gateway (DTLS with
 * the relay's PSK, or plain UDP in the lab) that carries many child devices' packets in forwarder encapsulation
 * (MQTT-SN §5.5). The Wireless Node Id of a child is its device id in UTF-8 (the relay knows its children by id:
 * the gateway binds them by id). One reader thread unwraps the gateway's encapsulated frames (PUBACKs of the
 * children's PUBLISHes, and the gateway's own PUBLISHes to them: cumulative acks, attestation challenges, commands)
 * into the children's queues; a packet for a child the relay does not carry is dropped and counted.
 *
 * <p>The relay holds its children's sessions itself, as a BLE relay does: only a child's PUBLISH, and its PUBACK of
 * the gateway's QoS 1 PUBLISH, travel to the gateway (the gateway relays nothing else), and the relay answers the
 * child's CONNECT, SUBSCRIBE, sleep and wake locally. What the gateway sends a sleeping child waits in the child's
 * queue at the relay until the child reads it (on its wake, before the relay's PINGRESP). A REGISTER is refused
 * (not supported): a relayed child has only the predefined topics.
 *
 * <p>The relay is an attested device of its own, as a real one is: its {@link #ownLink() own link} carries its own
 * MQTT-SN session (CONNECT as the relay id, its attestation challenge and answer, its own telemetry) unencapsulated
 * on the same association. The gateway caps the children's trust by the relay's, so a relay that never attests
 * itself has its children's data held.
 */
public final class RelayLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayLink.class);
    private static final Duration READ_SLICE = Duration.ofMillis(200);
    private static final int CHILD_QUEUE = 1024;
    /** MQTT-SN ReturnCode "rejected: not supported". */
    private static final int NOT_SUPPORTED = 0x03;

    private final String relayId;
    private final SnLink upstream;
    private final Map<String, BlockingQueue<byte[]>> children = new ConcurrentHashMap<>();
    /** The inbox of the relay's own session, while it has one open. */
    private volatile @Nullable BlockingQueue<byte[]> own;

    private final AtomicLong dropped = new AtomicLong();
    private final Thread reader;
    private volatile boolean closed;

    public RelayLink(String relayId, SnLink upstream) {
        this.relayId = relayId;
        this.upstream = upstream;
        this.reader = new Thread(this::readLoop, "device-sim-relay-" + relayId);
        reader.setDaemon(true);
        reader.start();
    }

    public String relayId() {
        return relayId;
    }

    /** Packets for unknown children, or not encapsulated while the relay's own session is not open. */
    public long dropped() {
        return dropped.get();
    }

    /** The child's view: an {@link SnLink} whose packets travel encapsulated in the relay's association. */
    public SnLink child(String deviceId) {
        byte[] nodeId = deviceId.getBytes(StandardCharsets.UTF_8);
        BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>(CHILD_QUEUE);
        children.put(deviceId, inbox);
        return new SnLink() {
            @Override
            public void send(byte[] packet) throws IOException {
                if (closed) {
                    throw new IOException("relay " + relayId + " is closed");
                }
                int type = type(packet);
                if (type == SnCodec.PUBLISH || type == SnCodec.PUBACK) {
                    upstream.send(SnCodec.encapsulate(nodeId, packet));
                } else {
                    answerLocally(inbox, packet);
                }
            }

            @Override
            public byte @Nullable [] receive(Duration timeout) throws IOException {
                return poll(inbox, timeout);
            }

            @Override
            public void close() {
                children.remove(deviceId, inbox);
            }
        };
    }

    /**
     * The relay's own view: an {@link SnLink} whose packets travel unencapsulated on the relay's association, and
     * which takes every packet from the gateway that is not a forwarder-encapsulation frame. One at a time: a new
     * one (the relay's session reconnects) replaces the last, and packets for the old one are not carried over.
     */
    public SnLink ownLink() {
        BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>(CHILD_QUEUE);
        own = inbox;
        return new SnLink() {
            @Override
            public void send(byte[] packet) throws IOException {
                if (closed) {
                    throw new IOException("relay " + relayId + " is closed");
                }
                upstream.send(packet);
            }

            @Override
            public byte @Nullable [] receive(Duration timeout) throws IOException {
                return poll(inbox, timeout);
            }

            /** The relay's session ends; its association stays open for its children. */
            @Override
            public void close() {
                if (own == inbox) {
                    own = null;
                }
            }
        };
    }

    private static byte @Nullable [] poll(BlockingQueue<byte[]> inbox, Duration timeout) throws IOException {
        try {
            return inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** MsgType of a packet (1- or 3-octet length), -1 if too short. */
    private static int type(byte[] packet) {
        int at = packet.length > 0 && (packet[0] & 0xFF) == 0x01 ? 3 : 1;
        return packet.length > at ? packet[at] & 0xFF : -1;
    }

    private static int u16(byte[] b, int at) {
        return b.length >= at + 2 ? ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF) : 0;
    }

    /** The relay's own answer to a child's session packet; the child's short packets have a 1-octet length. */
    private void answerLocally(BlockingQueue<byte[]> inbox, byte[] packet) {
        byte @Nullable [] answer = switch (type(packet)) {
            case SnCodec.CONNECT -> SnCodec.connack(SnCodec.ACCEPTED);
            // SUBSCRIBE: Flags, MsgId, TopicId
            case SnCodec.SUBSCRIBE -> SnCodec.suback(u16(packet, 5), u16(packet, 3), SnCodec.ACCEPTED);
            case SnCodec.PINGREQ -> SnCodec.bare(SnCodec.PINGRESP);
            case SnCodec.DISCONNECT -> SnCodec.bare(SnCodec.DISCONNECT);
            // REGISTER: TopicId, MsgId, TopicName
            case SnCodec.REGISTER -> SnCodec.regack(0, u16(packet, 4), NOT_SUPPORTED);
            default -> null;
        };
        if (answer == null || !inbox.offer(answer)) {
            dropped.incrementAndGet();
        }
    }

    private void readLoop() {
        while (!closed) {
            byte[] datagram;
            try {
                datagram = upstream.receive(READ_SLICE);
            } catch (IOException e) {
                if (!closed) {
                    log.debug("relay read failed relay={} cause={}", relayId, e.toString());
                }
                return;
            }
            if (datagram == null) {
                continue;
            }
            if (type(datagram) != SnCodec.ENCAPSULATED) {
                BlockingQueue<byte[]> inbox = own;
                if (inbox == null || !inbox.offer(datagram)) {
                    dropped.incrementAndGet();
                }
                continue;
            }
            SnCodec.Encapsulated e = SnCodec.decapsulate(datagram);
            BlockingQueue<byte[]> inbox =
                    e == null ? null : children.get(new String(e.nodeId(), StandardCharsets.UTF_8));
            if (inbox == null || !inbox.offer(e.packet())) {
                dropped.incrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        upstream.close();
        reader.interrupt();
    }
}
