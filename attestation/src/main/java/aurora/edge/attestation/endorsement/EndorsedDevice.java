package aurora.edge.attestation.endorsement;

import aurora.edge.attestation.DeviceId;
import aurora.edge.attestation.keys.KeyAlgorithm;
import aurora.edge.attestation.keys.KeyDenyList;
import aurora.edge.attestation.keys.VerifyingKey;
import java.util.Objects;

/**
 * A device the vendor vouches for: its id, its board class (which selects the manifest policy)
 * and its ECDSA P-256 identity key. The only source of device keys: a key is never taken from a
 * device's own message.
 */
public record EndorsedDevice(String deviceId, String board, VerifyingKey publicKey) {
    public EndorsedDevice {
        if (!DeviceId.isValid(deviceId)) {
            throw new IllegalArgumentException("deviceId must match [A-Za-z0-9_-]{1,64}, found \"" + deviceId + "\"");
        }
        if (!DeviceId.isValidBoard(board)) {
            throw new IllegalArgumentException("board must match [A-Za-z0-9_.-]{1,64}, found \"" + board + "\"");
        }
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey.algorithm() != KeyAlgorithm.ECDSA_P256) {
            throw new IllegalArgumentException("publicKey of " + deviceId + " must be ECDSA P-256, found " + publicKey.algorithm());
        }
        if (KeyDenyList.isDenied(publicKey.keyHash())) {
            throw new IllegalArgumentException("publicKey of " + deviceId + " is " + KeyDenyList.reason(publicKey.keyHash()).orElseThrow());
        }
    }
}
