package aurora.edge.sim;

import aurora.edge.sim.sn.PredefinedTopics;
import aurora.edge.sim.sn.SnClient;
import aurora.edge.sim.sn.SnCodec;
import aurora.edge.sim.sn.SnLink;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's MQTT-SN session as {@link DeviceLink} sees it, and the sleeping client a coin-cell sensor is: after
 * each burst of publishes it sleeps (DISCONNECT with a duration), every poll period it wakes with PINGREQ(client id)
 * and takes what the gateway queued (acks, attestation challenges, commands) until PINGRESP, and to publish again
 * it CONNECTs (active). Standard topics go by {@link PredefinedTopics} id; any other topic (a hostile device naming
 * another device's topic) is REGISTERed first, and the gateway should refuse it.
 */
final class SnConnection implements DeviceConnection {
    private static final Logger log = LoggerFactory.getLogger(SnConnection.class);
    /** How long a request waits for its answer before the link counts as lost. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Quiet time after the last publish before the device goes to sleep. */
    static final Duration LINGER = Duration.ofMillis(20);

    /** Opens a device's link (UDP, DTLS, or its slot in a relay's association). */
    @FunctionalInterface
    interface LinkOpener {
        SnLink open(DeviceCredentials credentials) throws IOException;
    }

    private enum State {
        DISCONNECTED,
        ACTIVE,
        ASLEEP
    }

    private final DeviceCredentials credentials;
    private final LinkOpener opener;
    private final SnCodec.Qos qos;
    /** Real time between wake-ups while asleep (the device's poll period, divided by the acceleration). */
    private final Duration realPoll;

    private final ScheduledExecutorService scheduler;
    private final Events events;

    private State state = State.DISCONNECTED;
    private SnClient client;
    private CompletableFuture<Void> active = CompletableFuture.completedFuture(null);
    /** The last wake's PINGREQ, until its PINGRESP (or its timeout). */
    private CompletableFuture<Void> waking = CompletableFuture.completedFuture(null);

    private Future<?> sleepTask;
    private Future<?> pollTask;
    private long generation;

    SnConnection(
            DeviceCredentials credentials,
            LinkOpener opener,
            SnCodec.Qos qos,
            Duration realPoll,
            ScheduledExecutorService scheduler,
            Events events) {
        this.credentials = credentials;
        this.opener = opener;
        this.qos = qos;
        this.realPoll = realPoll;
        this.scheduler = scheduler;
        this.events = events;
    }

    static Factory factory(LinkOpener opener, SnCodec.Qos qos, Duration realPoll, ScheduledExecutorService scheduler) {
        return (credentials, events) -> new SnConnection(credentials, opener, qos, realPoll, scheduler, events);
    }

    /** The sleep duration told to the gateway: a few poll periods, so one missed wake-up is no loss, >= 1 s. */
    int sleepSeconds() {
        return (int) Math.min(0xFFFF, Math.max(1, (long) Math.ceil(realPoll.toMillis() * 3 / 1000.0)));
    }

    @Override
    public synchronized CompletableFuture<Boolean> connect() {
        closeClient();
        long gen = ++generation;
        SnLink link;
        try {
            link = opener.open(credentials);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        client = new SnClient(credentials.deviceId(), link, TIMEOUT, new SnClient.Listener() {
            @Override
            public void published(int topicIdType, int topicId, byte[] data) {
                delivered(gen, topicIdType, topicId, data);
            }

            @Override
            public void linkFailed(Throwable cause) {
                lost(gen, cause);
            }
        });
        CompletableFuture<Void> connack = client.connect(false, sleepSeconds());
        active = connack;
        return connack.thenApply(ok -> {
            synchronized (this) {
                if (gen == generation) {
                    state = State.ACTIVE;
                }
            }
            return false; // MQTT-SN's CONNACK has no session-present flag
        });
    }

    @Override
    public synchronized CompletableFuture<Void> subscribe(List<String> topics) {
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("topics must not be empty");
        }
        SnClient c = client;
        if (c == null || state != State.ACTIVE) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        }
        CompletableFuture<?>[] acks = new CompletableFuture<?>[topics.size()];
        for (int i = 0; i < acks.length; i++) {
            Optional<Integer> id = PredefinedTopics.idOf(topics.get(i), credentials.deviceId());
            if (id.isEmpty()) {
                return CompletableFuture.failedFuture(
                        new IllegalArgumentException("no predefined topic id for " + topics.get(i)));
            }
            acks[i] = c.subscribePredefined(id.get(), SnCodec.Qos.AT_LEAST_ONCE);
        }
        return CompletableFuture.allOf(acks).thenRun(this::sleepSoon);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload) {
        return send(topic, payload, qos);
    }

    @Override
    public void publishAtMostOnce(String topic, byte[] payload) {
        send(topic, payload, qos == SnCodec.Qos.FIRE_AND_FORGET ? qos : SnCodec.Qos.AT_MOST_ONCE)
                .exceptionally(e -> {
                    log.debug("qos0 publish not sent device={} cause={}", credentials.deviceId(), e.toString());
                    return null;
                });
    }

    private CompletableFuture<Void> send(String topic, byte[] payload, SnCodec.Qos q) {
        SnClient c;
        CompletableFuture<Void> ready;
        synchronized (this) {
            c = client;
            if (c == null || state == State.DISCONNECTED) {
                return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
            }
            ready = q == SnCodec.Qos.FIRE_AND_FORGET ? CompletableFuture.completedFuture(null) : wakeToActive(c);
            cancel(sleepTask);
            sleepTask = null;
        }
        Optional<Integer> predefined = PredefinedTopics.idOf(topic, credentials.deviceId());
        CompletableFuture<Void> sent = predefined.isPresent()
                ? ready.thenCompose(ok -> c.publish(q, SnCodec.TOPIC_PREDEFINED, predefined.get(), payload))
                : ready.thenCompose(ok -> c.register(topic))
                        .thenCompose(id -> c.publish(q, SnCodec.TOPIC_NORMAL, id, payload));
        sent.whenComplete((ok, e) -> sleepSoon());
        return sent;
    }

    /** Asleep: CONNECT again to become active (MQTT-SN §6.14); the same future for every publish of the burst. */
    private CompletableFuture<Void> wakeToActive(SnClient c) {
        if (state == State.ASLEEP) {
            state = State.ACTIVE;
            cancel(pollTask);
            pollTask = null;
            active = c.connect(false, sleepSeconds());
        }
        return active;
    }

    private synchronized void sleepSoon() {
        if (state != State.ACTIVE || client == null) {
            return;
        }
        cancel(sleepTask);
        long gen = generation;
        sleepTask = schedule(() -> sleep(gen), LINGER.toNanos());
    }

    private void sleep(long gen) {
        CompletableFuture<Void> asleep;
        synchronized (this) {
            if (gen != generation || state != State.ACTIVE || client == null) {
                return;
            }
            state = State.ASLEEP;
            // Sent under the lock, as the CONNECT of the next publish is (wakeToActive): the gateway must see the
            // DISCONNECT before that CONNECT, or it takes the device for asleep while the device thinks it is active.
            asleep = client.sleep(Duration.ofSeconds(sleepSeconds()));
        }
        asleep.whenComplete((ok, e) -> {
            if (e != null) {
                lost(gen, e);
                return;
            }
            synchronized (this) {
                if (gen == generation && state == State.ASLEEP) {
                    pollTask = scheduleEvery(() -> poll(gen), realPoll.toNanos());
                }
            }
        });
    }

    /** One wake-up while asleep: PINGREQ(client id); queued messages arrive before the PINGRESP. */
    private void poll(long gen) {
        CompletableFuture<Void> woken;
        synchronized (this) {
            if (gen != generation || state != State.ASLEEP || !waking.isDone()) {
                return; // a wake still waiting for its PINGRESP (a slow gateway) is not superseded by the next one
            }
            woken = client.wake();
            waking = woken;
        }
        woken.whenComplete((ok, e) -> {
            if (e != null) {
                lost(gen, e);
            }
        });
    }

    private void delivered(long gen, int topicIdType, int topicId, byte[] data) {
        synchronized (this) {
            if (gen != generation) {
                return;
            }
        }
        String topic = topicIdType == SnCodec.TOPIC_PREDEFINED
                ? PredefinedTopics.topic(topicId, credentials.deviceId())
                : null;
        if (topic == null) {
            log.debug("publish on unknown topic id device={} id={}", credentials.deviceId(), topicId);
            return;
        }
        dispatch(() -> events.messageArrived(topic, data));
    }

    private void lost(long gen, Throwable cause) {
        synchronized (this) {
            if (gen != generation || state == State.DISCONNECTED) {
                return;
            }
            state = State.DISCONNECTED;
            closeClient();
        }
        dispatch(() -> events.connectionLost(cause));
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        SnClient c;
        synchronized (this) {
            generation++;
            c = client;
            boolean wasConnected = state != State.DISCONNECTED;
            state = State.DISCONNECTED;
            cancel(sleepTask);
            cancel(pollTask);
            sleepTask = null;
            pollTask = null;
            client = null;
            if (c == null) {
                return CompletableFuture.completedFuture(null);
            }
            if (!wasConnected) {
                c.close();
                return CompletableFuture.completedFuture(null);
            }
        }
        return c.disconnect().handle((ok, e) -> {
            c.close();
            return null;
        });
    }

    private void closeClient() {
        cancel(sleepTask);
        cancel(pollTask);
        sleepTask = null;
        pollTask = null;
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private Future<?> schedule(Runnable task, long delayNanos) {
        try {
            return scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    private Future<?> scheduleEvery(Runnable task, long periodNanos) {
        try {
            return scheduler.scheduleAtFixedRate(task, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    private static void cancel(Future<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    private void dispatch(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            // the fleet is shutting down
        }
    }
}
