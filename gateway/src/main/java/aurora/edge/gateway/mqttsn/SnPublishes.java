package aurora.edge.gateway.mqttsn;

import aurora.edge.attestation.DeviceId;
import aurora.edge.gateway.device.Printable;
import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.intake.IntakeResult;
import aurora.edge.gateway.outbox.StoreReceipt;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's PUBLISH into the same intake as MQTT. QoS 1 is PUBACKed {@code accepted} only once
 * the outbox commit stored it (as {@code mqtt.puback_after_commit} does for MQTT), {@code rejected:
 * congestion} when the device keeps it for a resend (outbox full, over quota, not stored), {@code
 * rejected: invalid topic ID} for a topic that is not the device's, and {@code not supported} for
 * every other refusal (a resend would be refused again). A resent message id (DUP) is never taken
 * twice and never left without an answer: a resend of a stored message is PUBACKed again at once,
 * a resend of one still waiting for its commit gets the PUBACK that commit sends. A PUBACK that a
 * commit sends goes to the device's session as it is then, not as it was at the PUBLISH: to its
 * current peer while it is awake, kept for its wake while it sleeps (its radio is off), and to
 * nobody once the session was replaced by another association (the device resends there, and that
 * resend is answered). QoS -1 is taken only from a DTLS-proven peer.
 */
final class SnPublishes {
    private static final Logger log = LoggerFactory.getLogger(SnPublishes.class);
    private final DeviceIntake intake;
    private final RelayedIntake relays;
    private final TopicRegistry topics;
    private final SnWire wire;
    private final Clock clock;
    private final Executor loop;
    private final int maxPacketBytes;
    private final Consumer<SnSession> duplicate;
    private final Function<String, @Nullable SnSession> sessionOf;

    SnPublishes(
            DeviceIntake intake,
            RelayedIntake relays,
            TopicRegistry topics,
            SnWire wire,
            Clock clock,
            Executor loop,
            int maxPacketBytes,
            Consumer<SnSession> duplicate,
            Function<String, @Nullable SnSession> sessionOf) {
        this.intake = intake;
        this.relays = relays;
        this.topics = topics;
        this.wire = wire;
        this.clock = clock;
        this.loop = loop;
        this.maxPacketBytes = maxPacketBytes;
        this.duplicate = duplicate;
        this.sessionOf = sessionOf;
    }

    /** A PUBLISH inside device session {@code s}. */
    void publish(SnSession s, SnPacket.Publish pub) {
        int qos = Math.max(0, pub.flags().qos());
        if (qos == 2) {
            wire.refuse(s.peer, true, s.deviceId, Rejection.QOS2_REFUSED, "mqttsn");
            wire.send(s.peer, new SnPacket.Puback(pub.topicId(), pub.msgId(), SnPacket.REJECTED_NOT_SUPPORTED));
            return;
        }
        Optional<String> topic = topics.publishTopic(s.deviceId, pub.flags().topicIdType(), pub.topicId());
        if (topic.isEmpty()) {
            wire.refuse(s.peer, true, s.deviceId, Rejection.SN_TOPIC_ID_INVALID, topicDetail(pub));
            wire.send(s.peer, new SnPacket.Puback(pub.topicId(), pub.msgId(), SnPacket.REJECTED_INVALID_TOPIC_ID));
            return;
        }
        if (qos == 1) {
            Boolean seen = s.seen(pub.msgId());
            if (seen != null) {
                duplicate.accept(s);
                if (seen) {
                    wire.send(s.peer, new SnPacket.Puback(pub.topicId(), pub.msgId(), SnPacket.ACCEPTED));
                }
                return; // still waiting for its commit: that PUBACK answers the resend too
            }
            s.pending(pub.msgId());
        }
        SnPeer peer = s.peer;
        StoreReceipt receipt =
                qos == 1 ? new PubackWhenStored(s, peer, pub.topicId(), pub.msgId(), null) : StoreReceipt.NONE;
        IntakeResult result = intake.accept(s.deviceId, topic.get(), pub.data(), clock.instant(), receipt);
        if (qos == 1 && result instanceof IntakeResult.Rejected rejected) {
            s.forgetMsgId(pub.msgId());
            wire.send(peer, new SnPacket.Puback(pub.topicId(), pub.msgId(), returnCode(rejected.rejection())));
        }
    }

