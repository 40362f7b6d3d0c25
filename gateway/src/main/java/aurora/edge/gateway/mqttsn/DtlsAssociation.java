package aurora.edge.gateway.mqttsn;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.bouncycastle.tls.DTLSTransport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DTLS association: first a handshake in progress (bctls reads this association's queue on a
 * handshake thread), then an established {@link SnPeer}. An established association holds no
 * thread: a datagram from its address, a packet to send or a close schedules one pass on the
 * worker pool, which does all bctls work of the association, so records are never decrypted or
 * encrypted by two threads at once. What is left of an idle association is its keys, replay
 * window and two small queues.
 */
final class DtlsAssociation implements SnPeer {
    private static final Logger log = LoggerFactory.getLogger(DtlsAssociation.class);
    /**
     * Packets waiting for the association's worker. A wake or reconnect flushes the device's queue
     * (up to {@code mqttsn.sleep_queue_max}), the PUBACKs kept for its wake (up to 32) and the
     * answers to its resends in one burst, and a relay's association carries all its children:
     * 32 dropped cumulative acks under load. Linked, so an idle association holds no array.
     */
    private static final int OUTBOUND_QUEUE = 256;

    private final InetSocketAddress address;
    private final DtlsQueueTransport transport;
    private final Executor workers;
    private final SnPacketHandler handler;
    private final BiConsumer<DtlsAssociation, String> onEnded;
    private final int maxPacketBytes;
    private final BiConsumer<DtlsAssociation, Integer> onOversized;
    private final BlockingQueue<byte[]> outbound = new LinkedBlockingQueue<>(OUTBOUND_QUEUE);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile @Nullable DTLSTransport dtls;
    private volatile @Nullable String identity;
    private volatile @Nullable String closeReason;
    private volatile long lastHeardNanos;

    /**
     * @param onEnded     told once, with the reason, when the association is over (from the thread that ended it)
     * @param onOversized told the length of each decrypted packet longer than {@code maxPacketBytes}
     *                    ({@code mqttsn.max_packet_bytes}), which is dropped instead of handed on
     */
    DtlsAssociation(
            InetSocketAddress address,
            DtlsQueueTransport transport,
            Executor workers,
            SnPacketHandler handler,
            BiConsumer<DtlsAssociation, String> onEnded,
            int maxPacketBytes,
            BiConsumer<DtlsAssociation, Integer> onOversized) {
        this.address = address;
        this.transport = transport;
        this.workers = workers;
        this.handler = handler;
        this.onEnded = onEnded;
        this.maxPacketBytes = maxPacketBytes;
        this.onOversized = onOversized;
        this.lastHeardNanos = System.nanoTime();
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public Optional<String> identity() {
        return Optional.ofNullable(identity);
    }

    DtlsQueueTransport transport() {
        return transport;
    }

    boolean isEstablished() {
        return dtls != null;
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    /** A datagram from the association's address; false if it was dropped (queue full or ended). */
    boolean heard(byte[] datagram) {
        lastHeardNanos = System.nanoTime();
        boolean queued = transport.offer(datagram);
        if (dtls != null) {
            schedule();
        }
        return queued;
    }

    /** The handshake succeeded: from now on this is the peer {@code deviceId}. */
    void established(DTLSTransport transport, String deviceId) {
        this.identity = deviceId;
        this.dtls = transport;
        schedule(); // datagrams that arrived right after the client's Finished
    }

    @Override
    public void send(byte[] packet) {
        if (ended.get()) {
            return;
        }
        if (!outbound.offer(packet.clone())) {
            log.warn("dtls send queue full, packet dropped device_id={}", identity);
            return;
        }
        schedule();
    }

    @Override
    public void close() {
        close("closed");
    }

    /** Ends the association with a close_notify, on the worker that owns it. */
    void close(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        if (dtls == null) {
            end(reason); // a handshake in progress: its thread fails on the closed transport
            transport.close();
            return;
        }
        schedule();
    }

    /** A handshake that failed: nothing to tell the gateway, it never saw the peer. */
    void discard() {
        ended.set(true);
        transport.close();
    }

    private void schedule() {
        if (ended.get() || !scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            workers.execute(this::pass);
        } catch (RejectedExecutionException e) {
            scheduled.set(false); // the listener is shutting down
        }
    }

    /** One pass on a worker: pending sends, then every queued datagram, then a close if asked. */
    private void pass() {
        DTLSTransport t = dtls;
        try {
            if (t == null || ended.get()) {
                return;
            }
            String reason = closeReason;
            if (reason != null) {
                // What was sent before the close goes first (the DISCONNECT answering a DISCONNECT, say): send()
                // then close() on the gateway's thread often land in one pass.
                sendPending(t);
                closeQuietly(t);
                end(reason);
                return;
            }
            byte[] buf = new byte[transport.getReceiveLimit()];
            for (; ; ) {
                sendPending(t);
                if (!transport.hasInbound()) {
                    break;
                }
                // Takes at most one datagram's records; waits no longer than a millisecond for nothing.
                int n = t.receive(buf, 0, buf.length, 1);
                if (transport.closed()) {
                    end("peer_closed");
                    return;
                }
                if (n > maxPacketBytes) {
                    onOversized.accept(this, n);
                } else if (n >= 0) {
                    deliver(Arrays.copyOf(buf, n));
                }
            }
        } catch (IOException | RuntimeException e) {
            log.info("dtls association failed device_id={} error={}", identity, e.toString());
            if (t != null) {
                closeQuietly(t);
            }
            end("error");
        } finally {
            scheduled.set(false);
            if (!ended.get() && (transport.hasInbound() || !outbound.isEmpty() || closeReason != null)) {
                schedule();
            }
        }
    }

    private void sendPending(DTLSTransport t) throws IOException {
        byte[] out;
        while ((out = outbound.poll()) != null) {
            t.send(out, 0, out.length);
        }
    }

    private void deliver(byte[] packet) {
        try {
            handler.onPacket(this, packet);
        } catch (RuntimeException e) {
            log.error("mqtt-sn handler failed on a packet device_id={} error={}", identity, e.toString());
        }
    }

    private void end(String reason) {
        if (ended.compareAndSet(false, true)) {
            transport.close();
            onEnded.accept(this, reason);
        }
    }

    private static void closeQuietly(DTLSTransport t) {
        try {
            t.close();
        } catch (IOException | RuntimeException e) {
            // The peer is gone or the record layer failed; the association ends either way.
        }
    }

    @Override
    public String toString() {
        return "dtls:" + identity + "@" + address;
    }
}
