package aurora.edge.attestation.manifest;

import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.mcuboot.ImageVersion;
import java.util.Objects;

/**
 * One known image of a board class. {@code hash} is the MCUboot TLV 0x10 value (never a hash of
 * the file); {@code signer} is the KEYHASH of the key that signed it; {@code reason} says why a
 * revoked image was revoked (empty for allowed ones).
 */
public record ManifestImage(
        Sha256 hash,
        ImageVersion version,
        long securityCounter,
        long size,
        Sha256 signer,
        ImageStatus status,
        String reason) {

    public ManifestImage {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        if (securityCounter < 0 || securityCounter > 0xffff_ffffL) {
            throw new IllegalArgumentException("securityCounter must be a u32, found " + securityCounter);
        }
        if (size <= 0) {
            throw new IllegalArgumentException("size must be > 0, found " + size);
        }
    }

    public boolean isRevoked() {
        return status == ImageStatus.REVOKED;
    }
}
