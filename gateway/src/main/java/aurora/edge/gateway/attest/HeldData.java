package aurora.edge.gateway.attest;

import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.device.Trust;
import aurora.edge.gateway.outbox.HoldDecision;
import aurora.edge.gateway.outbox.Outbox;
import aurora.edge.gateway.registry.Device;
import aurora.edge.gateway.registry.DeviceRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a device's trust into a decision about the data the outbox holds for it (issue 11:
 * attestation is the trust boundary): TRUSTED releases it, in order, stamped {@code trusted};
 * quarantined or unapproved turns it into UNTRUSTED_DATA audit; PENDING keeps it held (or, with
 * holding switched off, releases it as {@code pending}). Called inside the {@link TrustFence},
 * right after the registry change, so the decision is queued behind exactly the data it covers.
 *
 * <p>A device bound to a relay is judged by the lesser of its own trust and its relay's
 * ({@link Relays#bounded}), and a decision about a relay is followed by one about each of its
 * children's held data (each inside the child's fence: only this, the attestation thread, ever
 * holds a relay's fence and then a child's, and intake takes only the child's for a relayed message,
 * so the two cannot wait for each other).
 */
final class HeldData {
    private static final Logger log = LoggerFactory.getLogger(HeldData.class);
    /** How long a decision may wait for room in the outbox queue before it is given up (and repaired at the next start). */
    private static final Duration QUEUE_WAIT = Duration.ofSeconds(5);

    private final Outbox outbox;
    private final boolean holds;
    private final Counter lost;
    private final Relays relays;
    private final DeviceRegistry registry;
    private final TrustFence fence;

    HeldData(
            Outbox outbox,
            boolean holds,
            MeterRegistry meters,
            Relays relays,
            DeviceRegistry registry,
            TrustFence fence) {
        this.outbox = outbox;
        this.holds = holds;
        this.relays = relays;
        this.registry = registry;
        this.fence = fence;
        this.lost = Counter.builder("aurora_attest_hold_decisions_lost")
                .description("decisions about held data that found the outbox queue full; applied at the next start")
                .register(meters);
    }

    /** The device's trust changed (or was confirmed) to {@code device.trust()}: decide about what it has held. */
    void decided(Device device) {
        decision(device.deviceId(), Optional.of(device)).ifPresent(this::queue);
        if (relays.isRelay(device.deviceId())) {
            for (String child : relays.childrenOf(device.deviceId())) {
                // Asked inside the child's fence: intake may have read the relay's old trust and be about to hold a
                // message (its claim is made under the same fence); asked before, that message would stay held.
                fence.locked(
                        child,
                        () -> registry.find(child)
                                .flatMap(c -> decision(child, Optional.of(c)))
                                .ifPresent(this::queue));
            }
        }
    }

    /** Held data of a device the registry does not know (any more) is refused. */
    void unknown(String deviceId) {
        decision(deviceId, Optional.empty()).ifPresent(this::queue);
    }

    private Optional<HoldDecision> decision(String deviceId, Optional<Device> device) {
        if (outbox.heldBy(deviceId) == 0) {
            return Optional.empty();
        }
        Trust trust =
                Relays.bounded(device.map(Device::trust).orElse(Trust.QUARANTINED), relays.relayTrustOf(deviceId));
        return switch (trust) {
            case TRUSTED -> Optional.of(HoldDecision.release(deviceId, Trust.TRUSTED.wireName()));
            case PENDING ->
                holds ? Optional.empty() : Optional.of(HoldDecision.release(deviceId, Trust.PENDING.wireName()));
            case QUARANTINED, UNAPPROVED -> Optional.of(HoldDecision.refuse(deviceId, AuditCode.UNTRUSTED_DATA.code()));
        };
    }

    private void queue(HoldDecision decision) {
        try {
            if (outbox.decide(decision, QUEUE_WAIT)) {
                log.info(
                        "held data decided device_id={} released={} events={}",
                        decision.deviceId(),
                        decision.released(),
                        outbox.heldBy(decision.deviceId()));
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lost.increment();
        log.error(
                "decision about held data not queued, applied at the next start device_id={} released={}",
                decision.deviceId(),
                decision.released());
    }
}
