package aurora.edge.sim.sn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT-SN 1.2 client for one simulated device over an {@link SnLink}: CONNECT, REGISTER, PUBLISH at QoS 0, 1 and
 * −1, SUBSCRIBE to predefined topic ids, sleeping (DISCONNECT with a duration) and waking (PINGREQ with the client
 * id, queued messages, PINGRESP), DISCONNECT. Requests answer with futures that fail after {@code timeout}. One
 * daemon reader thread per client reads the link, acknowledges the gateway's QoS 1 PUBLISHes and REGISTERs, and
 * hands PUBLISHes to the {@link Listener} on that thread. The device's own ring resends what
 * the gateway has not acknowledged after a reconnect, as on MQTT; a QoS 1 PUBLISH is resent with DUP after a
 * PUBACK timeout ({@link #PUBLISH_RETRIES} times), as MQTT-SN over UDP needs.
 */
public final class SnClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SnClient.class);
    private static final Duration READ_SLICE = Duration.ofMillis(200);
    /** QoS 1 PUBLISH resends (with DUP, same message id) after a PUBACK timeout. */
    static final int PUBLISH_RETRIES = 2;

    /** What the client tells its owner, on the reader thread. */
    public interface Listener {
        /** A PUBLISH from the gateway (acknowledged already if it was QoS 1). */
        void published(int topicIdType, int topicId, byte[] data);

        /** The link failed (not called after {@link #close()}). */
        void linkFailed(Throwable cause);
    }

    /** The gateway refused a request, or answered it with a non-zero ReturnCode. */
    public static final class RefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int returnCode;

        RefusedException(String what, int returnCode) {
            super(what + " refused with ReturnCode " + returnCode);
            this.returnCode = returnCode;
        }

        public int returnCode() {
            return returnCode;
        }
    }

    private final String clientId;
    private final SnLink link;
    private final Duration timeout;
    private final Listener listener;
    private final AtomicInteger msgIds = new AtomicInteger();
    /** (MsgType << 16 | MsgId) of the answer → the request waiting for it. */
    private final Map<Integer, CompletableFuture<SnCodec.Packet>> pending = new ConcurrentHashMap<>();
    /** Answers without a MsgId (CONNACK, PINGRESP, DISCONNECT): one request of each at a time. */
    private final Map<Integer, AtomicReference<@Nullable CompletableFuture<SnCodec.Packet>>> single =
            new ConcurrentHashMap<>();

    private final Thread reader;
    private volatile boolean closed;

    public SnClient(String clientId, SnLink link, Duration timeout, Listener listener) {
        this.clientId = clientId;
        this.link = link;
        this.timeout = timeout;
        this.listener = listener;
        for (int type : new int[] {SnCodec.CONNACK, SnCodec.PINGRESP, SnCodec.DISCONNECT}) {
            single.put(type, new AtomicReference<>());
        }
        this.reader = new Thread(this::readLoop, "device-sim-sn-" + clientId);
        reader.setDaemon(true);
        reader.start();
    }

    public String clientId() {
        return clientId;
    }

    /** CONNECT (also how a sleeping client becomes active again); completes on an accepting CONNACK. */
    public CompletableFuture<Void> connect(boolean cleanSession, int keepAliveSeconds) {
        return requestSingle(SnCodec.CONNACK, SnCodec.connect(clientId, cleanSession, keepAliveSeconds))
                .thenAccept(connack -> accepted("CONNECT", connack.returnCode()));
    }

    /** REGISTER {@code topicName}; completes with the gateway's topic id, or fails if it refuses. */
    public CompletableFuture<Integer> register(String topicName) {
        int msgId = nextMsgId();
        return request(SnCodec.REGACK, msgId, SnCodec.register(msgId, topicName))
                .thenApply(regack -> {
                    accepted("REGISTER", regack.returnCode());
                    return regack.topicId();
                });
    }

    /** SUBSCRIBE to a predefined topic id; completes on an accepting SUBACK. */
    public CompletableFuture<Void> subscribePredefined(int topicId, SnCodec.Qos qos) {
        int msgId = nextMsgId();
        return request(SnCodec.SUBACK, msgId, SnCodec.subscribePredefined(msgId, topicId, qos))
                .thenAccept(suback -> accepted("SUBSCRIBE " + topicId, suback.returnCode()));
    }

    /** PUBLISH; at QoS 1 completes on an accepting PUBACK, at QoS 0 and −1 once sent. */
    public CompletableFuture<Void> publish(SnCodec.Qos qos, int topicIdType, int topicId, byte[] data) {
        if (qos != SnCodec.Qos.AT_LEAST_ONCE) {
            return send(SnCodec.publish(qos, false, topicIdType, topicId, 0, data));
        }
        int msgId = nextMsgId();
        return publishAttempt(topicIdType, topicId, msgId, data, PUBLISH_RETRIES, false);
    }

    /**
     * One QoS 1 attempt; on a timeout the same message id again with DUP (MQTT-SN §6.13, Nretry). Over UDP a lost
     * PUBLISH or PUBACK is normal, and the device's ring resends only after a reconnect: without this retry a
     * lost datagram holds the cumulative ack back for as long as the link stays up (SimFleetOverMqttSnIT).
     */
    private CompletableFuture<Void> publishAttempt(
            int topicIdType, int topicId, int msgId, byte[] data, int retriesLeft, boolean dup) {
        byte[] packet = SnCodec.publish(SnCodec.Qos.AT_LEAST_ONCE, dup, topicIdType, topicId, msgId, data);
        return request(SnCodec.PUBACK, msgId, packet)
                .handle((puback, error) -> {
                    Throwable cause =
                            error instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                                    ? c.getCause()
                                    : error;
                    if (cause instanceof java.util.concurrent.TimeoutException && retriesLeft > 0 && !closed) {
                        return publishAttempt(topicIdType, topicId, msgId, data, retriesLeft - 1, true);
                    }
                    if (cause != null) {
                        return CompletableFuture.<Void>failedFuture(cause);
                    }
                    try {
                        accepted("PUBLISH", puback.returnCode());
                        return CompletableFuture.<Void>completedFuture(null);
                    } catch (RefusedException refused) {
                        return CompletableFuture.<Void>failedFuture(refused);
                    }
                })
                .thenCompose(f -> f);
    }

    /** DISCONNECT with a duration: asleep until the next {@link #wake()} or {@link #connect}. */
    public CompletableFuture<Void> sleep(Duration duration) {
        return requestSingle(SnCodec.DISCONNECT, SnCodec.disconnect(duration)).thenApply(p -> null);
    }

    /** PINGREQ with the client id: the gateway delivers what it queued while asleep, then PINGRESP. */
    public CompletableFuture<Void> wake() {
        return requestSingle(SnCodec.PINGRESP, SnCodec.pingreq(clientId)).thenApply(p -> null);
    }

    /** PINGREQ without a client id: keep-alive of an active client. */
    public CompletableFuture<Void> ping() {
        return requestSingle(SnCodec.PINGRESP, SnCodec.pingreq(null)).thenApply(p -> null);
    }

    /** DISCONNECT without a duration: the session ends (the gateway keeps a non-clean session's subscriptions). */
    public CompletableFuture<Void> disconnect() {
        return requestSingle(SnCodec.DISCONNECT, SnCodec.disconnect(null)).thenApply(p -> null);
    }

    @Override
    public void close() {
        closed = true;
        link.close();
        reader.interrupt();
        IOException gone = new IOException("client closed");
        pending.values().forEach(f -> f.completeExceptionally(gone));
        single.values().forEach(ref -> {
            CompletableFuture<SnCodec.Packet> f = ref.getAndSet(null);
            if (f != null) {
                f.completeExceptionally(gone);
            }
        });
    }

    private int nextMsgId() {
        return msgIds.updateAndGet(id -> id >= 0xFFFF ? 1 : id + 1);
    }

    private static void accepted(String what, int returnCode) {
        if (returnCode != SnCodec.ACCEPTED) {
            throw new RefusedException(what, returnCode);
        }
    }

    private CompletableFuture<Void> send(byte[] packet) {
        try {
            link.send(packet);
            return CompletableFuture.completedFuture(null);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<SnCodec.Packet> request(int answerType, int msgId, byte[] packet) {
        int key = (answerType << 16) | msgId;
        CompletableFuture<SnCodec.Packet> answer = new CompletableFuture<>();
        pending.put(key, answer);
        answer.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((p, e) -> pending.remove(key, answer));
        send(packet).whenComplete((ok, e) -> {
            if (e != null) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    private CompletableFuture<SnCodec.Packet> requestSingle(int answerType, byte[] packet) {
        AtomicReference<@Nullable CompletableFuture<SnCodec.Packet>> slot = single.get(answerType);
        CompletableFuture<SnCodec.Packet> answer = new CompletableFuture<>();
        CompletableFuture<SnCodec.Packet> previous = slot.getAndSet(answer);
        if (previous != null) {
            previous.completeExceptionally(new IllegalStateException("superseded by a newer request"));
        }
        answer.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((p, e) -> slot.compareAndSet(answer, null));
        send(packet).whenComplete((ok, e) -> {
            if (e != null) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    private void readLoop() {
        while (!closed) {
            byte[] datagram;
            try {
                datagram = link.receive(READ_SLICE);
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    listener.linkFailed(e);
                }
                return;
            }
            if (datagram != null) {
                try {
                    handle(SnCodec.decode(datagram));
                } catch (IllegalArgumentException e) {
                    log.debug("malformed packet from gateway client={} cause={}", clientId, e.getMessage());
                }
            }
        }
    }

    private void handle(SnCodec.Packet p) {
        switch (p.type()) {
            case SnCodec.PUBLISH -> {
                if (p.qos() == SnCodec.Qos.AT_LEAST_ONCE) {
                    send(SnCodec.puback(p.topicId(), p.msgId(), SnCodec.ACCEPTED));
                }
                listener.published(p.topicIdType(), p.topicId(), p.data());
            }
            case SnCodec.REGISTER -> send(SnCodec.regack(p.topicId(), p.msgId(), SnCodec.ACCEPTED));
            case SnCodec.REGACK, SnCodec.PUBACK, SnCodec.SUBACK -> {
                CompletableFuture<SnCodec.Packet> f = pending.remove((p.type() << 16) | p.msgId());
                if (f != null) {
                    f.complete(p);
                }
            }
            case SnCodec.CONNACK, SnCodec.PINGRESP, SnCodec.DISCONNECT -> {
                CompletableFuture<SnCodec.Packet> f = single.get(p.type()).getAndSet(null);
                if (f != null) {
                    f.complete(p);
                } else if (p.type() == SnCodec.DISCONNECT) {
                    listener.linkFailed(new IOException("the gateway sent DISCONNECT"));
                }
            }
            default -> log.debug("unexpected packet client={} type=0x{}", clientId, Integer.toHexString(p.type()));
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
