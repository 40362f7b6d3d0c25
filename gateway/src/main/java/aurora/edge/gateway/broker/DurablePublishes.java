package aurora.edge.gateway.broker;

import aurora.edge.gateway.broker.ConnectionLimits.Refusal;
import aurora.edge.gateway.device.DeviceTopic;
import aurora.edge.gateway.intake.Intake;
import aurora.edge.gateway.intake.IntakeResult;
import aurora.edge.gateway.outbox.StoreReceipt;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code mqtt.puback_after_commit}, a device's PUBLISH on its own topics is taken here instead
 * of by Moquette, so that its PUBACK means "on disk": Moquette 0.17 PUBACKs a QoS 1 PUBLISH as soon
 * as it is routed, before any interceptor runs, and stock firmware reads no other acknowledgement.
 * The payload goes to {@link Intake} on Moquette's interceptor thread (where {@link PublishListener}
 * runs it otherwise: same single thread, same order, same backlog bound), and the PUBACK is written
 * after the outbox commit that stored it ({@link PubackLedger} keeps PUBLISH order).
 *
 * <p>What Moquette would have done and no longer does for these packets: the write authorisation
 * ({@link TopicPolicy#canWrite}; the same rule is applied here, and a PUBLISH that fails it still
 * goes to Moquette, which refuses and reports it as before), routing to subscribers (no client may
 * subscribe to a device's publish topics), keeping a retained copy (nobody could read it), and its
 * failed-routing cache for DUP resends (only subscribers have routes). Moquette keeps no session
 * state for an inbound QoS 1 PUBLISH, and its idle timer counts bytes in front of every handler.
 *
 * <p>Outcomes: stored, a duplicate of a stored seq, or refused for good (malformed, not endorsed,
 * rate-limited, ...) → PUBACK, as Moquette did; refused for want of room
 * ({@link aurora.edge.gateway.device.Rejection#deviceKeepsMessage()}), not taken by a commit, or
 * intake failing → no PUBACK and the connection is closed, so the device resends after reconnecting.
 */
final class DurablePublishes {
    private static final Logger log = LoggerFactory.getLogger(DurablePublishes.class);

    private final Intake intake;
    private final Clock clock;
    private final Executor intakeThread;
    private final ConnectionLimits limits;
    /** PUBACKs settled by one commit reach each event loop in one hand-over. */
    private final LoopHandOff toLoops = new LoopHandOff();

    DurablePublishes(Intake intake, Clock clock, Executor intakeThread, ConnectionLimits limits) {
        this.intake = intake;
        this.clock = clock;
        this.intakeThread = intakeThread;
        this.limits = limits;
    }

    /**
     * Takes {@code publish} (QoS 0 or 1) of authenticated device {@code deviceId} if it is on one of
     * the device's own topics, or, for a relay, on a topic of a device bound to it, and releases it;
     * returns false, untouched, when it is for Moquette (which refuses a relay's PUBLISH for an
     * unbound device in {@link TopicPolicy}). Runs on the connection's Netty thread.
     */
    boolean take(ChannelHandlerContext ctx, String deviceId, MqttPublishMessage publish, PubackLedger ledger) {
        String topic = publish.variableHeader().topicName();
        String owner = DeviceTopic.parse(topic).map(DeviceTopic::deviceId).orElse(null);
        if (owner == null || !(owner.equals(deviceId) || intake.relays().isBound(deviceId, owner))) {
            return false;
        }
        String relayId = owner.equals(deviceId) ? null : deviceId;
        PubackLedger.Owed owed = null;
        if (publish.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            owed = ledger.open(publish.variableHeader().packetId());
            if (owed == null) {
                limits.count(Refusal.PUBACKS_OWED);
                publish.release();
                ctx.close();
                return true;
            }
        }
        byte[] payload = ByteBufUtil.getBytes(publish.payload());
        publish.release();
        Instant receivedAt = clock.instant();
        PubackLedger.Owed puback = owed;
        try {
            intakeThread.execute(() -> handOver(ctx, relayId, owner, topic, payload, receivedAt, ledger, puback));
        } catch (RejectedExecutionException e) {
            notStored(ctx); // the broker is stopping
        }
        return true;
    }

    /** On the interceptor thread: intake, then the PUBACK now (refused for good), after the commit, or never. */
    private void handOver(
            ChannelHandlerContext ctx,
            @Nullable String relayId,
            String deviceId,
            String topic,
            byte[] payload,
            Instant receivedAt,
            PubackLedger ledger,
            PubackLedger.@Nullable Owed owed) {
        StoreReceipt receipt = owed == null ? StoreReceipt.NONE : new AckWhenStored(ctx, ledger, owed);
        IntakeResult result;
        try {
            // The binding is asked again in intake: it may have been removed since the PUBLISH arrived.
            result = relayId == null
                    ? intake.accept(deviceId, topic, payload, receivedAt, receipt)
                    : intake.acceptRelayed(relayId, deviceId, topic, payload, receivedAt, receipt);
        } catch (RuntimeException e) {
            log.error("intake failed client_id={} error={}", relayId == null ? deviceId : relayId, e.toString(), e);
            if (owed != null) {
                receipt.notStored();
            }
            return;
        }
        if (owed != null && result instanceof IntakeResult.Rejected rejected) {
            if (rejected.rejection().deviceKeepsMessage()) {
                receipt.notStored();
            } else {
                receipt.stored(); // a resend would be refused again: acknowledge and drop, as Moquette did
            }
        }
    }

    private void notStored(ChannelHandlerContext ctx) {
        limits.count(Refusal.NOT_STORED);
        ctx.close();
    }

    /** Hands the outcome to the connection's Netty thread; runs on the interceptor or the outbox writer thread. */
    private final class AckWhenStored implements StoreReceipt {
        private final ChannelHandlerContext ctx;
        private final PubackLedger ledger;
        private final PubackLedger.Owed owed;

        AckWhenStored(ChannelHandlerContext ctx, PubackLedger ledger, PubackLedger.Owed owed) {
            this.ctx = ctx;
            this.ledger = ledger;
            this.owed = owed;
        }

        @Override
        public void stored() {
            onNettyThread(() -> ledger.settle(ctx, owed));
        }

        @Override
        public void notStored() {
            onNettyThread(() -> DurablePublishes.this.notStored(ctx));
        }

        private void onNettyThread(Runnable task) {
            try {
                toLoops.execute(ctx.executor(), task);
            } catch (RejectedExecutionException e) {
                // the broker stopped and its connections are gone: nobody is left to acknowledge
            }
        }
    }
}
