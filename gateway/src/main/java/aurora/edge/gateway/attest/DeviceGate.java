package aurora.edge.gateway.attest;

import aurora.edge.attestation.endorsement.EndorsedDevice;
import aurora.edge.gateway.intake.Rejection;
import aurora.edge.gateway.outbox.Channel;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.Device;
import aurora.edge.gateway.registry.DeviceRegistry;
import aurora.edge.gateway.registry.RegistrationPolicy;
import aurora.edge.gateway.registry.Trust;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * What intake asks about every message of an authenticated device: may it enter, and how far is
 * its data trusted? Answers from memory without blocking (it runs on the broker's interceptor
 * thread); registering a new device and noticing a boot or firmware change are handed to the
 * attestation thread.
 */
public final class DeviceGate {
    /** The answer for one message. */
    public sealed interface Admission permits Admitted, Refused {}

    /** Let in; its data carries {@code trust}. */
    public record Admitted(Trust trust) implements Admission {}

    /** Not let in: the device may not register under the policy. */
    public record Refused(Rejection rejection, String detail) implements Admission {}

    private final RegistrationPolicy policy;
    private final DeviceRegistry registry;
    private final TrustAnchors anchors;
    private final AttestationService service;
    private final Clock clock;

    DeviceGate(RegistrationPolicy policy, DeviceRegistry registry, TrustAnchors anchors, AttestationService service, Clock clock) {
        this.policy = policy;
        this.registry = registry;
        this.anchors = anchors;
        this.service = service;
        this.clock = clock;
    }

    /**
     * @param deviceId the authenticated device
     * @param fields   the message's JSON object (metadata {@code fw}, {@code board}, {@code type}, {@code boot} is read from it)
     */
    public Admission admit(String deviceId, Channel channel, ObjectNode fields, Instant receivedAt) {
        Optional<Device> known = registry.find(deviceId);
        if (known.isEmpty()) {
            return register(deviceId, channel, fields, receivedAt);
        }
        Device device = known.get();
        service.seen(deviceId, receivedAt);
        if (channel != Channel.ATTESTATION) {
            String fw = text(fields, "fw");
            long boot = boot(fields);
            if ((fw != null && !fw.equals(device.firmwareVersion())) || (boot >= 0 && boot != device.reportedBoot())) {
                service.observed(deviceId, fw, boot);
                // Until the attestation thread has looked at the change, this message is not vouched for.
                return new Admitted(device.trust() == Trust.TRUSTED ? Trust.PENDING : device.trust());
            }
        }
        return new Admitted(device.trust());
    }

    /** Only the authenticated id and the endorsement list decide; the payload only describes the device. */
    private Admission register(String deviceId, Channel channel, ObjectNode fields, Instant receivedAt) {
        Optional<EndorsedDevice> endorsed = anchors.endorsed(deviceId);
        if (policy == RegistrationPolicy.ENDORSED && endorsed.isEmpty()) {
            return new Refused(Rejection.DEVICE_NOT_ENDORSED, "policy=endorsed");
        }
        Instant now = clock.instant();
        String board = endorsed.map(EndorsedDevice::board).orElse(text(fields, "board"));
        // A device the federation already named compromised is held from its very first message.
        boolean compromised = registry.namedCompromised(deviceId);
        Device device = new Device(UUID.randomUUID().toString(), deviceId, text(fields, "type"), board, text(fields, "fw"),
                channel == Channel.ATTESTATION ? -1 : boot(fields), receivedAt, receivedAt, 0, 0, AttestationState.PENDING,
                compromised ? Verdicts.IOC_QUARANTINE : "registered", compromised, policy != RegistrationPolicy.APPROVE, now, null, null, 0,
                endorsed.map(e -> e.publicKey().keyHash().hex()).orElse(null), null, null);
        if (registry.reserve(device)) {
            service.registered(device, policy.name().toLowerCase(Locale.ROOT));
            return new Admitted(device.trust());
        }
        return new Admitted(registry.find(deviceId).map(Device::trust).orElse(Trust.PENDING));
    }

    /** Hands an answer on the attestation channel to the attestation thread. */
    public void evidence(String deviceId, byte[] payload, Instant receivedAt) {
        service.evidence(deviceId, payload, receivedAt);
    }

    private static String text(ObjectNode fields, String name) {
        JsonNode v = fields.get(name);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            return null;
        }
        String s = v.asText();
        // Device-chosen text ends up in logs and audit events: printable ASCII only, bounded.
        return (s.length() > 64 ? s.substring(0, 64) : s).replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static long boot(ObjectNode fields) {
        JsonNode v = fields.get("boot");
        return v != null && v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0 ? v.asLong() : -1;
    }
}
