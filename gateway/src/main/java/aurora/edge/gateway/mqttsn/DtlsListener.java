package aurora.edge.gateway.mqttsn;

import aurora.edge.gateway.audit.RejectionReporter;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.mqttsn.DtlsMetrics.Drop;
import aurora.edge.gateway.mqttsn.DtlsMetrics.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import org.bouncycastle.tls.DTLSRequest;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DTLSVerifier;
import org.bouncycastle.tls.DatagramSender;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT-SN over DTLS 1.2 with per-device pre-shared keys, on one UDP port (issue 13: security by
 * default). One thread reads the socket and sorts datagrams by source address:
 *
 * <ul>
 *   <li>to the association (or handshake) of that address, if there is one;
 *   <li>a ClientHello from an address without one goes through bctls's stateless cookie exchange
 *       ({@link DTLSVerifier}): the first answer is a HelloVerifyRequest no larger than the
 *       datagram that asked for it (a spoofed source gets no state and no amplification); only a
 *       ClientHello that returns the cookie, i.e. comes from an address that can receive, starts a
 *       handshake, within the handshake limits; HelloVerifyRequests share one budget a second, so
 *       spoofed ClientHellos cannot turn the gateway into a reflector of more than that;
 *   <li>anything else is dropped unanswered.
 * </ul>
 *
 * Handshakes run on a bounded pool (bctls's handshake is blocking) under a deadline, at most
 * {@code mqttsn.dtls.max_handshakes_per_address} from one IP address: a wrong key shows only as a
 * timeout, so without that cap a few addresses could hold every slot. Datagrams and decrypted
 * packets longer than {@code mqttsn.max_packet_bytes} allows are dropped, counted and audited
 * {@code SN_MALFORMED}, as on the plaintext listener. Established
 * associations hold no thread (see {@link DtlsAssociation}). A ClientHello from an address with an
 * association (the device rebooted) starts a new handshake; the old association is replaced only
 * when the new one succeeds. One association per device id: a new one closes the older one, as a
 * new MQTT session does. Decrypted packets go to the {@link SnPacketHandler}, with the PSK identity
 * as the peer's identity.
 */
public final class DtlsListener implements SnTransport {
    private static final Logger log = LoggerFactory.getLogger(DtlsListener.class);

    private final GatewayConfig.Dtls config;
    private final Function<String, byte[]> pskOf;
    private final Predicate<String> revoked;
    private final RejectionReporter rejections;
    private final SnPacketHandler handler;
    private final int maxPacketBytes;
    private final int receiveLimit;
    private final DtlsMetrics metrics;
    private final DtlsHelloVerifyBudget helloVerifyBudget;
    private final Map<InetAddress, Integer> handshakesBySource = new ConcurrentHashMap<>();
    private final DatagramSocket socket;
    private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
    private final DTLSVerifier verifier = new DTLSVerifier(crypto);
    private final DtlsHandshakeRate handshakeRate;
    private final ThreadPoolExecutor handshakes;
    private final ExecutorService workers;
    private final ScheduledExecutorService sweeper;
    private final Thread receiver;
    private final Map<InetSocketAddress, DtlsAssociation> established = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, DtlsAssociation> handshaking = new ConcurrentHashMap<>();
    private final Map<String, DtlsAssociation> byDevice = new ConcurrentHashMap<>();
    private final AtomicInteger handshakesInProgress = new AtomicInteger();
    private final AtomicBoolean helloVerifyLimiting = new AtomicBoolean();
    private volatile boolean closed;

    private DtlsListener(
            InetSocketAddress bind,
            GatewayConfig.Dtls config,
            Function<String, byte[]> pskOf,
            Predicate<String> revoked,
            RejectionReporter rejections,
            SnPacketHandler handler,
            int maxPacketBytes,
            MeterRegistry meters)
            throws SocketException {
        this.config = config;
        this.maxPacketBytes = maxPacketBytes;
        this.receiveLimit = DtlsQueueTransport.receiveLimit(maxPacketBytes);
        this.metrics = new DtlsMetrics(meters, established::size, handshakesInProgress::get);
        this.helloVerifyBudget = new DtlsHelloVerifyBudget(config.helloVerifyPerSecond(), System.nanoTime());
        this.pskOf = pskOf;
        this.revoked = revoked;
        this.rejections = rejections;
        this.handler = handler;
        this.handshakeRate = new DtlsHandshakeRate(config.handshakesPerMinutePerAddress());
        this.socket = new DatagramSocket(bind);
        this.handshakes = new ThreadPoolExecutor(
                0, config.maxHandshakes(), 30, TimeUnit.SECONDS, new SynchronousQueue<>(), named("dtls-handshake"));
        this.workers = Executors.newFixedThreadPool(config.workers(), named("dtls-worker"));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(named("dtls-idle-sweep"));
        long sweepMillis = Math.max(100, Math.min(60_000, config.idleTimeout().toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::expireIdle, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        this.receiver = named("dtls-receive").newThread(this::receiveLoop);
        receiver.start();
    }

    /**
     * Binds {@code host:port} (0: a free port, see {@link #port()}) and starts serving.
     *
     * @param pskOf   the pre-shared key of a device id (asked only for a valid, unrevoked id)
     * @param revoked whether a device id is on the revoked-device list
     * @param maxPacketBytes {@code mqttsn.max_packet_bytes}: the largest MQTT-SN packet handed on
     */
    public static DtlsListener start(
            String host,
            int port,
            GatewayConfig.Dtls config,
            Function<String, byte[]> pskOf,
            Predicate<String> revoked,
            RejectionReporter rejections,
            SnPacketHandler handler,
            int maxPacketBytes,
            MeterRegistry meters)
            throws IOException {
        DtlsListener listener = new DtlsListener(
                new InetSocketAddress(host, port), config, pskOf, revoked, rejections, handler, maxPacketBytes, meters);
        log.info(
                "mqtt-sn dtls listener started host={} port={} cipher_suites={} max_associations={} idle_timeout={}",
                host,
                listener.port(),
                DtlsPskServer.SUITE_NAMES,
                config.maxAssociations(),
                config.idleTimeout());
        return listener;
    }

    @Override
    public int port() {
        return socket.getLocalPort();
    }

    /** Established associations. */
    public int associations() {
        return established.size();
    }

    /** Handshakes in progress (each past the cookie exchange). */
    int handshakesInProgress() {
        return handshakesInProgress.get();
    }

    /** Datagrams dropped unanswered (no association and no ClientHello, a full queue, a limit). */
    public long dropped() {
        return metrics.droppedTotal();
    }

    /**
     * {@code deviceId} was revoked: its association, if it has one, is closed (close_notify) and
     * the closing audited {@code CERT_REVOKED}; its next handshake is refused by the revocation check.
     */
    public void revoked(String deviceId) {
        DtlsAssociation a = byDevice.get(deviceId);
        if (a != null) {
            a.close("revoked");
            rejections.reject(Rejection.CERT_REVOKED, deviceId, "dtls association closed: device revoked");
        }
    }

    private void receiveLoop() {
        // One byte more than an association takes, so a longer datagram is seen (and counted) as too long.
        byte[] buf = new byte[receiveLimit + 1];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                packet.setLength(buf.length);
                socket.receive(packet);
                route((InetSocketAddress) packet.getSocketAddress(), Arrays.copyOf(buf, packet.getLength()));
            } catch (IOException e) {
                if (!closed) {
                    log.warn("dtls socket receive failed error={}", e.toString());
                }
            } catch (RuntimeException e) {
                log.error("dtls datagram not handled error={}", e.toString());
            }
        }
    }

    private void route(InetSocketAddress from, byte[] datagram) {
        if (datagram.length > receiveLimit) {
            // Not decrypted, so not yet the device's: audited as a stranger's (throttled per source address).
            metrics.dropped(Drop.OVERSIZED);
            rejections.rejectStranger(
                    Rejection.SN_MALFORMED,
                    from.getAddress(),
                    "",
                    "dtls datagram of " + datagram.length + " bytes, longer than mqttsn.max_packet_bytes allows");
            return;
        }
        DtlsAssociation inHandshake = handshaking.get(from);
        if (inHandshake != null) {
            count(inHandshake.heard(datagram));
            return;
        }
        DtlsAssociation live = established.get(from);
        boolean hello = DtlsRecords.isClientHello(datagram);
        if (live != null && !hello) {
            count(live.heard(datagram));
            return;
        }
        if (!hello) {
            metrics.dropped(Drop.NO_ASSOCIATION);
            return;
        }
        DTLSRequest request = verifier.verifyRequest(
                clientId(from), datagram, 0, datagram.length, replyAtMost(from, datagram.length));
        if (request != null) {
            startHandshake(from, request, live != null);
        }
    }

    private void count(boolean queued) {
        if (!queued) {
            metrics.dropped(Drop.QUEUE_FULL);
        }
    }

    /** The cookie binds the client's address and port. */
    private static byte[] clientId(InetSocketAddress from) {
        byte[] ip = from.getAddress().getAddress();
        return ByteBuffer.allocate(ip.length + 2)
                .put(ip)
                .putShort((short) from.getPort())
                .array();
    }

    /**
     * The only thing sent to an address that has not proved it can receive: the HelloVerifyRequest
     * (60 bytes with bctls's 32-byte cookie), never more bytes than the datagram it answers, and no
     * more of them a second than {@code mqttsn.dtls.hello_verify_per_second} in all.
     */
    private DatagramSender replyAtMost(InetSocketAddress to, int receivedBytes) {
        return new DatagramSender() {
            @Override
            public int getSendLimit() {
                return DtlsQueueTransport.SEND_LIMIT;
            }

            @Override
            public void send(byte[] buf, int off, int len) throws IOException {
                if (len > receivedBytes) {
                    metrics.dropped(Drop.REPLY_TOO_LARGE);
                    return;
                }
                if (!helloVerifyBudget.tryAcquire(System.nanoTime())) {
                    metrics.dropped(Drop.HELLO_VERIFY_LIMITED);
                    if (helloVerifyLimiting.compareAndSet(false, true)) {
                        // Once per episode: under a flood this runs for every datagram, and the sources are spoofed.
                        rejections.rejectStranger(
                                Rejection.DTLS_HELLO_VERIFY_LIMITED,
                                to.getAddress(),
                                "",
                                "limit=mqttsn.dtls.hello_verify_per_second");
                    }
                    return;
                }
                helloVerifyLimiting.set(false);
                socket.send(new DatagramPacket(buf, off, len, to));
                metrics.helloVerifySent();
            }
        };
    }

    private void startHandshake(InetSocketAddress from, DTLSRequest request, boolean replacing) {
        if (!handshakeRate.tryAcquire(from.getAddress(), System.nanoTime())) {
            refuse(from, "limit=mqttsn.dtls.handshakes_per_minute_per_address");
            return;
        }
        if (!holdSourceSlot(from.getAddress())) {
            refuse(from, "limit=mqttsn.dtls.max_handshakes_per_address");
            return;
        }
        if (handshakesInProgress.incrementAndGet() > config.maxHandshakes()) {
            releaseSlots(from.getAddress());
            refuse(from, "limit=mqttsn.dtls.max_handshakes");
            return;
        }
        if (!replacing && established.size() >= config.maxAssociations()) {
            releaseSlots(from.getAddress());
            refuse(from, "limit=mqttsn.dtls.max_associations");
            return;
        }
        DtlsAssociation association = new DtlsAssociation(
                from,
                new DtlsQueueTransport(socket, from, receiveLimit),
                workers,
                handler,
                this::ended,
                maxPacketBytes,
                this::oversized);
        handshaking.put(from, association);
        try {
            handshakes.execute(() -> handshake(association, request));
        } catch (RejectedExecutionException e) {
            handshaking.remove(from, association);
            releaseSlots(from.getAddress());
            refuse(from, "limit=mqttsn.dtls.max_handshakes");
        }
    }

    /** Takes one of the source IP address's handshake slots, if it has one left. */
    private boolean holdSourceSlot(InetAddress source) {
        boolean[] taken = {false};
        handshakesBySource.compute(source, (a, n) -> {
            int held = n == null ? 0 : n;
            if (held >= config.maxHandshakesPerAddress()) {
                return n;
            }
            taken[0] = true;
            return held + 1;
        });
        return taken[0];
    }

    /** A handshake is over (or never ran): frees its global slot and its source address's slot. */
    private void releaseSlots(InetAddress source) {
        handshakesInProgress.decrementAndGet();
        handshakesBySource.computeIfPresent(source, (a, n) -> n <= 1 ? null : n - 1);
    }

    private void refuse(InetSocketAddress from, String detail) {
        metrics.dropped(Drop.HANDSHAKE_LIMITED);
        metrics.handshake(Outcome.LIMITED);
        rejections.rejectStranger(Rejection.DTLS_HANDSHAKE_LIMITED, from.getAddress(), "", detail);
    }

    /** A decrypted packet longer than mqttsn.max_packet_bytes: the device proved its id, so it is audited as its. */
    private void oversized(DtlsAssociation association, int length) {
        metrics.dropped(Drop.OVERSIZED);
        rejections.reject(
                Rejection.SN_MALFORMED,
                association.identity().orElse(""),
                "dtls packet of " + length + " bytes, longer than mqttsn.max_packet_bytes=" + maxPacketBytes);
    }

    private void handshake(DtlsAssociation association, DTLSRequest request) {
        InetSocketAddress from = association.address();
        long started = System.nanoTime();
        DtlsPskServer server = new DtlsPskServer(
                crypto, pskOf, revoked, (int) config.handshakeTimeout().toMillis());
        try {
            DTLSTransport transport = new DTLSServerProtocol().accept(server, association.transport(), request);
            String deviceId = server.identity();
            if (deviceId == null) {
                throw new IOException("handshake finished without a PSK identity");
            }
            if (revoked.test(deviceId)) {
                // Revoked while the handshake ran.
                transport.close();
                handshaking.remove(from, association);
                association.discard();
                metrics.handshake(Outcome.REFUSED);
                rejections.rejectStranger(Rejection.CERT_REVOKED, from.getAddress(), deviceId, "dtls");
                return;
            }
            handshaking.remove(from, association);
            DtlsAssociation before = established.put(from, association);
            DtlsAssociation sameDevice = byDevice.put(deviceId, association);
            association.established(transport, deviceId);
            metrics.handshake(Outcome.ESTABLISHED);
            if (before != null && before != association) {
                before.close("replaced");
            }
            if (sameDevice != null && sameDevice != before && sameDevice != association) {
                sameDevice.close("replaced");
            }
            log.info(
                    "dtls association established device_id={} remote={} handshake_ms={} associations={}",
                    deviceId,
                    from,
                    (System.nanoTime() - started) / 1_000_000,
                    established.size());
        } catch (IOException | RuntimeException e) {
            handshaking.remove(from, association);
            association.discard();
            Rejection refusal = server.refusal();
            if (refusal != null) {
                metrics.handshake(Outcome.REFUSED);
                rejections.rejectStranger(refusal, from.getAddress(), server.claimed(), "dtls psk identity refused");
            } else {
                // DTLS drops a record it cannot decrypt (RFC 6347 4.1.2.7), so a wrong key shows as a
                // Finished that never arrives: the handshake times out with the identity accepted.
                boolean timedOut = timedOut(e);
                metrics.handshake(timedOut ? Outcome.TIMEOUT : Outcome.FAILED);
                String outcome = timedOut ? "timeout" : "alert=" + server.alert();
                rejections.rejectStranger(
                        Rejection.DTLS_HANDSHAKE_FAILED,
                        from.getAddress(),
                        server.claimed(),
                        outcome + " identity_accepted=" + (server.identity() != null) + " after_ms="
                                + (System.nanoTime() - started) / 1_000_000);
            }
        } finally {
            releaseSlots(from.getAddress());
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TlsTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** An association is over: forget it, and tell the gateway if it had seen the peer. */
    private void ended(DtlsAssociation association, String reason) {
        handshaking.remove(association.address(), association);
        established.remove(association.address(), association);
        association.identity().ifPresent(id -> byDevice.remove(id, association));
        if (association.isEstablished()) {
            log.info(
                    "dtls association closed device_id={} remote={} reason={}",
                    association.identity().orElse("(none)"),
                    association.address(),
                    reason);
            try {
                handler.onClosed(association);
            } catch (RuntimeException e) {
                log.error("mqtt-sn handler failed on a close error={}", e.toString());
            }
        }
    }

    private void expireIdle() {
        long idleNanos = config.idleTimeout().toNanos();
        long now = System.nanoTime();
        for (DtlsAssociation a : established.values()) {
            if (now - a.lastHeardNanos() > idleNanos) {
                a.close("idle");
            }
        }
    }

    private static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Closes every association (close_notify) and the socket. */
    @Override
    public void close() {
        closed = true;
        sweeper.shutdownNow();
        established.values().forEach(a -> a.close("shutdown"));
        handshaking.values().forEach(a -> a.close("shutdown"));
        workers.shutdown();
        try {
            if (!workers.awaitTermination(2, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handshakes.shutdownNow();
        socket.close();
        try {
            receiver.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
