package aurora.edge.attestation.evidence;

import aurora.edge.attestation.DeviceId;
import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.mcuboot.ImageVersion;
import java.util.Objects;

/**
 * What a device states about itself in answer to a challenge: its id, the nonce it was given,
 * the MCUboot TLV 0x10 hash, version, security counter and KEYHASH ({@code signer}) of the image
 * it runs, and its boot count. Counters are unsigned 32-bit, as on the device.
 */
public record Claims(
        String deviceId,
        Nonce nonce,
        Sha256 firmwareHash,
        ImageVersion firmwareVersion,
        long securityCounter,
        long bootCount,
        Sha256 signer) {

    public Claims {
        if (!DeviceId.isValid(deviceId)) {
            throw new IllegalArgumentException("deviceId must match [A-Za-z0-9_-]{1,64}, found \"" + deviceId + "\"");
        }
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(firmwareHash, "firmwareHash");
        Objects.requireNonNull(firmwareVersion, "firmwareVersion");
        Objects.requireNonNull(signer, "signer");
        checkU32("securityCounter", securityCounter);
        checkU32("bootCount", bootCount);
    }

    private static void checkU32(String field, long value) {
        if (value < 0 || value > 0xffff_ffffL) {
            throw new IllegalArgumentException(field + " must be in [0, 4294967295], found " + value);
        }
    }
}
