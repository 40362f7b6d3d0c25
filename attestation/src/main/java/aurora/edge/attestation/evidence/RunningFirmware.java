package aurora.edge.attestation.evidence;

import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.mcuboot.ImageVersion;
import aurora.edge.attestation.mcuboot.McubootImage;
import java.util.Objects;

/**
 * Device side: what the device reads about its active image (as Zephyr's {@code img_mgmt} does):
 * the TLV 0x10 hash, the header version, TLV 0x50 and TLV 0x01. These are read from the image,
 * not recomputed, exactly as MCUboot's measured boot hands them over.
 */
public record RunningFirmware(Sha256 hash, ImageVersion version, long securityCounter, Sha256 signer) {
    public RunningFirmware {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(signer, "signer");
    }

    /** Reads the values from a parsed image; throws if it has no SHA256 or key TLV. */
    public static RunningFirmware of(McubootImage image) {
        return new RunningFirmware(
                image.claimedHash().orElseThrow(() -> new IllegalArgumentException("image has no SHA256 TLV")),
                image.version(),
                image.securityCounter().orElse(0),
                image.signerKeyHash().orElseThrow(() -> new IllegalArgumentException("image has no KEYHASH TLV")));
    }
}
