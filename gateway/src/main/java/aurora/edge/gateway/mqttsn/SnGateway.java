package aurora.edge.gateway.mqttsn;

import aurora.edge.attestation.DeviceId;
import aurora.edge.gateway.audit.RejectionReporter;
import aurora.edge.gateway.command.CommandSender;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.device.DeviceTopic;
import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.intake.RateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT-SN 1.2 gateway: what every transport (plain UDP, DTLS) hands its datagrams to, and one
 * of the gateway's ways to devices ({@link CommandSender}). All session state lives on one thread
 * of its own; a transport thread only queues the datagram (bounded, the excess counted and dropped).
 *
 * <p>The device id is the DTLS identity when there is one (a CONNECT naming another id is refused
 * {@code IDENTITY_MISMATCH}), else, on the plaintext listener, the claimed client id. Before a
 * CONNECT the gateway answers nothing but a CONNACK (3 bytes, to a CONNECT of 7 or more), a GWINFO
 * (3 bytes, to a SEARCHGW of 3) and a wake's PINGRESP to the address (or DTLS identity) the device
 * slept from: no datagram of a stranger is answered with more bytes than it had.
 */
public final class SnGateway implements SnPacketHandler, CommandSender, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SnGateway.class);
    /** Datagrams waiting for the gateway's thread; beyond it they are dropped and counted. */
    static final int MAX_WAITING = 10_000;

    static final int GATEWAY_ID = 1;
    private static final long TICK_MILLIS = 200;

    private final GatewayConfig.MqttSn config;
    private final Clock clock;
    private final Predicate<String> revoked;
    private final Consumer<String> listening;
    private final RateLimiter connects;
    private final ScheduledExecutorService loop;
    private final AtomicInteger waiting = new AtomicInteger();
    private final SnStore store;
    private final SnSessions sessions = new SnSessions();
    private final TopicRegistry topics;
    private final SnWire wire;
    private final SnDelivery delivery;
    private final SnPublishes publishes;
    private final RelayedIntake relays;
    private final RelayRoutes routes;
    private final Counter overloaded;
    private final Counter duplicates;
    private final AtomicLong awake = new AtomicLong();
    private final AtomicLong asleep = new AtomicLong();
    private final AtomicLong queued = new AtomicLong();

    /** Who the gateway works for: where messages go, how devices are refused, which are revoked. */
    public record Wiring(
            DeviceIntake intake,
            RelayedIntake relays,
            RejectionReporter rejections,
            Predicate<String> revoked,
            Consumer<String> listening,
            int maxConnectsPerMinute) {}

    /**
     * Opens {@code mqttsn.db} in {@code dataDir} (sleeping devices and their queues come back) and
     * starts the gateway's thread; a transport is started afterwards with this as its handler.
     */
    public SnGateway(GatewayConfig.MqttSn config, Path dataDir, Wiring wiring, Clock clock, MeterRegistry registry) {
        this.config = config;
        this.clock = clock;
        this.revoked = wiring.revoked();
        this.listening = wiring.listening();
        this.connects =
                new RateLimiter(wiring.maxConnectsPerMinute() / 60.0, wiring.maxConnectsPerMinute(), System::nanoTime);
        this.store = SnStore.open(dataDir);
        this.topics = new TopicRegistry(store);
        this.relays = wiring.relays();
        this.routes = new RelayRoutes(wiring.relays(), wiring.revoked());
        this.wire = new SnWire(wiring.rejections(), registry);
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "mqttsn-gateway"));
        this.delivery = new SnDelivery(
                store,
                wire,
                clock,
                config.sleepQueueMax(),
                config.retryInterval().toMillis());
        this.overloaded = Counter.builder("aurora_mqttsn_dropped")
                .description("MQTT-SN datagrams dropped because the gateway's thread was behind")
                .register(registry);
        this.duplicates = Counter.builder("aurora_mqttsn_duplicates")
                .description("QoS 1 PUBLISHes resent with a message id already taken (not taken twice)")
                .register(registry);
        this.publishes = new SnPublishes(
                wiring.intake(),
                wiring.relays(),
                topics,
                wire,
                clock,
                loop,
                config.maxPacketBytes(),
                s -> duplicates.increment(),
                sessions::device);
        Gauge.builder("aurora_mqttsn_sessions", awake, AtomicLong::get)
                .description("MQTT-SN sessions")
                .tag("state", "awake")
                .register(registry);
        Gauge.builder("aurora_mqttsn_sessions", asleep, AtomicLong::get)
                .description("MQTT-SN sessions")
                .tag("state", "asleep")
                .register(registry);
        Gauge.builder("aurora_mqttsn_queued", queued, AtomicLong::get)
                .description("messages in mqttsn.db waiting for their device (sleeping, or not yet acknowledged)")
                .register(registry);
        try {
            for (SnStore.Sleeper s : store.sleepers()) {
                SnSession session =
                        new SnSession(s.deviceId(), DetachedPeer.of(s.address()), s.address(), 0, clock.millis());
                session.state = SnSession.State.ASLEEP;
                session.sleepSeconds = s.sleepSeconds();
                sessions.put(session);
            }
            gauges();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        loop.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        log.info("mqttsn gateway ready sleeping_devices={} queued={}", asleep.get(), queued.get());
    }

    @Override
    public void onPacket(SnPeer peer, byte[] packet) {
        if (waiting.incrementAndGet() > MAX_WAITING) {
            waiting.decrementAndGet();
            overloaded.increment();
            return;
        }
        try {
            loop.execute(() -> {
                waiting.decrementAndGet();
                handle(peer, packet);
            });
        } catch (RejectedExecutionException e) {
            waiting.decrementAndGet(); // stopping
        }
    }

    @Override
    public void onClosed(SnPeer peer) {
        onLoop(() -> {
            SnSession s = sessions.at(peer.address());
            if (s != null && s.state == SnSession.State.AWAKE && s.peer.equals(peer)) {
                end(s, "transport_closed");
            }
        });
    }

    /**
     * Gateway → device: taken when {@code topic} is a gateway → device topic with a predefined id
     * and its device is an MQTT-SN client (awake: sent now; asleep: queued for its wake), or a child
     * last heard through a relay it is still bound to (sent encapsulated to the relay). Any thread.
     */
    @Override
    public boolean publish(String topic, byte[] payload) {
        Optional<String> device = PredefinedTopics.recipient(topic);
        if (device.isEmpty() || !(sessions.knows(device.get()) || routes.reaches(device.get()))) {
            return false;
        }
        String deviceId = device.get();
        OptionalInt topicId = PredefinedTopics.toDeviceId(topic, deviceId);
        byte[] copy = payload.clone();
        return onLoop(() -> {
            SnSession s = sessions.device(deviceId);
            if (s == null) {
                s = routes.route(deviceId);
            }
            if (s != null && topicId.isPresent()) {
                delivery.deliver(s, topicId.getAsInt(), copy);
            }
        });
    }

    /**
     * Whether {@code deviceId} is an MQTT-SN client (or a child its bound relay carries) a message on
     * {@code topic} reaches (now or at its wake).
     */
    public boolean reaches(String deviceId, String topic) {
        return (sessions.knows(deviceId) || routes.reaches(deviceId))
                && PredefinedTopics.toDeviceId(topic, deviceId).isPresent();
    }

    private void handle(SnPeer peer, byte[] bytes) {
        SnPacket p;
        try {
            p = SnCodec.decode(bytes, config.maxPacketBytes());
        } catch (SnMalformed e) {
            SnSession s = sessions.at(peer.address());
            wire.refuse(
                    peer,
                    s != null,
                    s == null ? "" : s.deviceId,
                    Rejection.SN_MALFORMED,
                    String.valueOf(e.getMessage()));
            return;
        }
        wire.received(p.type());
        try {
            dispatch(peer, p);
        } catch (RuntimeException e) {
            log.error("mqttsn packet failed type={} error={}", SnWire.typeName(p.type()), e.toString(), e);
        }
    }

    private void dispatch(SnPeer peer, SnPacket p) {
        if (p instanceof SnPacket.Connect c) {
            connect(peer, c);
            return;
        }
        if (p instanceof SnPacket.SearchGw) {
            wire.send(peer, new SnPacket.GwInfo(GATEWAY_ID, new byte[0]));
            return;
        }
        if (p instanceof SnPacket.PingReq ping && ping.clientId() != null) {
            wake(peer, ping.clientId());
            return;
        }
        SnSession s = sessions.at(peer.address());
        if (s != null && peer.identity().isPresent() && !peer.identity().get().equals(s.deviceId)) {
            s = null; // a new association on the address of another device's session
        }
        if (p instanceof SnPacket.Encapsulated e) {
            Optional<String> relay = peer.identity()
                    .or(() -> Optional.ofNullable(sessions.at(peer.address()))
                            .filter(r -> r.state == SnSession.State.AWAKE)
                            .map(r -> r.deviceId));
            if (relay.isEmpty()) {
                notConnected(peer, p);
            } else if (!childAcknowledged(peer, relay.get(), e)) {
                publishes.relayed(
                        peer,
                        relay.get(),
                        e,
                        routes.routeThrough(relay.get(), new String(e.nodeId(), StandardCharsets.US_ASCII)));
            }
            return;
        }
        if (s == null) {
            if (p instanceof SnPacket.Publish pub && pub.flags().qos() == -1) {
                publishes.publishWithoutSession(
                        peer, pub, peer.identity().map(revoked::test).orElse(false));
            } else {
                notConnected(peer, p);
            }
            return;
        }
        if (s.state == SnSession.State.ASLEEP) {
            asleep(s, p);
            return;
        }
        s.lastHeardMillis = clock.millis();
        if (p instanceof SnPacket.Publish pub) {
            publishes.publish(s, pub);
        } else if (p instanceof SnPacket.Puback ack) {
            delivery.acknowledged(s, ack.msgId());
        } else if (p instanceof SnPacket.Register reg) {
            register(s, reg);
        } else if (p instanceof SnPacket.Subscribe sub) {
            subscribe(s, sub);
        } else if (p instanceof SnPacket.Unsubscribe unsub) {
            wire.send(s.peer, new SnPacket.Unsuback(unsub.msgId()));
        } else if (p instanceof SnPacket.PingReq) {
            wire.send(s.peer, new SnPacket.PingResp());
        } else if (p instanceof SnPacket.Disconnect d) {
            disconnect(s, d);
        } else if (!(p instanceof SnPacket.Regack)
                && !(p instanceof SnPacket.WillTopic)
                && !(p instanceof SnPacket.WillMsg)) {
            wire.refuse(s.peer, true, s.deviceId, Rejection.SN_MALFORMED, "unexpected " + SnWire.typeName(p.type()));
        }
    }

    /**
     * A packet from a sleeping device's own peer. Its PUBACK of what its wake delivered; a PUBLISH
     * it sent (or resent) just before its DISCONNECT overtook it, or while it sleeps: taken as from
     * an awake device (never dropped unanswered, or the device's resends would all go into the void
     * and its message would be lost until it reconnects), what a commit answers later waits for the
     * wake; a DISCONNECT again (its answer was lost): answered again.
     */
    private void asleep(SnSession s, SnPacket p) {
        if (p instanceof SnPacket.Puback ack) {
            delivery.acknowledged(s, ack.msgId());
        } else if (p instanceof SnPacket.Publish pub) {
            publishes.publish(s, pub);
        } else if (p instanceof SnPacket.Disconnect d) {
            disconnect(s, d);
        } else {
            notConnected(s.peer, p);
        }
    }

    /**
     * The way back to a relayed child, before its frame goes on to intake: a bound child's PUBLISH
     * makes the relay its route (what waits for the child is sent now when the route is new), and a
     * bound child's PUBACK of a message sent through that relay completes it. Returns true when the
     * frame was such a PUBACK (nothing more to do); anything else, a relay not bound to the child
     * included, goes on to {@link SnPublishes#relayed}, which refuses or takes it.
     */
    private boolean childAcknowledged(SnPeer peer, String relayId, SnPacket.Encapsulated e) {
        String childId = new String(e.nodeId(), StandardCharsets.US_ASCII);
        if (!DeviceId.isValid(childId) || !relays.isBound(relayId, childId)) {
            return false;
        }
        SnPacket inner;
        try {
            inner = SnCodec.decode(e.inner(), config.maxPacketBytes());
        } catch (SnMalformed m) {
            return false; // refused as malformed by SnPublishes
        }
        if (inner instanceof SnPacket.Puback ack) {
            SnSession child = routes.routeThrough(relayId, childId);
            if (child != null) {
                delivery.acknowledged(child, ack.msgId());
            }
            return true;
        }
        if (inner instanceof SnPacket.Publish) {
            SnSession fresh =
                    routes.heard(childId, new RelayedPeer(peer, relayId, e.ctrl(), e.nodeId()), clock.millis());
            if (fresh != null) {
                SnSession direct = sessions.device(childId);
                if (direct != null) {
                    end(direct, "now_relayed"); // last heard through the relay: its messages go there
                }
                log.info("mqttsn relayed child route client_id={} relay_id={}", childId, relayId);
                delivery.flush(fresh);
                listening.accept(childId);
            }
        }
        return false;
    }

    private void connect(SnPeer peer, SnPacket.Connect c) {
        String id = c.clientId();
        Optional<String> identity = peer.identity();
        boolean proven = identity.isPresent();
        if (!DeviceId.isValid(id)) {
            refuseConnect(peer, false, id, Rejection.CLIENT_ID_INVALID, "", SnPacket.REJECTED_NOT_SUPPORTED);
            return;
        }
        if (proven && !identity.get().equals(id)) {
            refuseConnect(
                    peer,
                    false,
                    id,
                    Rejection.IDENTITY_MISMATCH,
                    "dtls_identity=" + identity.get(),
                    SnPacket.REJECTED_NOT_SUPPORTED);
            return;
        }
        if (revoked.test(id)) {
            refuseConnect(peer, proven, id, Rejection.CERT_REVOKED, "mqttsn", SnPacket.REJECTED_NOT_SUPPORTED);
            return;
        }
        if (c.flags().will()) {
            refuseConnect(peer, proven, id, Rejection.SN_WILL_UNSUPPORTED, "", SnPacket.REJECTED_NOT_SUPPORTED);
            return;
        }
        SnSession old = sessions.device(id);
        if (old == null && sessions.size() >= config.maxSessions()) {
            refuseConnect(
                    peer, proven, id, Rejection.SN_SESSION_LIMIT, "mqttsn.max_sessions", SnPacket.REJECTED_CONGESTION);
            return;
        }
        SnSession here = sessions.at(peer.address());
        boolean sameAddress = old != null && old.peer.address().equals(peer.address());
        if (!sameAddress
                && here == null
                && sessions.boundTo(peer.address().getAddress()) >= config.maxSessionsPerAddress()) {
            refuseConnect(
                    peer,
                    proven,
                    id,
                    Rejection.SN_SESSION_LIMIT,
                    "mqttsn.max_sessions_per_address",
                    SnPacket.REJECTED_CONGESTION);
            return;
        }
        if (old != null && old.peer.equals(peer) && !c.flags().cleanSession()) {
            // Not counted against mqtt.max_connects_per_minute: a sleeping client CONNECTs to become active before
            // every burst it publishes (several a minute), and resuming costs neither a handshake nor a session.
            resume(old, c);
            return;
        }
        if (!connects.tryAcquire(id)) {
            refuseConnect(peer, proven, id, Rejection.CONNECT_RATE_LIMITED, "mqttsn", SnPacket.REJECTED_CONGESTION);
            return;
        }
        SnSession s = new SnSession(
                id, peer, SnSession.addressText(peer.address()), keepAliveMillis(c.duration()), clock.millis());
        routes.forget(id); // it speaks for itself now, not through a relay
        SnSession replaced = sessions.put(s);
        if (replaced != null && !replaced.peer.address().equals(peer.address())) {
            replaced.peer.close();
        }
        sessions.bind(s, peer);
        store.awake(id);
        wire.send(peer, new SnPacket.Connack(SnPacket.ACCEPTED));
        log.info("mqttsn device connected client_id={} dtls={} keep_alive_s={}", id, proven, s.keepAliveMillis / 1000);
        delivery.flush(s);
        listening.accept(id);
    }

    /**
     * A CONNECT (not clean) over the peer the device's session already has: a sleeping client becoming
     * active (MQTT-SN §6.14), or a CONNECT resent because its CONNACK was lost. The same client on the
     * same association (or address) goes on with the same message ids, so the session goes on: its
     * duplicate window (a resend of a message taken before the sleep is not taken twice) and the
     * PUBACKs that waited for the wake. A new association or a clean session starts a fresh one.
     */
    private void resume(SnSession s, SnPacket.Connect c) {
        s.state = SnSession.State.AWAKE;
        s.keepAliveMillis = keepAliveMillis(c.duration());
        s.lastHeardMillis = clock.millis();
        s.sleptFrom = SnSession.addressText(s.peer.address());
        store.awake(s.deviceId);
        wire.send(s.peer, new SnPacket.Connack(SnPacket.ACCEPTED));
        log.debug("mqttsn device active again client_id={} keep_alive_s={}", s.deviceId, s.keepAliveMillis / 1000);
        sendPubacksKeptForWake(s);
        delivery.flush(s);
        listening.accept(s.deviceId);
    }

    private void sendPubacksKeptForWake(SnSession s) {
        for (SnPacket.Puback puback : s.takePubacksForWake()) {
            wire.send(s.peer, puback);
        }
    }

    private void refuseConnect(SnPeer peer, boolean proven, String id, Rejection rejection, String detail, int rc) {
        wire.refuse(peer, proven, id, rejection, detail);
        wire.send(peer, new SnPacket.Connack(rc));
    }

    /** A sleeping device's PINGREQ with its client id: its queue, then PINGRESP; only from where it slept (or its DTLS id). */
    private void wake(SnPeer peer, String clientId) {
        SnSession s = sessions.device(clientId);
        if (s == null) {
            notConnected(peer, new SnPacket.PingReq(clientId));
            return;
        }
        Optional<String> identity = peer.identity();
        boolean same = identity.isPresent()
                ? identity.get().equals(clientId)
                : SnSession.addressText(peer.address()).equals(s.sleptFrom);
        if (!same) {
            notConnected(peer, new SnPacket.PingReq(clientId));
            return;
        }
        if (s.state == SnSession.State.AWAKE) {
            s.lastHeardMillis = clock.millis();
            wire.send(s.peer, new SnPacket.PingResp());
            return;
        }
        sessions.bind(s, peer);
        sendPubacksKeptForWake(s);
        delivery.flush(s);
        wire.send(peer, new SnPacket.PingResp());
    }

    private void register(SnSession s, SnPacket.Register reg) {
        Optional<Integer> id = topics.register(s.deviceId, reg.topicName());
        if (id.isPresent()) {
            wire.send(s.peer, new SnPacket.Regack(id.get(), reg.msgId(), SnPacket.ACCEPTED));
        } else if (TopicRegistry.owns(s.deviceId, reg.topicName())) {
            wire.send(s.peer, new SnPacket.Regack(0, reg.msgId(), SnPacket.REJECTED_CONGESTION));
        } else {
            wire.refuse(s.peer, true, s.deviceId, Rejection.SN_TOPIC_ID_INVALID, "register topic=" + reg.topicName());
            wire.send(s.peer, new SnPacket.Regack(0, reg.msgId(), SnPacket.REJECTED_INVALID_TOPIC_ID));
        }
    }

    /** Only the device's own gateway → device topics, by name (its command filters) or by predefined id. */
    private void subscribe(SnSession s, SnPacket.Subscribe sub) {
        String name = sub.topicName();
        boolean own;
        int topicId;
        if (name != null) {
            own = DeviceTopic.isOwnCommandFilter(name, s.deviceId);
            topicId = PredefinedTopics.toDeviceId(name, s.deviceId).orElse(0);
        } else {
            own = sub.flags().topicIdType() == SnFlags.PREDEFINED && PredefinedTopics.isToDevice(sub.topicId());
            topicId = sub.topicId();
        }
        // The granted QoS is what this topic is delivered at, never above the QoS asked for (-1 or 0 -> 0, 2 -> 1).
        int grantedQos = Math.min(Math.max(sub.flags().qos(), 0), own ? PredefinedTopics.deliveryQos(topicId) : 1);
        SnFlags granted = SnFlags.publish(grantedQos, SnFlags.NORMAL, false);
        if (!own) {
            wire.refuse(
                    s.peer,
                    true,
                    s.deviceId,
                    Rejection.SUBSCRIPTION_NOT_OWNED,
                    "mqttsn filter=" + (name == null ? "id " + sub.topicId() : name));
            wire.send(s.peer, new SnPacket.Suback(granted, 0, sub.msgId(), SnPacket.REJECTED_INVALID_TOPIC_ID));
            return;
        }
        s.grantedQos.put(topicId, grantedQos);
        wire.send(s.peer, new SnPacket.Suback(granted, topicId, sub.msgId(), SnPacket.ACCEPTED));
        listening.accept(s.deviceId);
    }

    private void disconnect(SnSession s, SnPacket.Disconnect d) {
        wire.send(s.peer, new SnPacket.Disconnect(-1));
        if (d.duration() < 0) {
            end(s, "disconnect");
            return;
        }
        s.state = SnSession.State.ASLEEP;
        s.sleepSeconds = d.duration();
        s.sleptFrom = SnSession.addressText(s.peer.address());
        store.asleep(s.deviceId, s.sleptFrom, s.sleepSeconds, clock.instant());
        log.debug("mqttsn device asleep client_id={} duration_s={}", s.deviceId, s.sleepSeconds);
    }

    /**
     * {@code deviceId} is newly on the revoked-device list: its session (awake or asleep, plaintext or DTLS)
     * ends now; its next CONNECT is refused {@code CERT_REVOKED}. Any thread.
     */
    public void revoked(String deviceId) {
        onLoop(() -> {
            SnSession s = sessions.device(deviceId);
            if (s != null) {
                end(s, "revoked");
            }
        });
    }

    /** A session ends: what was queued for it stays in mqttsn.db for its next CONNECT. */
    private void end(SnSession s, String why) {
        sessions.remove(s.deviceId);
        topics.unload(s.deviceId);
        store.awake(s.deviceId);
        s.peer.close();
        log.info("mqttsn session ended client_id={} reason={}", s.deviceId, why);
    }

    /** A packet that needs a session, from a peer without one: counted, never answered. */
    private void notConnected(SnPeer peer, SnPacket p) {
        wire.refuse(
                peer,
                false,
                peer.identity().orElse(""),
                Rejection.SN_NOT_CONNECTED,
                "type=" + SnWire.typeName(p.type()));
    }

    private long keepAliveMillis(int seconds) {
        long requested = seconds == 0 ? Long.MAX_VALUE : seconds * 1000L;
        return Math.max(
                config.minKeepAlive().toMillis(), Math.min(config.maxKeepAlive().toMillis(), requested));
    }

    private void tick() {
        try {
            long now = clock.millis();
            for (SnSession s : sessions.all()) {
                if (s.expired(now)) {
                    end(s, "keep_alive");
                } else {
                    delivery.retry(s, now);
                }
            }
            for (SnSession child : routes.all()) {
                delivery.retry(child, now);
            }
            gauges();
        } catch (RuntimeException e) {
            log.warn("mqttsn tick failed error={}", e.toString());
        }
    }

    private void gauges() {
        awake.set(sessions.count(SnSession.State.AWAKE));
        asleep.set(sessions.count(SnSession.State.ASLEEP));
        queued.set(store.queuedTotal());
    }

    private boolean onLoop(Runnable task) {
        try {
            loop.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("mqttsn task failed error={}", e.toString(), e);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Stops the gateway's thread (a transport is closed before) and closes mqttsn.db. */
    @Override
    public void close() {
        loop.shutdown();
        try {
            if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
                loop.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loop.shutdownNow();
        }
        store.close();
    }
}
