package aurora.edge.attestation.mcuboot;

import static aurora.edge.attestation.Problem.IMAGE_HASH_MISMATCH;
import static aurora.edge.attestation.Problem.IMAGE_HASH_MISSING;
import static aurora.edge.attestation.Problem.IMAGE_KEY_MISSING;
import static aurora.edge.attestation.Problem.IMAGE_SIGNATURE_ALGORITHM_MISMATCH;
import static aurora.edge.attestation.Problem.IMAGE_SIGNATURE_INVALID;
import static aurora.edge.attestation.Problem.IMAGE_SIGNATURE_MALFORMED;
import static aurora.edge.attestation.Problem.IMAGE_SIGNATURE_MISSING;
import static aurora.edge.attestation.Problem.IMAGE_SIGNER_DENYLISTED;
import static aurora.edge.attestation.Problem.IMAGE_SIGNER_UNKNOWN;

import aurora.edge.attestation.ProblemException;
import aurora.edge.attestation.Result;
import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.keys.KeyAlgorithm;
import aurora.edge.attestation.keys.KeyDenyList;
import aurora.edge.attestation.keys.VerifyingKey;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks an MCUboot image as the bootloader does ({@code bootutil_img_validate}): the SHA-256 over
 * header, body and protected TLVs equals TLV 0x10; the signer, found by its key hash, is trusted
 * and not a published example key; the signature verifies. ECDSA P-256 signs the hashed region
 * (SHA-256 inside ECDSA); Ed25519 signs the 32-byte digest, as imgtool does.
 */
public final class ImageVerifier {
    private final Map<Sha256, VerifyingKey> trusted;

    public ImageVerifier(Collection<VerifyingKey> trustedSigners) {
        this.trusted = trustedSigners.stream()
                .collect(Collectors.toUnmodifiableMap(VerifyingKey::keyHash, Function.identity(), (a, b) -> a));
    }

    /** Structure, hash and deny-list only: what can be said without knowing any signer key. */
    public static Result<McubootImage> checkIntegrity(byte[] bytes) {
        try {
            McubootImage image = ImageParser.parse(bytes);
            checkHash(image);
            checkNotDenied(image);
            return Result.ok(image);
        } catch (ProblemException e) {
            return Result.failed(e);
        }
    }

    public Result<VerifiedImage> verify(byte[] bytes) {
        try {
            McubootImage image = ImageParser.parse(bytes);
            Sha256 hash = checkHash(image);
            Sha256 keyHash = checkNotDenied(image);
            VerifyingKey signer = trusted.get(keyHash);
            if (signer == null) {
                throw new ProblemException(
                        IMAGE_SIGNER_UNKNOWN, "signer key " + keyHash.hex() + " is not a trusted signer");
            }
            checkSignature(image, hash, signer);
            return Result.ok(new VerifiedImage(
                    image, hash, signer, image.securityCounter().orElse(0)));
        } catch (ProblemException e) {
            return Result.failed(e);
        }
    }

    private static Sha256 checkHash(McubootImage image) throws ProblemException {
        Sha256 claimed = image.claimedHash()
                .orElseThrow(() -> new ProblemException(IMAGE_HASH_MISSING, "image has no SHA256 TLV (0x10)"));
        Sha256 computed = image.computeHash();
        if (!computed.equals(claimed)) {
            throw new ProblemException(
                    IMAGE_HASH_MISMATCH,
                    "SHA256 TLV says " + claimed.hex() + " but header, body and protected TLVs hash to "
                            + computed.hex());
        }
        return computed;
    }

    private static Sha256 checkNotDenied(McubootImage image) throws ProblemException {
        Sha256 keyHash = image.signerKeyHash()
                .orElseThrow(() ->
                        new ProblemException(IMAGE_KEY_MISSING, "image has no KEYHASH (0x01) or PUBKEY (0x02) TLV"));
        Optional<String> denied = KeyDenyList.reason(keyHash);
        if (denied.isPresent()) {
            throw new ProblemException(
                    IMAGE_SIGNER_DENYLISTED, "image is signed by " + denied.get() + " (" + keyHash.hex() + ")");
        }
        return keyHash;
    }

    private static void checkSignature(McubootImage image, Sha256 hash, VerifyingKey signer) throws ProblemException {
        Optional<Tlv> ecdsa = image.tlv(Tlv.ECDSA_SIG);
        Optional<Tlv> ed25519 = image.tlv(Tlv.ED25519);
        if (ecdsa.isEmpty() && ed25519.isEmpty()) {
            throw new ProblemException(IMAGE_SIGNATURE_MISSING, "image has no ECDSA_SIG (0x22) or ED25519 (0x24) TLV");
        }
        KeyAlgorithm expected = ecdsa.isPresent() ? KeyAlgorithm.ECDSA_P256 : KeyAlgorithm.ED25519;
        if (signer.algorithm() != expected) {
            throw new ProblemException(
                    IMAGE_SIGNATURE_ALGORITHM_MISMATCH,
                    "signature TLV is " + expected + " but signer key "
                            + signer.keyHash().hex() + " is " + signer.algorithm());
        }
        boolean valid = ecdsa.isPresent()
                ? signer.verifies(image.hashedRegion(), unpadded(image.value(ecdsa.get())))
                : signer.verifies(hash.bytes(), image.value(ed25519.get()));
        if (!valid) {
            throw new ProblemException(
                    IMAGE_SIGNATURE_INVALID,
                    "signature does not verify with signer key "
                            + signer.keyHash().hex());
        }
    }

    /**
     * MCUboot before 1.5 zero-padded ECDSA signatures to 72 bytes; the DER length says where the
     * signature ends. The padding must be zeros so the trailer has exactly one accepted form.
     */
    private static byte[] unpadded(byte[] tlvValue) throws ProblemException {
        int declared = tlvValue.length < 2 ? -1 : (tlvValue[1] & 0xff) + 2;
        if (declared < 2 || declared > tlvValue.length) {
            throw new ProblemException(IMAGE_SIGNATURE_MALFORMED, "ECDSA_SIG TLV is not a DER signature");
        }
        for (int i = declared; i < tlvValue.length; i++) {
            if (tlvValue[i] != 0) {
                throw new ProblemException(
                        IMAGE_SIGNATURE_MALFORMED, "ECDSA_SIG TLV has non-zero bytes after the DER signature");
            }
        }
        return Arrays.copyOf(tlvValue, declared);
    }
}
