package aurora.edge.attestation.manifest;

import aurora.edge.attestation.JsonInput;
import aurora.edge.attestation.Problem;
import aurora.edge.attestation.ProblemException;
import aurora.edge.attestation.Result;
import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.keys.DetachedSignature;
import aurora.edge.attestation.keys.KeyDenyList;
import aurora.edge.attestation.keys.VerifyingKey;
import aurora.edge.attestation.mcuboot.ImageVersion;
import aurora.edge.attestation.mcuboot.McubootImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns {@code manifest.json} plus its detached signature into a trusted {@link Manifest}, in the
 * order SUIT requires: signature over the exact bytes first (nothing is parsed before), then the
 * strict schema, then anti-rollback ({@code sequence} not below the trusted one), then expiry.
 * Keep the verified bytes; never re-read the file after this (no time-of-check/time-of-use gap).
 */
public final class ManifestReader {
    public static final int MAX_BYTES = 1024 * 1024;
    private static final int MAX_SIGNERS = 16;
    private static final int MAX_IMAGES = 1024;

    private ManifestReader() {}

    /**
     * @param trustedSequence the sequence of the manifest already trusted (0 for none); an equal
     *     sequence is accepted so a restart can reload the same file
     * @param now the caller's clock, for expiry
     */
    public static Result<Manifest> read(
            byte[] json, byte[] signature, VerifyingKey vendorKey, long trustedSequence, Instant now) {
        try {
            DetachedSignature.check(json, signature, vendorKey, MAX_BYTES);
            Manifest manifest = parse(json);
            if (manifest.sequence() < trustedSequence) {
                throw new ProblemException(
                        Problem.DOCUMENT_ROLLBACK,
                        "sequence must be >= the trusted " + trustedSequence + ", found " + manifest.sequence());
            }
            if (!now.isBefore(manifest.expiresAt())) {
                throw new ProblemException(
                        Problem.DOCUMENT_EXPIRED, "expires_at " + manifest.expiresAt() + " is not after now " + now);
            }
            return Result.ok(manifest);
        } catch (ProblemException e) {
            return Result.failed(e);
        }
    }

    /**
     * Schema and consistency checks without any signature: for signing tools, to refuse signing a
     * broken manifest. Never use the result to trust anything.
     */
    public static Result<Manifest> checkBeforeSigning(byte[] json) {
        try {
            if (json.length > MAX_BYTES) {
                throw new ProblemException(
                        Problem.DOCUMENT_TOO_LARGE,
                        "document must be <= " + MAX_BYTES + " bytes, found " + json.length);
            }
            return Result.ok(parse(json));
        } catch (ProblemException e) {
            return Result.failed(e);
        }
    }

    private static Manifest parse(byte[] json) throws ProblemException {
        JsonInput root = JsonInput.parse(json, MAX_BYTES, JsonInput.Kind.DOCUMENT);
        root.allowOnly(
                Set.of("format", "manifest_version", "sequence", "issued_at", "expires_at", "signers", "boards"));
        if (!root.text("format").equals(Manifest.FORMAT)) {
            throw root.fail("format", "must be \"" + Manifest.FORMAT + "\"");
        }
        long version = root.unsigned("manifest_version", Integer.MAX_VALUE);
        if (version != Manifest.FORMAT_VERSION) {
            throw root.fail("manifest_version", "must be " + Manifest.FORMAT_VERSION + ", found " + version);
        }
        List<AcceptedSigner> signers = new ArrayList<>();
        for (JsonInput signer : root.objects("signers", MAX_SIGNERS)) {
            signers.add(signer(signer));
        }
        Map<String, BoardPolicy> boards = new LinkedHashMap<>();
        JsonInput boardsNode = root.object("boards");
        for (String name : boardsNode.fieldNames()) {
            boards.put(name, board(name, boardsNode.object(name)));
        }
        try {
            return new Manifest(
                    root.unsigned("sequence", Long.MAX_VALUE),
                    root.instant("issued_at"),
                    root.instant("expires_at"),
                    signers,
                    boards);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.DOCUMENT_INCONSISTENT, ProblemException.messageOf(e));
        }
    }

    private static AcceptedSigner signer(JsonInput node) throws ProblemException {
        node.allowOnly(Set.of("key_hash", "public_key", "note"));
        Sha256 keyHash = node.sha256("key_hash");
        Optional<String> denied = KeyDenyList.reason(keyHash);
        if (denied.isPresent()) {
            throw new ProblemException(
                    Problem.KEY_DENYLISTED, "signer key_hash " + keyHash.hex() + " is " + denied.get());
        }
        node.optionalText("note");
        Optional<VerifyingKey> key = Optional.empty();
        if (node.has("public_key")) {
            key = Optional.of(publicKey(node, "public_key"));
        }
        try {
            return new AcceptedSigner(keyHash, key);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.DOCUMENT_INCONSISTENT, "signer: " + ProblemException.messageOf(e));
        }
    }

    private static BoardPolicy board(String name, JsonInput node) throws ProblemException {
        node.allowOnly(Set.of("min_security_counter", "images"));
        List<ManifestImage> images = new ArrayList<>();
        for (JsonInput image : node.objects("images", MAX_IMAGES)) {
            images.add(image(image));
        }
        try {
            return new BoardPolicy(name, node.unsigned("min_security_counter", 0xffff_ffffL), images);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(
                    Problem.DOCUMENT_INCONSISTENT, "boards." + name + ": " + ProblemException.messageOf(e));
        }
    }

    private static ManifestImage image(JsonInput node) throws ProblemException {
        node.allowOnly(
                Set.of("image_hash", "hash_alg", "version", "security_counter", "size", "signer", "status", "reason"));
        if (!node.text("hash_alg").equals("sha-256")) {
            throw node.fail("hash_alg", "must be \"sha-256\" (MCUboot TLV 0x10)");
        }
        ImageVersion version;
        try {
            version = ImageVersion.parse(node.text("version"));
        } catch (IllegalArgumentException e) {
            throw node.fail("version", ProblemException.messageOf(e));
        }
        return new ManifestImage(
                node.sha256("image_hash"),
                version,
                node.unsigned("security_counter", 0xffff_ffffL),
                requirePositive(node, node.unsigned("size", McubootImage.MAX_IMAGE_BYTES)),
                node.sha256("signer"),
                status(node),
                node.optionalText("reason").orElse(""));
    }

    private static ImageStatus status(JsonInput node) throws ProblemException {
        String status = node.text("status");
        for (ImageStatus candidate : ImageStatus.values()) {
            if (candidate.json().equals(status)) {
                return candidate;
            }
        }
        throw node.fail("status", "must be \"allowed\" or \"revoked\", found " + ProblemException.quote(status));
    }

    private static long requirePositive(JsonInput node, long size) throws ProblemException {
        if (size == 0) {
            throw node.fail("size", "must be > 0, found 0");
        }
        return size;
    }

    static VerifyingKey publicKey(JsonInput node, String field) throws ProblemException {
        Result<VerifyingKey> key = VerifyingKey.fromBase64(node.text(field));
        if (key instanceof Result.Failed<VerifyingKey> failed) {
            throw node.fail(field, "must be base64 DER SubjectPublicKeyInfo: " + failed.detail());
        }
        return key.orElseThrow();
    }
}