    /** A QoS -1 PUBLISH from a peer without a session: only inside a DTLS association, only on a predefined id. */
    void publishWithoutSession(SnPeer peer, SnPacket.Publish pub, boolean revoked) {
        Optional<String> identity = peer.identity();
        if (identity.isEmpty()) {
            wire.refuse(peer, false, "", Rejection.SN_NOT_CONNECTED, "qos=-1 publish on the plaintext listener");
            return;
        }
        String deviceId = identity.get();
        if (revoked) {
            wire.refuse(peer, true, deviceId, Rejection.CERT_REVOKED, "mqttsn qos=-1 publish");
            return;
        }
        if (pub.flags().topicIdType() != SnFlags.PREDEFINED) {
            wire.refuse(peer, true, deviceId, Rejection.SN_TOPIC_ID_INVALID, "qos=-1 needs a predefined topic id");
            return;
        }
        Optional<String> topic = PredefinedTopics.publishTopic(pub.topicId(), deviceId);
        if (topic.isEmpty()) {
            wire.refuse(peer, true, deviceId, Rejection.SN_TOPIC_ID_INVALID, topicDetail(pub));
            return;
        }
        intake.accept(deviceId, topic.get(), pub.data(), clock.instant(), StoreReceipt.NONE);
    }

    /**
     * A forwarder-encapsulated message of relay {@code relayId}: the wireless node id names the child,
     * which must be bound to the relay; only PUBLISH on a predefined id is carried (QoS 0 or 1), and
     * its PUBACK goes back encapsulated for the same node, refusals included (a relay that gets no
     * answer resends for ever). {@code route} is the child's route session ({@link RelayRoutes}): its
     * duplicate window recognises the relay's resend of a QoS 1 PUBLISH, as a device's own session does.
     */
    void relayed(SnPeer peer, String relayId, SnPacket.Encapsulated e, @Nullable SnSession route) {
        String childId = new String(e.nodeId(), StandardCharsets.US_ASCII);
        if (!DeviceId.isValid(childId)) {
            wire.refuse(peer, true, relayId, Rejection.SN_MALFORMED, "wireless node id is not a device id");
            return;
        }
        SnPacket inner;
        try {
            inner = SnCodec.decode(e.inner(), maxPacketBytes);
        } catch (SnMalformed m) {
            wire.refuse(peer, true, relayId, Rejection.SN_MALFORMED, "encapsulated: " + String.valueOf(m.getMessage()));
            return;
        }
        if (!(inner instanceof SnPacket.Publish pub)
                || pub.flags().qos() < 0
                || pub.flags().qos() > 1) {
            wire.refuse(
                    peer,
                    true,
                    relayId,
                    Rejection.SN_MALFORMED,
                    "only PUBLISH at QoS 0 or 1 is relayed, found " + SnWire.typeName(inner.type()));
            return;
        }
        boolean qos1 = pub.flags().qos() == 1;
        if (!relays.isBound(relayId, childId)) {
            wire.refuse(peer, true, relayId, Rejection.RELAY_NOT_BOUND, "child=" + Printable.of(childId));
            if (qos1) {
                sendPuback(peer, pub.topicId(), pub.msgId(), SnPacket.REJECTED_NOT_SUPPORTED, e);
            }
            return;
        }
        Optional<String> topic = pub.flags().topicIdType() == SnFlags.PREDEFINED
                ? PredefinedTopics.publishTopic(pub.topicId(), childId)
                : Optional.empty(); // a relay's children have no REGISTERed ids
        if (topic.isEmpty()) {
            wire.refuse(peer, true, relayId, Rejection.SN_TOPIC_ID_INVALID, topicDetail(pub));
            if (qos1) {
                sendPuback(peer, pub.topicId(), pub.msgId(), SnPacket.REJECTED_INVALID_TOPIC_ID, e);
            }
            return;
        }
        if (qos1 && route != null) {
            Boolean seen = route.seen(pub.msgId());
            if (seen != null) {
                duplicate.accept(route);
                if (seen) {
                    sendPuback(peer, pub.topicId(), pub.msgId(), SnPacket.ACCEPTED, e);
                }
                return; // still waiting for its commit: that PUBACK answers the resend too
            }
            route.pending(pub.msgId());
        }
        StoreReceipt receipt =
                qos1 ? new PubackWhenStored(route, peer, pub.topicId(), pub.msgId(), e) : StoreReceipt.NONE;
        IntakeResult result = relays.accept(relayId, childId, topic.get(), pub.data(), clock.instant(), receipt);
        if (qos1 && result instanceof IntakeResult.Rejected rejected) {
            if (route != null) {
                route.forgetMsgId(pub.msgId());
            }
            sendPuback(peer, pub.topicId(), pub.msgId(), returnCode(rejected.rejection()), e);
        }
    }

