package aurora.edge.firmware;

import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.mcuboot.ImageVersion;
import java.util.Objects;

/**
 * One generated sample image, as listed in {@code aurora/firmware/images/index.json}. {@code hash}
 * is the value in the image's SHA256 TLV (for a tampered image: the hash it claims, not its real one).
 */
public record SampleImage(
        String file, String board, ImageVersion version, long securityCounter, Sha256 hash, SampleKind kind) {
    public SampleImage {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(board, "board");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(kind, "kind");
    }
}
