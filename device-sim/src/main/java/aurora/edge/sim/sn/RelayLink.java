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
 * the gateway binds them by id). One reader thread demultiplexes the gateway's encapsulated answers to the
 * children's queues; a packet for a child the relay does not carry is dropped and counted.
 */
public final class RelayLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayLink.class);
    private static final Duration READ_SLICE = Duration.ofMillis(200);
    private static final int CHILD_QUEUE = 1024;

    private final String relayId;
    private final SnLink upstream;
    private final Map<String, BlockingQueue<byte[]>> children = new ConcurrentHashMap<>();
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

    /** Packets for unknown children or not encapsulated at all. */
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
                upstream.send(SnCodec.encapsulate(nodeId, packet));
            }

            @Override
            public byte @Nullable [] receive(Duration timeout) throws IOException {
                try {
                    return inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }

            @Override
            public void close() {
                children.remove(deviceId, inbox);
            }
        };
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
