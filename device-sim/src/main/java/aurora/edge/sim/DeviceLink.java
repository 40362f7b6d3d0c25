package aurora.edge.sim;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network half of a simulated device: its MQTT session state machine, its RAM ring of unacknowledged
 * messages, the ack watermark, resend after reconnect, reconnect with backoff through the fleet's connect gate.
 * {@link SimDevice} adds the device itself (duty cycle, battery, sensors, commands).
 *
 * <p>Every method runs on the fleet's scheduler, synchronized on the device; nothing blocks; sequenced messages
 * are published only in {@link State#ONLINE}.
 */
abstract class DeviceLink implements DeviceConnection.Events {
    private static final Logger log = LoggerFactory.getLogger(DeviceLink.class);

    enum State {
        /** Not connected; a reconnect is scheduled (or the first connect is about to be requested). */
        OFFLINE,
        /** Waiting for a slot in the connect gate or for CONNACK. */
        CONNECTING,
        /** Connected, waiting for SUBACK of the ack and action topics (and the request topic); nothing is published yet. */
        SUBSCRIBING,
        /** Connected and subscribed: publishes new messages and has resent every unacknowledged one. */
        ONLINE,
        CLOSED
    }

    /** What every device of a fleet shares. {@code onDoneProducing} runs once per device that stops producing. */
    record Environment(
            ScheduledExecutorService scheduler,
            ConnectGate gate,
            FleetCounters counters,
            VirtualClock clock,
            Firmware firmware,
            Runnable onDoneProducing) {}

    private final String id;
    private final String telemetryTopic;
    private final String alertsTopic;
    private final String ackTopic;
    private final String actionTopic;
    /** {@code aurora/attestation/{id}/request} for a device with stock AuroraSOC firmware, else null. */
    private final String requestTopic;

    private final Backoff backoff;
    final Environment env;
    final FleetCounters counters;
    private final DeviceConnection connection;
    private final UnackedRing ring;
    private final SentLog sentLog = new SentLog();

    private State state = State.OFFLINE;
    private boolean lostWhileConnecting;
    private int failedAttempts;

    DeviceLink(
            DeviceCredentials credentials,
            int ringCapacity,
            Backoff backoff,
            Environment env,
            DeviceConnection.Factory connections,
            boolean stockAttestation) {
        this.id = credentials.deviceId();
        this.requestTopic = stockAttestation ? WireFormat.attestationRequestTopic(id) : null;
        this.telemetryTopic = WireFormat.telemetryTopic(id);
        this.alertsTopic = WireFormat.alertsTopic(id);
        this.ackTopic = WireFormat.ackTopic(id);
        this.actionTopic = WireFormat.actionTopic(id);
        this.backoff = backoff;
        this.env = env;
        this.counters = env.counters();
        this.ring = new UnackedRing(ringCapacity);
        this.connection = connections.open(credentials, this);
    }

    /** The payload of a sequenced message, identical on every resend. */
    abstract byte[] render(PendingMessage message);

    /** A message arrived on the action topic. */
    abstract void onCommand(byte[] payload);

    /** A challenge arrived on the AuroraSOC request topic (stock firmware only). */
    abstract void onAttestationRequest(byte[] payload);

    /** The current boot count; acks for other boots are ignored. */
    abstract long boot();

    String id() {
        return id;
    }

    synchronized State state() {
        return state;
    }

    synchronized int unackedCount() {
        return ring.size();
    }

    SentLog sentLog() {
        return sentLog;
    }

    boolean isOnline() {
        return state == State.ONLINE;
    }

    boolean isClosed() {
        return state == State.CLOSED;
    }

    /** Requests the first connection. */
    synchronized void start() {
        if (state == State.OFFLINE) {
            requestConnect();
        }
    }

    /** Queues a sequenced message in the ring and publishes it when online. */
    void queue(PendingMessage message) {
        counters.unacked.increment();
        if (ring.add(message) != null) {
            counters.dropped.increment();
            counters.unacked.decrement();
        }
        if (state == State.ONLINE) {
            publish(message);
        }
    }

    /** Empties the ring (RAM lost); returns how many messages went with it. */
    int clearRing() {
        int lost = ring.clear();
        counters.unacked.add(-lost);
        return lost;
    }

    /** QoS 0, only when online: hostile injections, never resent. */
    void publishAtMostOnce(String topic, byte[] payload) {
        try {
            connection.publishAtMostOnce(topic, payload);
        } catch (RuntimeException e) {
            counters.publishFailures.increment();
        }
    }

    /** QoS 1, once, not kept in the ring (attestation answers: a lost one is asked again). */
    void publishAtLeastOnce(String topic, byte[] payload) {
        if (state != State.ONLINE) {
            counters.publishFailures.increment();
            return;
        }
        try {
            connection.publish(topic, payload).whenComplete((ok, error) -> {
                if (error != null) {
                    counters.publishFailures.increment();
                }
            });
        } catch (RuntimeException e) {
            counters.publishFailures.increment();
        }
    }

    /** After a reset: an established session is dropped and re-established through the gate. */
    void resetConnection() {
        if (state != State.ONLINE) {
            return; // offline: a reconnect is scheduled; connecting: the new session will do
        }
        counters.connected.decrementAndGet();
        state = State.OFFLINE;
        connection.disconnect().whenCompleteAsync((ok, error) -> reconnectDue(), env.scheduler());
    }

    /** A connection storm: drop the session and connect again at once, past the gate and without backoff. */
    void storm() {
        if (state != State.ONLINE) {
            return;
        }
        counters.connected.decrementAndGet();
        state = State.CONNECTING;
        connection.disconnect().whenCompleteAsync((ok, error) -> attemptConnect(), env.scheduler());
    }

    /** Disconnects for good. */
    CompletableFuture<Void> close() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return CompletableFuture.completedFuture(null);
            }
            if (state == State.ONLINE) {
                counters.connected.decrementAndGet();
            }
            state = State.CLOSED;
        }
        return connection.disconnect();
    }

    @Override
    public synchronized void connectionLost(Throwable cause) {
        switch (state) {
            case CONNECTING -> lostWhileConnecting = true; // CONNACK seen, its future not handled yet
            case SUBSCRIBING -> lost(cause);
            case ONLINE -> {
                counters.connected.decrementAndGet();
                lost(cause);
            }
            default -> {}
        }
    }

    @Override
    public synchronized void messageArrived(String topic, byte[] payload) {
        if (state == State.CLOSED) {
            return;
        }
        if (topic.equals(ackTopic)) {
            onAck(WireFormat.parseAck(payload));
        } else if (topic.equals(actionTopic)) {
            counters.commandsReceived.increment();
            onCommand(payload);
        } else if (topic.equals(requestTopic)) {
            counters.commandsReceived.increment();
            onAttestationRequest(payload);
        }
    }

    private void onAck(WireFormat.Ack ack) {
        if (ack == null) {
            counters.malformedAcks.increment();
            return;
        }
        if (ack.boot() != boot()) {
            return; // an ack for an earlier boot: those messages are gone from RAM anyway
        }
        long now = System.nanoTime();
        int removed = ring.ackThrough(ack.seq(), m -> {
            if (m.published()) {
                counters.ackLatencyMicros.recordValue(
                        Math.min(3_600_000_000L, Math.max(0, (now - m.firstPublishNanos) / 1000)));
            }
        });
        counters.acked.add(removed);
        counters.unacked.add(-removed);
    }

    private void requestConnect() {
        state = State.CONNECTING;
        env.gate().submit(this::attemptConnect);
    }

    /** Runs when the gate grants a slot; the slot is held until the returned future completes. */
    private CompletableFuture<?> attemptConnect() {
        synchronized (this) {
            if (state != State.CONNECTING) {
                return CompletableFuture.completedFuture(null);
            }
            lostWhileConnecting = false;
        }
        CompletableFuture<Boolean> connack;
        try {
            connack = connection.connect();
        } catch (RuntimeException e) {
            connack = CompletableFuture.failedFuture(e);
        }
        connack.whenCompleteAsync(this::connectDone, env.scheduler());
        return connack;
    }

    private synchronized void connectDone(Boolean sessionPresent, Throwable error) {
        if (state != State.CONNECTING) {
            return;
        }
        if (error != null) {
            counters.connectFailures.increment();
            log.debug("connect failed device={} attempt={} cause={}", id, failedAttempts + 1, error.toString());
            scheduleReconnect();
            return;
        }
        counters.connects.increment();
        if (lostWhileConnecting) {
            lost(null);
            return;
        }
        // Subscribing on every connect, session present or not, costs one round trip and survives a broker that
        // lost its sessions (Moquette without persistence after a restart).
        state = State.SUBSCRIBING;
        CompletableFuture<Void> suback;
        try {
            suback = connection.subscribe(
                    requestTopic == null
                            ? List.of(ackTopic, actionTopic)
                            : List.of(ackTopic, actionTopic, requestTopic));
        } catch (RuntimeException e) {
            suback = CompletableFuture.failedFuture(e);
        }
        suback.whenCompleteAsync(this::subscribeDone, env.scheduler());
    }

    private synchronized void subscribeDone(Void ignored, Throwable error) {
        if (state != State.SUBSCRIBING) {
            return;
        }
        if (error != null) {
            counters.connectFailures.increment();
            log.debug("subscribe failed device={} cause={}", id, error.toString());
            connection.disconnect();
            scheduleReconnect();
            return;
        }
        state = State.ONLINE;
        failedAttempts = 0;
        counters.connected.incrementAndGet();
        ring.forEach(this::publish); // everything above the watermark, oldest first; new messages follow
    }

    private void publish(PendingMessage message) {
        if (message.published()) {
            counters.resent.increment();
        } else {
            message.markPublished(System.nanoTime());
            counters.sent.increment();
            sentLog.add(boot(), message.seq);
        }
        byte[] payload = render(message);
        String topic = message.isAlert() ? alertsTopic : telemetryTopic;
        try {
            connection.publish(topic, payload).whenComplete((ok, error) -> {
                if (error != null) {
                    counters.publishFailures.increment();
                }
            });
        } catch (RuntimeException e) {
            counters.publishFailures.increment();
        }
    }

    private void lost(Throwable cause) {
        counters.connectionLosses.increment();
        log.debug("connection lost device={} cause={}", id, String.valueOf(cause));
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        state = State.OFFLINE;
        long delay = backoff.delayNanos(failedAttempts);
        failedAttempts = Math.min(failedAttempts + 1, 62);
        try {
            env.scheduler().schedule(this::reconnectDue, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            state = State.CLOSED; // the fleet is shutting down
        }
    }

    private synchronized void reconnectDue() {
        if (state == State.OFFLINE) {
            requestConnect();
        }
    }
}
