package aurora.edge.gateway.attest;

import aurora.edge.attestation.EvidenceLayout;
import aurora.edge.attestation.endorsement.EndorsedDevice;
import aurora.edge.attestation.evidence.Challenge;
import aurora.edge.gateway.command.CommandSender;
import aurora.edge.gateway.device.DeviceTopic;
import aurora.edge.gateway.registry.Device;
import java.time.Instant;
import java.util.Optional;

/**
 * Which attestation protocol a device speaks, and how its challenge reaches it. The vendor's
 * endorsement entry decides when it names one ({@code "protocol"}); otherwise what the device said
 * when it registered: a {@code firmware_stack} (only stock AuroraSOC firmware names one) means
 * {@code aurorasoc}, none means our {@code aurora-v1}. The device's own say only picks the wire
 * format: the key that must sign the evidence still comes from the endorsement alone.
 */
final class DeviceProtocol {
    private DeviceProtocol() {}

    static EvidenceLayout of(Optional<EndorsedDevice> endorsed, Device device) {
        return endorsed.flatMap(EndorsedDevice::declaredProtocol)
                .orElse(device.firmwareStack() != null ? EvidenceLayout.AURORASOC : EvidenceLayout.AURORA_V1);
    }

    /**
     * Publishes {@code challenge} where and as the device reads it: {@code aurora/attestation/{id}/request}
     * with a hex nonce for stock AuroraSOC firmware, our command topic otherwise.
     */
    static boolean send(
            CommandSender devices, EvidenceLayout protocol, String deviceId, Challenge challenge, Instant now) {
        return protocol == EvidenceLayout.AURORASOC
                ? devices.publish(DeviceTopic.attestationRequestTopic(deviceId), challenge.toAuroraSocRequestJson(now))
                : devices.publish(DeviceTopic.commandTopic(deviceId), challenge.toCommandJson(now));
    }
}