    static int returnCode(Rejection rejection) {
        if (rejection.deviceKeepsMessage()) {
            return SnPacket.REJECTED_CONGESTION;
        }
        return rejection == Rejection.TOPIC_NOT_OWNED || rejection == Rejection.TOPIC_UNKNOWN
                ? SnPacket.REJECTED_INVALID_TOPIC_ID
                : SnPacket.REJECTED_NOT_SUPPORTED;
    }

    private static String topicDetail(SnPacket.Publish pub) {
        return "topic_id=" + pub.topicId() + " topic_id_type=" + pub.flags().topicIdType();
    }

    private void sendPuback(SnPeer peer, int topicId, int msgId, int rc, SnPacket.@Nullable Encapsulated via) {
        SnPacket puback = new SnPacket.Puback(topicId, msgId, rc);
        if (via == null) {
            wire.send(peer, puback);
        } else {
            wire.send(
                    peer,
                    SnPacket.ENCAPSULATED,
                    SnCodec.encode(new SnPacket.Encapsulated(via.ctrl(), via.nodeId(), SnCodec.encode(puback))));
        }
    }

    /**
     * A PUBACK a commit produced for device session {@code s}: sent while {@code s} is the device's
     * session and awake, kept for the wake while it sleeps, dropped once another session replaced it.
     */
    private void answerLater(SnSession s, SnPacket.Puback puback) {
        if (sessionOf.apply(s.deviceId) != s) {
            log.debug(
                    "mqttsn puback for a replaced session dropped client_id={} msg_id={}", s.deviceId, puback.msgId());
            return;
        }
        if (s.state == SnSession.State.AWAKE) {
            wire.send(s.peer, puback);
        } else {
            s.pubackAtWake(puback);
        }
    }

    /** Told on the outbox writer thread; the PUBACK is written on the gateway's thread. */
    private final class PubackWhenStored implements StoreReceipt {
        private final @Nullable SnSession session;
        private final SnPeer peer;
        private final int topicId;
        private final int msgId;
        private final SnPacket.@Nullable Encapsulated via;

        PubackWhenStored(
                @Nullable SnSession session, SnPeer peer, int topicId, int msgId, SnPacket.@Nullable Encapsulated via) {
            this.session = session;
            this.peer = peer;
            this.topicId = topicId;
            this.msgId = msgId;
            this.via = via;
        }

        @Override
        public void stored() {
            onLoop(() -> answer(SnPacket.ACCEPTED));
        }

        @Override
        public void notStored() {
            onLoop(() -> answer(SnPacket.REJECTED_CONGESTION));
        }

        private void answer(int returnCode) {
            if (session != null) {
                if (returnCode == SnPacket.ACCEPTED) {
                    session.stored(msgId);
                } else {
                    session.forgetMsgId(msgId);
                }
            }
            if (via != null) {
                sendPuback(peer, topicId, msgId, returnCode, via); // a relay's child: back through the relay
            } else if (session != null) {
                answerLater(session, new SnPacket.Puback(topicId, msgId, returnCode));
            }
        }

        private void onLoop(Runnable task) {
            try {
                loop.execute(task);
            } catch (RejectedExecutionException e) {
                // the gateway is stopping: the device resends what it got no PUBACK for
            }
        }
    }
}
