package aurora.edge.gateway.attest;

import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.keys.SigningKey;
import aurora.edge.attestation.manifest.BoardPolicy;
import aurora.edge.attestation.manifest.ImageStatus;
import aurora.edge.attestation.manifest.Manifest;
import aurora.edge.attestation.manifest.ManifestImage;
import aurora.edge.attestation.manifest.ManifestWriter;
import aurora.edge.firmware.SampleFirmware;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Replacement firmware manifests for tests: the sample manifest with another sequence and edited
 * board policies, signed with the DEV vendor key of firmware-images (or any other key, to be
 * refused), and put where a gateway watches them.
 */
final class SignedManifests {
    /** DEV ONLY: the key that signed the sample manifest, so replacements verify with the pinned sample vendor key. */
    static final SigningKey VENDOR = SigningKey.fromPem(
                    new String(SampleFirmware.resource("keys/DEV-ONLY-vendor-p256.key.pem"), StandardCharsets.US_ASCII))
            .orElseThrow();

    record Signed(byte[] json, byte[] signature) {}

    private SignedManifests() {}

    /** The sample manifest with another {@code sequence} and each board's policy passed through {@code edit}. */
    static byte[] manifest(long sequence, UnaryOperator<BoardPolicy> edit) {
        Manifest sample = SampleFirmware.manifest(Instant.now());
        Map<String, BoardPolicy> boards = new LinkedHashMap<>();
        sample.boards().forEach((name, policy) -> boards.put(name, edit.apply(policy)));
        return ManifestWriter.write(
                new Manifest(sequence, sample.issuedAt(), sample.expiresAt(), sample.signers(), boards));
    }

    /** An edit that marks the image with this hash revoked, wherever it is listed. */
    static UnaryOperator<BoardPolicy> revoking(Sha256 hash) {
        return board -> new BoardPolicy(
                board.board(),
                board.minSecurityCounter(),
                board.images().stream()
                        .map(i -> i.hash().equals(hash) ? revoked(i) : i)
                        .toList());
    }

    static ManifestImage revoked(ManifestImage i) {
        return new ManifestImage(
                i.hash(),
                i.version(),
                i.securityCounter(),
                i.size(),
                i.signer(),
                ImageStatus.REVOKED,
                "TEST-CVE: revoked at runtime");
    }

    static Signed signed(byte[] json) {
        return signedBy(VENDOR, json);
    }

    static Signed signedBy(SigningKey key, byte[] json) {
        return new Signed(json, key.sign(json));
    }

    /** Puts the manifest and then its signature ({@code <manifest>.sig}) in place, as an operator replacing both does. */
    static void install(Signed m, Path manifest) throws IOException {
        moveInto(manifest, m.json());
        moveInto(signatureOf(manifest), m.signature());
    }

    static Path signatureOf(Path manifest) {
        return manifest.resolveSibling(manifest.getFileName() + ".sig");
    }

    /** Writes beside {@code target} and moves over it, so a reader never sees a half-written file. */
    static void moveInto(Path target, byte[] bytes) throws IOException {
        Path aside = Files.write(Files.createTempFile(target.getParent(), ".new-", ".tmp"), bytes);
        Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
