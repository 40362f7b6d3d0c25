package aurora.edge.gateway.attest;

import aurora.edge.attestation.endorsement.DeviceRole;
import aurora.edge.attestation.endorsement.EndorsedDevice;
import aurora.edge.gateway.device.RelayBindings;
import aurora.edge.gateway.device.Trust;
import aurora.edge.gateway.registry.Device;
import aurora.edge.gateway.registry.DeviceRegistry;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The relay bindings in force: an operator binding of a child (registry, {@code devices bind})
 * wins over its endorsement binding ({@code "relay"} on the child's entry in the signed list). A
 * device has the role relay when it is endorsed with {@code "role": "relay"} or an operator bound a
 * child to it. Answers from memory (the registry's map, the endorsement list in force).
 *
 * <p>Also the one rule for how a relay's trust bounds its children's data: a child's data is at
 * most as trusted as the relay that carried it, so a quarantined relay holds its children's data
 * and a relay waiting for its verdict keeps theirs held.
 */
final class Relays implements RelayBindings {
    private final TrustAnchors anchors;
    private final DeviceRegistry registry;

    Relays(TrustAnchors anchors, DeviceRegistry registry) {
        this.anchors = anchors;
        this.registry = registry;
    }

    @Override
    public boolean isBound(String relayId, String childId) {
        return !relayId.equals(childId) && relayOf(childId).map(relayId::equals).orElse(false);
    }

    @Override
    public Optional<String> relayOf(String childId) {
        Optional<String> operator = registry.operatorRelayOf(childId);
        return operator.isPresent() ? operator : anchors.endorsed(childId).flatMap(EndorsedDevice::boundRelay);
    }

    @Override
    public boolean isRelay(String deviceId) {
        return registry.operatorRelay(deviceId)
                || anchors.endorsed(deviceId)
                        .map(d -> d.role() == DeviceRole.RELAY)
                        .orElse(false);
    }

    /** Every device bound to {@code relayId} now, by either source. */
    Set<String> childrenOf(String relayId) {
        Set<String> children = new TreeSet<>();
        for (String child : anchors.endorsedChildrenOf(relayId)) {
            if (isBound(relayId, child)) {
                children.add(child);
            }
        }
        children.addAll(registry.operatorChildrenOf(relayId));
        return children;
    }

    /** The trust of the relay {@code childId} is bound to, or TRUSTED when it has none (nothing to bound it by). */
    Trust relayTrustOf(String childId) {
        return relayOf(childId).map(this::trustOf).orElse(Trust.TRUSTED);
    }

    /** A relay the registry does not know yet (it never sent a message of its own) is not vouched for: PENDING. */
    Trust trustOf(String relayId) {
        return registry.find(relayId).map(Device::trust).orElse(Trust.PENDING);
    }

    /** The lesser of a child's own trust and its relay's: quarantined or unapproved over pending over trusted. */
    static Trust bounded(Trust own, Trust relay) {
        return rank(relay) > rank(own) ? relay : own;
    }

    private static int rank(Trust t) {
        return switch (t) {
            case TRUSTED -> 0;
            case PENDING -> 1;
            case UNAPPROVED -> 2;
            case QUARANTINED -> 3;
        };
    }
}
