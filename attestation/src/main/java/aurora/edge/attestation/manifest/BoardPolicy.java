package aurora.edge.attestation.manifest;

import aurora.edge.attestation.DeviceId;
import aurora.edge.attestation.Sha256;
import java.util.List;
import java.util.Optional;

/** The known images of one board class and the lowest security counter it may run. */
public record BoardPolicy(String board, long minSecurityCounter, List<ManifestImage> images) {
    public BoardPolicy {
        if (!DeviceId.isValidBoard(board)) {
            throw new IllegalArgumentException("board must match [A-Za-z0-9_.-]{1,64}, found \"" + board + "\"");
        }
        if (minSecurityCounter < 0 || minSecurityCounter > 0xffff_ffffL) {
            throw new IllegalArgumentException("minSecurityCounter must be a u32, found " + minSecurityCounter);
        }
        images = List.copyOf(images);
        if (images.stream().map(ManifestImage::hash).distinct().count() != images.size()) {
            throw new IllegalArgumentException("images of board " + board + " must have distinct hashes");
        }
    }

    public Optional<ManifestImage> image(Sha256 hash) {
        return images.stream().filter(i -> i.hash().equals(hash)).findFirst();
    }
}
