package aurora.edge.attestation.mcuboot;

import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.keys.VerifyingKey;
import java.util.Objects;

/**
 * An image whose hash and signature checked out. {@code hash} is the TLV 0x10 value a device
 * attests; {@code securityCounter} is TLV 0x50, or 0 when the image has none (as MCUboot treats it).
 */
public record VerifiedImage(McubootImage image, Sha256 hash, VerifyingKey signer, long securityCounter) {
    public VerifiedImage {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(signer, "signer");
    }

    public ImageVersion version() {
        return image.version();
    }

    /** Size of the whole image file in bytes. */
    public int size() {
        return image.length();
    }
}
