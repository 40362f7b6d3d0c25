package aurora.edge.attestation.evidence;

import aurora.edge.attestation.DeviceId;
import aurora.edge.attestation.ProblemException;
import aurora.edge.attestation.Result;
import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.keys.EcdsaRaw;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Evidence exactly as stock AuroraSOC firmware sends it (layout {@code aurorasoc}), on
 * {@code aurora/attestation/{id}/response} or {@code aurora/sensors/{id}/attestation}:
 * {@code {"device_id","firmware_hash","boot_count","signature_hex","nonce","board_family",
 * "firmware_stack","firmware_version"}}. The signature (ECDSA P-256, SHA-256; DER or raw
 * {@code r ‖ s}) covers the UTF-8 text {@code device_id + firmware_hash + boot_count + nonce}
 * with the hash and nonce spelled as sent and the boot count in decimal. Only those four fields
 * are signed: board, stack and version describe, they never decide a verdict.
 *
 * @param firmwareHashText the 64 hex digits as the device spelled them (the signature covers that spelling)
 * @param nonce            the nonce text as sent; empty for a self-report that carried none
 * @param boardFamily      null when absent
 * @param firmwareStack    null when absent
 * @param firmwareVersion  null when absent
 * @param signature        the bytes of {@code signature_hex}: DER, or 64 bytes of {@code r ‖ s}
 */
public record AuroraSocEvidence(
        String deviceId,
        String firmwareHashText,
        long bootCount,
        String nonce,
        @Nullable String boardFamily,
        @Nullable String firmwareStack,
        @Nullable String firmwareVersion,
        byte[] signature) {
    /** Longest nonce text accepted; the gateway's is 64 hex digits, a device's own may be anything short. */
    public static final int MAX_NONCE_CHARS = 128;
    /** Longest descriptive text (board, stack, version). */
    public static final int MAX_TEXT_CHARS = 64;

    public AuroraSocEvidence {
        if (!DeviceId.isValid(deviceId)) {
            throw new IllegalArgumentException("deviceId must match " + DeviceId.RULE + ", found \"" + deviceId + "\"");
        }
        if (firmwareHashText == null
                || firmwareHashText.length() != 64
                || !firmwareHashText.chars().allMatch(AuroraSocEvidence::isHex)) {
            throw new IllegalArgumentException(
                    "firmwareHash must be 64 hex digits, found \"" + firmwareHashText + "\"");
        }
        if (bootCount < 0) {
            throw new IllegalArgumentException("bootCount must be >= 0, found " + bootCount);
        }
        Objects.requireNonNull(nonce, "nonce");
        if (nonce.length() > MAX_NONCE_CHARS || !nonce.chars().allMatch(AuroraSocEvidence::isPrintable)) {
            throw new IllegalArgumentException(
                    "nonce must be at most " + MAX_NONCE_CHARS + " printable ASCII characters");
        }
        checkText("boardFamily", boardFamily);
        checkText("firmwareStack", firmwareStack);
        checkText("firmwareVersion", firmwareVersion);
        signature = signature.clone();
        if (signature.length != EcdsaRaw.LENGTH
                && (signature.length < 8 || signature.length > EvidenceJson.MAX_SIGNATURE_BYTES)) {
            throw new IllegalArgumentException("signature must be 8.." + EvidenceJson.MAX_SIGNATURE_BYTES
                    + " bytes of DER or 64 bytes of r||s, found " + signature.length);
        }
    }

    /** Parses the JSON a device sent; malformed input gives a {@code message.*} problem. */
    public static Result<AuroraSocEvidence> parse(byte[] json) {
        try {
            return Result.ok(AuroraSocJson.read(json));
        } catch (ProblemException e) {
            return Result.failed(e);
        }
    }

    /** The exact bytes the signature covers: the UTF-8 text {@code device_id + firmware_hash + boot_count + nonce}. */
    public byte[] signedMessage() {
        return (deviceId + firmwareHashText + bootCount + nonce).getBytes(StandardCharsets.UTF_8);
    }

    /** The signature in DER, whichever form the device sent. */
    public byte[] derSignature() {
        return signature.length == EcdsaRaw.LENGTH ? EcdsaRaw.toDer(signature) : signature.clone();
    }

    /** The image hash as a value (the spelling does not matter for appraisal, only for the signature). */
    public Sha256 firmwareHash() {
        return Sha256.fromHex(firmwareHashText.toLowerCase(Locale.ROOT));
    }

    /** The JSON stock firmware publishes, fields in its documented order. */
    public byte[] toJson() {
        return AuroraSocJson.write(this);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    private static void checkText(String field, @Nullable String value) {
        if (value != null
                && (value.isEmpty()
                        || value.length() > MAX_TEXT_CHARS
                        || !value.chars().allMatch(AuroraSocEvidence::isPrintable))) {
            throw new IllegalArgumentException(field + " must be 1.." + MAX_TEXT_CHARS + " printable ASCII characters");
        }
    }

    static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isPrintable(int c) {
        return c >= 0x20 && c < 0x7f;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AuroraSocEvidence that
                && deviceId.equals(that.deviceId)
                && firmwareHashText.equals(that.firmwareHashText)
                && bootCount == that.bootCount
                && nonce.equals(that.nonce)
                && Objects.equals(boardFamily, that.boardFamily)
                && Objects.equals(firmwareStack, that.firmwareStack)
                && Objects.equals(firmwareVersion, that.firmwareVersion)
                && Arrays.equals(signature, that.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, firmwareHashText, bootCount, nonce, Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "AuroraSocEvidence[" + deviceId + ", " + firmwareHashText + ", boot " + bootCount + ", nonce "
                + nonce.length() + " chars]";
    }
}
