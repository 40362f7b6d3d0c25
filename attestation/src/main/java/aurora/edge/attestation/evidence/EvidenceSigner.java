package aurora.edge.attestation.evidence;

import aurora.edge.attestation.DeviceId;
import aurora.edge.attestation.keys.KeyAlgorithm;
import aurora.edge.attestation.keys.SigningKey;
import java.util.Objects;

/**
 * Device side ({@code aurora-v1}): answers a challenge with signed evidence, using the same message construction the
 * verifier rebuilds. The device key is ECDSA P-256 (the key the vendor endorsed).
 */
public final class EvidenceSigner {
    private final String deviceId;
    private final SigningKey deviceKey;

    public EvidenceSigner(String deviceId, SigningKey deviceKey) {
        if (!DeviceId.isValid(deviceId)) {
            throw new IllegalArgumentException("deviceId must match [A-Za-z0-9_-]{1,64}, found \"" + deviceId + "\"");
        }
        if (deviceKey.algorithm() != KeyAlgorithm.ECDSA_P256) {
            throw new IllegalArgumentException("deviceKey must be ECDSA P-256, found " + deviceKey.algorithm());
        }
        this.deviceId = deviceId;
        this.deviceKey = deviceKey;
    }

    /** The honest answer to {@code challenge} from a device running {@code firmware}. */
    public Evidence answer(Challenge challenge, RunningFirmware firmware, long bootCount) {
        Claims claims = new Claims(
                deviceId,
                challenge.nonce(),
                firmware.hash(),
                firmware.version(),
                firmware.securityCounter(),
                bootCount,
                firmware.signer());
        return sign(challenge.requestId(), claims);
    }

    /** Signs arbitrary claims; simulators use it to produce dishonest evidence on purpose. */
    public Evidence sign(String requestId, Claims claims) {
        Objects.requireNonNull(claims, "claims");
        return new Evidence(requestId, claims, deviceKey.sign(EvidenceMessage.toBeSigned(claims)));
    }
}
