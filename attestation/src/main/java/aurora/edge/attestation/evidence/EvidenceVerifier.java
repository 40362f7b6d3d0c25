package aurora.edge.attestation.evidence;

import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.endorsement.EndorsedDevice;
import aurora.edge.attestation.keys.KeyDenyList;
import aurora.edge.attestation.manifest.BoardPolicy;
import aurora.edge.attestation.manifest.Manifest;
import aurora.edge.attestation.manifest.ManifestImage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Appraises evidence against the challenge that was issued, the device's endorsed key, the
 * trusted manifest and the device's high-water marks. Cheap comparisons run before the
 * signature check; appraisal runs only on evidence whose signature verified. The manifest's
 * values (not the device's) decide security counter and revocation.
 */
public final class EvidenceVerifier {
    private final Manifest manifest;
    private final Set<Sha256> revokedHashes;

    public EvidenceVerifier(Manifest manifest) {
        this(manifest, Set.of());
    }

    /** @param revokedHashes extra revocations, e.g. from federation IOCs; they never un-revoke */
    public EvidenceVerifier(Manifest manifest, Set<Sha256> revokedHashes) {
        this.manifest = manifest;
        this.revokedHashes = Set.copyOf(revokedHashes);
    }

    public Verdict verify(
            Challenge challenge, EndorsedDevice device, HighWaterMarks marks, Evidence evidence, Instant now) {
        Claims claims = evidence.claims();
        if (challenge.isExpired(now)) {
            return new Verdict.Expired(
                    Verdict.Reason.CHALLENGE_EXPIRED,
                    "challenge " + challenge.requestId() + " expired at " + challenge.expiresAt()
                            + ", answer checked at " + now);
        }
        if (!evidence.requestId().equals(challenge.requestId())) {
            return tampered(
                    Verdict.Reason.WRONG_REQUEST,
                    "evidence answers request " + evidence.requestId() + ", expected " + challenge.requestId());
        }
        if (!claims.deviceId().equals(device.deviceId())) {
            return tampered(
                    Verdict.Reason.WRONG_DEVICE,
                    "evidence is from device " + claims.deviceId() + ", expected " + device.deviceId());
        }
        if (!claims.nonce().equals(challenge.nonce())) {
            return tampered(
                    Verdict.Reason.WRONG_NONCE, "evidence nonce is not the nonce of request " + challenge.requestId());
        }
        if (!device.publicKey().verifies(evidence.signedMessage(), evidence.signature())) {
            return tampered(
                    Verdict.Reason.BAD_SIGNATURE,
                    "signature (aurora-v1" + ") does not verify with the endorsed key "
                            + device.publicKey().keyHash().hex());
        }
        Optional<String> denied = KeyDenyList.reason(claims.signer());
        if (denied.isPresent()) {
            return tampered(Verdict.Reason.SIGNER_DENYLISTED, "device runs an image signed by " + denied.get());
        }
        return appraise(device, marks, claims);
    }

    /**
     * Stock AuroraSOC evidence answering {@code challenge}: its nonce text must be the challenge's
     * nonce (hex, either case); then as {@link #verifySelfReport}.
     */
    public Verdict verify(
            Challenge challenge, EndorsedDevice device, HighWaterMarks marks, AuroraSocEvidence evidence, Instant now) {
        if (challenge.isExpired(now)) {
            return new Verdict.Expired(
                    Verdict.Reason.CHALLENGE_EXPIRED,
                    "challenge " + challenge.requestId() + " expired at " + challenge.expiresAt()
                            + ", answer checked at " + now);
        }
        if (!answers(evidence, challenge)) {
            return tampered(
                    Verdict.Reason.WRONG_NONCE, "evidence nonce is not the nonce of request " + challenge.requestId());
        }
        return verifySelfReport(device, marks, evidence);
    }

    /** Whether the evidence's nonce text spells the challenge's nonce (constant time). */
    public static boolean answers(AuroraSocEvidence evidence, Challenge challenge) {
        byte[] sent = evidence.nonce().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(sent, challenge.nonce().hex().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Stock AuroraSOC evidence without a gateway challenge (a periodic self-report, with no nonce or
     * one the device chose): device id, signature with the endorsed key, image in the manifest and
     * not revoked, boot count not below the mark. Freshness cannot be checked, so a {@link
     * Verdict.Trusted} here only means "nothing wrong seen": the caller must not make the device
     * TRUSTED on it. Only the signed fields (id, hash, boot count, nonce) decide.
     */
    public Verdict verifySelfReport(EndorsedDevice device, HighWaterMarks marks, AuroraSocEvidence evidence) {
        if (!evidence.deviceId().equals(device.deviceId())) {
            return tampered(
                    Verdict.Reason.WRONG_DEVICE,
                    "evidence is from device " + evidence.deviceId() + ", expected " + device.deviceId());
        }
        if (!device.publicKey().verifies(evidence.signedMessage(), evidence.derSignature())) {
            return tampered(
                    Verdict.Reason.BAD_SIGNATURE,
                    "signature (aurorasoc, " + (evidence.signature().length == 64 ? "raw r||s" : "DER")
                            + ") does not verify with the endorsed key "
                            + device.publicKey().keyHash().hex());
        }
        Optional<Verdict> refused = imageProblem(device, evidence.firmwareHash());
        if (refused.isPresent()) {
            return refused.get();
        }
        ManifestImage image = listedImage(device, evidence.firmwareHash());
        Optional<String> denied = KeyDenyList.reason(image.signer());
        if (denied.isPresent()) {
            return tampered(Verdict.Reason.SIGNER_DENYLISTED, "device runs an image signed by " + denied.get());
        }
        if (evidence.bootCount() < marks.bootCount()) {
            return tampered(
                    Verdict.Reason.REPLAYED,
                    "boot count " + evidence.bootCount() + " is below " + marks.bootCount()
                            + ", already verified from this device: an old report played again");
        }
        return securityCounter(manifest.board(device.board()).orElseThrow(), image, marks)
                .orElseGet(() ->
                        new Verdict.Trusted(image, marks.raisedTo(image.securityCounter(), evidence.bootCount())));
    }

    /** Why the image cannot be trusted whoever runs it (revoked, unknown board or hash), or empty when it is listed and allowed. */
    private Optional<Verdict> imageProblem(EndorsedDevice device, Sha256 hash) {
        if (revokedHashes.contains(hash)) {
            return Optional.of(
                    new Verdict.Revoked(Verdict.Reason.HASH_REVOKED, "image " + hash.hex() + " is revoked by an IOC"));
        }
        Optional<BoardPolicy> board = manifest.board(device.board());
        if (board.isEmpty()) {
            return Optional.of(new Verdict.UnknownFirmware(
                    Verdict.Reason.UNKNOWN_BOARD,
                    "manifest " + manifest.sequence() + " has no board class " + device.board()));
        }
        Optional<ManifestImage> known = board.get().image(hash);
        if (known.isEmpty()) {
            return Optional.of(new Verdict.UnknownFirmware(
                    Verdict.Reason.UNKNOWN_HASH,
                    "image " + hash.hex() + " is not in manifest " + manifest.sequence() + " for board "
                            + device.board()));
        }
        ManifestImage image = known.get();
        if (image.isRevoked()) {
            return Optional.of(new Verdict.Revoked(
                    Verdict.Reason.HASH_REVOKED,
                    "image " + hash.hex() + " version " + image.version() + " is revoked"
                            + (image.reason().isEmpty() ? "" : ": " + image.reason())));
        }
        return Optional.empty();
    }

    /** The manifest entry of an image {@link #imageProblem} found nothing wrong with. */
    private ManifestImage listedImage(EndorsedDevice device, Sha256 hash) {
        return manifest.board(device.board()).flatMap(b -> b.image(hash)).orElseThrow();
    }

    private Verdict appraise(EndorsedDevice device, HighWaterMarks marks, Claims claims) {
        Optional<Verdict> refused = imageProblem(device, claims.firmwareHash());
        if (refused.isPresent()) {
            return refused.get();
        }
        ManifestImage image = listedImage(device, claims.firmwareHash());
        Optional<String> inconsistency = inconsistency(claims, image);
        if (inconsistency.isPresent()) {
            return tampered(Verdict.Reason.CLAIMS_INCONSISTENT, inconsistency.get());
        }
        Optional<Verdict> counters =
                securityCounter(manifest.board(device.board()).orElseThrow(), image, marks);
        if (counters.isPresent()) {
            return counters.get();
        }
        if (claims.bootCount() < marks.bootCount()) {
            return new Verdict.Downgrade(
                    Verdict.Reason.BOOT_COUNT_BACKWARDS,
                    "boot count " + claims.bootCount() + " is below the device's high-water mark " + marks.bootCount());
        }
        return new Verdict.Trusted(image, marks.raisedTo(image.securityCounter(), claims.bootCount()));
    }

    /** The device's own statements must agree with what the manifest says about the image. */
    private static Optional<String> inconsistency(Claims claims, ManifestImage image) {
        if (!claims.firmwareVersion().equals(image.version())) {
            return Optional.of(
                    "device says version " + claims.firmwareVersion() + ", manifest says " + image.version());
        }
        if (claims.securityCounter() != image.securityCounter()) {
            return Optional.of("device says security counter " + claims.securityCounter() + ", manifest says "
                    + image.securityCounter());
        }
        if (!claims.signer().equals(image.signer())) {
            return Optional.of("device says signer " + claims.signer().hex() + ", manifest says "
                    + image.signer().hex());
        }
        return Optional.empty();
    }

    /** The manifest's security counter of the image against the board minimum and the device's mark; empty when fine. */
    private static Optional<Verdict> securityCounter(BoardPolicy board, ManifestImage image, HighWaterMarks marks) {
        if (image.securityCounter() < board.minSecurityCounter()) {
            return Optional.of(new Verdict.Revoked(
                    Verdict.Reason.BELOW_MINIMUM_SECURITY_COUNTER,
                    "image security counter " + image.securityCounter() + " is below the minimum "
                            + board.minSecurityCounter() + " of board " + board.board()));
        }
        if (image.securityCounter() < marks.securityCounter()) {
            return Optional.of(new Verdict.Downgrade(
                    Verdict.Reason.SECURITY_COUNTER_BACKWARDS,
                    "security counter " + image.securityCounter() + " is below the device's high-water mark "
                            + marks.securityCounter()));
        }
        return Optional.empty();
    }

    private static Verdict tampered(Verdict.Reason reason, String detail) {
        return new Verdict.Tampered(reason, detail);
    }
}
