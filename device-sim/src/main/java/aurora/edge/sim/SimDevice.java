package aurora.edge.sim;

import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated device: its identity, boot and per-boot {@code seq}, its ring of unacknowledged messages, and its
 * behaviour: wake → sample → publish → sleep, with connect, subscribe, resend above the ack watermark and
 * reconnect with backoff.
 *
 * <p>Threading: every method runs on the fleet's shared scheduler (connection events and futures are handed over to
 * it first), and each is {@code synchronized} on the device, so one device's steps never interleave while thousands
 * of devices share two threads. Nothing here blocks; publishing happens only in {@link State#ONLINE}.
 */
final class SimDevice implements DeviceConnection.Events {
    private static final Logger log = LoggerFactory.getLogger(SimDevice.class);

    enum State {
        /** Not connected; a reconnect is scheduled (or the first connect is about to be requested). */
        OFFLINE,
        /** Waiting for a slot in the connect gate or for CONNACK. */
        CONNECTING,
        /** Connected, waiting for SUBACK of the ack and action topics; nothing is published yet. */
        SUBSCRIBING,
        /** Connected and subscribed: publishes new messages and has resent every unacknowledged one. */
        ONLINE,
        CLOSED
    }

    /** What every device of a fleet is configured with. */
    record Settings(long boot, double alertShare, int ringCapacity, long maxMessages, Backoff reconnect) {}

    /** What every device of a fleet shares. {@code onDoneProducing} runs once per device reaching maxMessages. */
    record Environment(ScheduledExecutorService scheduler, ConnectGate gate, FleetCounters counters, Clock clock,
            Runnable onDoneProducing) {}

    private final String id;
    private final String telemetryTopic;
    private final String alertsTopic;
    private final String ackTopic;
    private final String actionTopic;
    private final Settings settings;
    private final Environment env;
    private final FleetCounters counters;
    private final DeviceConnection connection;
    private final UnackedRing ring;
    private final Sensors sensors;
    private final SentLog sentLog = new SentLog();

    private State state = State.OFFLINE;
    private long seq;
    private double alertCredit;
    private boolean producing = true;
    private boolean lostWhileConnecting;
    private int failedAttempts;

    SimDevice(DeviceCredentials credentials, Settings settings, Environment env, SplittableRandom random,
            DeviceConnection.Factory connections) {
        this.id = credentials.deviceId();
        this.telemetryTopic = WireFormat.telemetryTopic(id);
        this.alertsTopic = WireFormat.alertsTopic(id);
        this.ackTopic = WireFormat.ackTopic(id);
        this.actionTopic = WireFormat.actionTopic(id);
        this.settings = settings;
        this.env = env;
        this.counters = env.counters();
        this.ring = new UnackedRing(settings.ringCapacity());
        this.sensors = new Sensors(random);
        this.alertCredit = sensors.nextUnit(); // a per-device phase, so devices do not alert in lock-step
        this.connection = connections.open(credentials, this);
    }

    String id() {
        return id;
    }

    long boot() {
        return settings.boot();
    }

    synchronized State state() {
        return state;
    }

    synchronized long lastSeq() {
        return seq;
    }

    synchronized int unackedCount() {
        return ring.size();
    }

    synchronized void forEachSentId(Consumer<String> action) {
        sentLog.forEachId(id, action);
    }

    /** Requests the first connection. */
    synchronized void start() {
        if (state == State.OFFLINE) {
            requestConnect();
        }
    }

    /** One wake-up: sample, queue in the ring, publish if online. */
    synchronized void wake() {
        if (!producing || state == State.CLOSED) {
            return;
        }
        seq++;
        AlertKind alert = null;
        alertCredit += settings.alertShare();
        if (alertCredit >= 1) {
            alertCredit -= 1;
            alert = sensors.nextAlertKind();
        }
        Reading reading = sensors.sample(alert);
        PendingMessage message =
                new PendingMessage(seq, reading, alert == null ? PendingMessage.TELEMETRY : (byte) alert.ordinal());
        counters.unacked.increment();
        if (ring.add(message) != null) {
            counters.dropped.increment();
            counters.unacked.decrement();
        }
        if (state == State.ONLINE) {
            publish(message);
        }
        if (seq >= settings.maxMessages()) {
            producing = false;
            env.onDoneProducing().run();
        }
    }

    /** Stops producing new messages; connecting, resending and acks go on. */
    synchronized void stopProducing() {
        producing = false;
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
            producing = false;
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
            default -> { }
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
            onCommand(WireFormat.parseCommand(payload));
        }
    }

    private void onAck(WireFormat.Ack ack) {
        if (ack == null) {
            counters.malformedAcks.increment();
            return;
        }
        if (ack.boot() != settings.boot()) {
            return; // an ack for an earlier boot: those messages are gone from RAM anyway
        }
        int removed = ring.ackThrough(ack.seq());
        counters.acked.add(removed);
        counters.unacked.add(-removed);
    }

    /** The extension point for commands (issue 5: answer attest, set_interval, reboot, isolate). */
    private void onCommand(DeviceCommand command) {
        if (command instanceof DeviceCommand.Attest attest) {
            log.debug("command received device={} action=attest request_id={} answered=false", id, attest.requestId());
        } else {
            counters.commandsRefused.increment();
            log.debug("command refused device={} command={}", id, command);
        }
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
            suback = connection.subscribe(List.of(ackTopic, actionTopic));
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
            message.publishedAt = env.clock().millis();
            counters.sent.increment();
            sentLog.add(settings.boot(), message.seq);
        }
        byte[] payload = WireFormat.render(message, settings.boot());
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
        long delay = settings.reconnect().delayNanos(failedAttempts);
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
