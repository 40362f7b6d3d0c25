package aurora.edge.gateway.attest;

import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.audit.AuditLog;
import aurora.edge.gateway.registry.DeviceRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code devices bind CHILD --relay RELAY} and {@code devices unbind CHILD}, on the attestation
 * thread (the registry's writer): stored, audited with the operator's name, and followed by a
 * decision about the child's held data under its new relay (a child moved away from a quarantined
 * relay is judged by its own trust again). Neither device needs to be registered: a BLE sensor is
 * usually bound before it is first heard of.
 */
final class RelayCommands {
    private static final Logger log = LoggerFactory.getLogger(RelayCommands.class);

    private final DeviceRegistry registry;
    private final Relays relays;
    private final AuditLog audit;
    private final HeldData held;
    private final TrustFence fence;
    private final Clock clock;

    RelayCommands(
            DeviceRegistry registry, Relays relays, AuditLog audit, HeldData held, TrustFence fence, Clock clock) {
        this.registry = registry;
        this.relays = relays;
        this.audit = audit;
        this.held = held;
        this.fence = fence;
        this.clock = clock;
    }

    BindingOutcome bind(String childId, String relayId, String operator) {
        if (childId.equals(relayId)) {
            return refused("a device cannot be its own relay");
        }
        if (relays.isRelay(childId)) {
            return refused(childId + " is a relay; relays do not chain");
        }
        Optional<String> relayOfRelay = relays.relayOf(relayId);
        if (relayOfRelay.isPresent()) {
            return refused(relayId + " is bound to relay " + relayOfRelay.get() + "; relays do not chain");
        }
        Optional<String> before = relays.relayOf(childId);
        if (registry.operatorRelayOf(childId).map(relayId::equals).orElse(false)) {
            return new BindingOutcome(BindingOutcome.Kind.NO_CHANGE, childId + " is already bound to relay " + relayId);
        }
        fence.locked(childId, () -> {
            registry.bindToRelay(childId, relayId, operator, clock.instant());
            registry.find(childId).ifPresent(held::decided);
        });
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("operator", operator);
        details.put("relay_id", relayId);
        details.put("previous_relay_id", before.orElse(""));
        audit.record(AuditCode.RELAY_BOUND, childId, "operator bound the device to relay " + relayId, details);
        log.info("relay binding device_id={} relay_id={} operator={}", childId, relayId, operator);
        return new BindingOutcome(BindingOutcome.Kind.DONE, "bound to relay " + relayId);
    }

    BindingOutcome unbind(String childId, String operator) {
        Optional<String> before = registry.operatorRelayOf(childId);
        if (before.isEmpty()) {
            return new BindingOutcome(
                    BindingOutcome.Kind.NO_CHANGE,
                    childId + " has no operator binding"
                            + relays.relayOf(childId)
                                    .map(r -> " (the endorsement list binds it to relay " + r + ")")
                                    .orElse(""));
        }
        fence.locked(childId, () -> {
            registry.unbindFromRelay(childId);
            registry.find(childId).ifPresent(held::decided);
        });
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("operator", operator);
        details.put("relay_id", before.get());
        details.put("endorsed_relay_id", relays.relayOf(childId).orElse(""));
        audit.record(AuditCode.RELAY_UNBOUND, childId, "operator removed the device's relay binding", details);
        log.info("relay binding removed device_id={} relay_id={} operator={}", childId, before.get(), operator);
        return new BindingOutcome(BindingOutcome.Kind.DONE, "unbound from relay " + before.get());
    }

    private static BindingOutcome refused(String why) {
        return new BindingOutcome(BindingOutcome.Kind.REFUSED, why);
    }
}
