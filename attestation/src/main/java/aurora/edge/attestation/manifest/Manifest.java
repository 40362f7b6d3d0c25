package aurora.edge.attestation.manifest;

import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.keys.KeyDenyList;
import aurora.edge.attestation.keys.VerifyingKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The vendor's signed list of known firmware: per board class, the images (by MCUboot TLV hash)
 * that are allowed or revoked, the accepted image signers and a minimum security counter. The
 * {@code sequence} only grows; a reader refuses one older than the sequence it already trusts.
 * Obtain one from {@link ManifestReader}, which checks the signature before parsing.
 */
public record Manifest(
        long sequence,
        Instant issuedAt,
        Instant expiresAt,
        List<AcceptedSigner> signers,
        Map<String, BoardPolicy> boards) {

    public static final String FORMAT = "aurora-firmware-manifest";
    public static final int FORMAT_VERSION = 1;

    public Manifest {
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0, found " + sequence);
        }
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("expires_at " + expiresAt + " must be after issued_at " + issuedAt);
        }
        signers = List.copyOf(signers);
        boards = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(boards));
        Set<Sha256> accepted = signers.stream().map(AcceptedSigner::keyHash).collect(Collectors.toSet());
        if (signers.isEmpty() || accepted.size() != signers.size()) {
            throw new IllegalArgumentException("signers must be non-empty and distinct, found " + signers.size()
                    + " entries with " + accepted.size() + " distinct key hashes");
        }
        for (Sha256 signer : accepted) {
            if (KeyDenyList.isDenied(signer)) {
                throw new IllegalArgumentException("signer " + signer.hex() + " is "
                        + KeyDenyList.reason(signer).orElseThrow());
            }
        }
        boards.forEach((name, policy) -> checkBoard(name, policy, accepted));
    }

    public Optional<BoardPolicy> board(String board) {
        return Optional.ofNullable(boards.get(board));
    }

    /** The entry for {@code hash} in the given board class, if the manifest knows it there. */
    public Optional<ManifestImage> image(String board, Sha256 hash) {
        return board(board).flatMap(policy -> policy.image(hash));
    }

    /** The first board class that lists {@code hash}, for tools that do not know the board. */
    public Optional<BoardPolicy> boardListing(Sha256 hash) {
        return boards.values().stream().filter(b -> b.image(hash).isPresent()).findFirst();
    }

    public boolean isAcceptedSigner(Sha256 keyHash) {
        return signers.stream().anyMatch(s -> s.keyHash().equals(keyHash));
    }

    /** The signer public keys the manifest carries, for verifying image files. */
    public List<VerifyingKey> signerKeys() {
        return signers.stream().flatMap(s -> s.publicKey().stream()).toList();
    }

    private static void checkBoard(String name, BoardPolicy policy, Set<Sha256> accepted) {
        if (!name.equals(policy.board())) {
            throw new IllegalArgumentException(
                    "board key \"" + name + "\" holds policy of board \"" + policy.board() + "\"");
        }
        for (ManifestImage image : policy.images()) {
            if (!accepted.contains(image.signer())) {
                throw new IllegalArgumentException("boards." + name + " image "
                        + image.hash().hex() + " has signer " + image.signer().hex() + " which is not in signers");
            }
        }
    }
}
