package aurora.edge.gateway.attest;

import aurora.edge.attestation.endorsement.EndorsedDevice;
import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.DeviceMessage;
import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.device.RelayBindings;
import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.device.Trust;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.Device;
import aurora.edge.gateway.registry.DeviceRegistry;
import aurora.edge.gateway.registry.RegistrationPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What intake asks about every message of an authenticated device: may it enter, how far is its
 * data trusted, and is it held until attestation decides (issue 11: attestation is the trust
 * boundary)? Answers from memory without blocking (it runs on the broker's interceptor thread);
 * registering a new device and noticing a boot or firmware change are handed to the attestation
 * thread. Intake asks and queues the message inside {@link #fenced}, so a verdict never falls
 * between the two.
 */
public final class DeviceGate {
    /** The answer for one message. */
    public sealed interface Admission permits Admitted, Refused {}

    /**
     * Let in; its data carries {@code trust}, and with {@code held} it is stored but not forwarded
     * until the device's verdict.
     */
    public record Admitted(Trust trust, boolean held) implements Admission {
        public Admitted {
            if (held && trust != Trust.PENDING) {
                throw new IllegalArgumentException("only PENDING data is held, found " + trust);
            }
        }
    }

    /** Not let in: the device may not register under the policy. */
    public record Refused(Rejection rejection, String detail) implements Admission {}

    private final RegistrationPolicy policy;
    private final boolean holds;
    private final TrustFence fence;
    private final DeviceRegistry registry;
    private final TrustAnchors anchors;
    private final AttestationService service;
    private final Clock clock;
    private final Relays relays;

    DeviceGate(
            RegistrationPolicy policy,
            boolean holds,
            DeviceRegistry registry,
            TrustAnchors anchors,
            AttestationService service,
            TrustFence fence,
            Relays relays,
            Clock clock) {
        this.relays = relays;
        this.policy = policy;
        this.holds = holds;
        this.fence = fence;
        this.registry = registry;
        this.anchors = anchors;
        this.service = service;
        this.clock = clock;
    }

    /**
     * A sign of life of an authenticated device: every message it sends counts (a heartbeat on its
     * status topic, data that is held because it is quarantined, even a message that is refused),
     * for device health. Only stamps a time in memory.
     */
    public void heard(String deviceId, Instant receivedAt) {
        service.seen(deviceId, receivedAt);
    }

    /** Runs {@code work} (which admits a message of the device and queues it) so that no verdict about the device falls inside it. */
    public <T> T fenced(String deviceId, Supplier<T> work) {
        return fence.locked(deviceId, work);
    }

    /** @param message a message of the authenticated device its topic names */
    public Admission admit(DeviceMessage message, Instant receivedAt) {
        Admission a = trustOf(message, receivedAt);
        if (a instanceof Admitted admitted && admitted.trust() == Trust.PENDING && holds && !urgent(message)) {
            return new Admitted(Trust.PENDING, true);
        }
        return a;
    }

    /**
     * As {@link #admit} for a message {@code relayId} carried for the device its topic names (the
     * caller checked the binding): the data is at most as trusted as the relay, so a quarantined
     * relay's children are held like a quarantined device's data, and a relay that is not trusted
     * yet keeps its children's data held until it is. The child registers and attests as itself.
     */
    public Admission admitRelayed(DeviceMessage message, String relayId, Instant receivedAt) {
        Admission a = trustOf(message, receivedAt);
        if (!(a instanceof Admitted admitted)) {
            return a;
        }
        Trust trust = Relays.bounded(admitted.trust(), relays.trustOf(relayId));
        return new Admitted(trust, trust == Trust.PENDING && holds && !urgent(message));
    }

    /** The relay bindings intake enforces. */
    public RelayBindings relays() {
        return relays;
    }

    /**
     * A device alert of severity high or above is forwarded at once, flagged {@code pending}: a
     * tamper alert must not wait for a sleepy device's attestation. Answers are never held either.
     */
    private static boolean urgent(DeviceMessage message) {
        return message.channel() == Channel.ATTESTATION
                || (message.channel() == Channel.ALERT && message.severity().atLeast(Severity.HIGH));
    }

    private Admission trustOf(DeviceMessage message, Instant receivedAt) {
        String deviceId = message.deviceId();
        Channel channel = message.channel();
        Optional<Device> known = registry.find(deviceId);
        if (known.isEmpty()) {
            return register(deviceId, channel, message.metadata(), receivedAt);
        }
        Device device = known.get();
        if (channel != Channel.ATTESTATION) {
            String fw = message.metadata().firmwareVersion();
            long boot = message.metadata().boot();
            if ((fw != null && !fw.equals(device.firmwareVersion())) || (boot >= 0 && boot != device.reportedBoot())) {
                service.observed(deviceId, fw, boot);
                // Until the attestation thread has looked at the change, this message is not vouched for.
                return new Admitted(device.trust() == Trust.TRUSTED ? Trust.PENDING : device.trust(), false);
            }
        }
        return new Admitted(device.trust(), false);
    }

    /** Only the authenticated id and the endorsement list decide; the payload only describes the device. */
    private Admission register(String deviceId, Channel channel, DeviceMessage.Metadata said, Instant receivedAt) {
        Optional<EndorsedDevice> endorsed = anchors.endorsed(deviceId);
        if (policy == RegistrationPolicy.ENDORSED && endorsed.isEmpty()) {
            return new Refused(Rejection.DEVICE_NOT_ENDORSED, "policy=endorsed");
        }
        Instant now = clock.instant();
        String board = endorsed.map(EndorsedDevice::board).orElse(said.board());
        // A device the federation already named compromised is held from its very first message.
        boolean compromised = registry.namedCompromised(deviceId);
        Device device = new Device(
                UUID.randomUUID().toString(),
                deviceId,
                said.type(),
                board,
                said.firmwareVersion(),
                channel == Channel.ATTESTATION ? -1 : said.boot(),
                receivedAt,
                receivedAt,
                0,
                0,
                AttestationState.PENDING,
                compromised ? Verdicts.IOC_QUARANTINE : "registered",
                compromised,
                policy != RegistrationPolicy.APPROVE,
                now,
                null,
                null,
                0,
                endorsed.map(e -> e.publicKey().keyHash().hex()).orElse(null),
                null,
                null,
                said.firmwareStack());
        if (registry.reserve(device)) {
            if (!service.registered(device, policy.name().toLowerCase(Locale.ROOT))) {
                registry.unreserve(device);
                return new Refused(Rejection.OVERLOADED, "attestation queue full");
            }
            return new Admitted(device.trust(), false);
        }
        return new Admitted(registry.find(deviceId).map(Device::trust).orElse(Trust.PENDING), false);
    }

    /** Hands an answer on the attestation channel to the attestation thread. */
    public void evidence(String deviceId, byte[] payload, Instant receivedAt) {
        service.evidence(deviceId, payload, receivedAt);
    }
}
