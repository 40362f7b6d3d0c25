package aurora.edge.attestation.evidence;

import aurora.edge.attestation.ProblemException;
import aurora.edge.attestation.Result;
import java.util.Objects;

/**
 * An {@code aurora-v1} device's signed answer to a challenge, as carried on
 * {@code aurora/sensors/{id}/attestation}. The signature covers {@link #signedMessage()}, the
 * fixed binary form of the claims, never the JSON text. Parse untrusted bytes with
 * {@link #parse(byte[])}; check it with {@link EvidenceVerifier}. Stock AuroraSOC devices send
 * {@link AuroraSocEvidence} instead.
 */
public record Evidence(String requestId, Claims claims, byte[] signature) {
    public Evidence {
        if (requestId == null || !Challenge.REQUEST_ID.matcher(requestId).matches()) {
            throw new IllegalArgumentException("requestId must match [A-Za-z0-9_-]{1,64}, found \"" + requestId + "\"");
        }
        Objects.requireNonNull(claims, "claims");
        signature = signature.clone();
        if (signature.length == 0 || signature.length > EvidenceJson.MAX_SIGNATURE_BYTES) {
            throw new IllegalArgumentException(
                    "signature must be 1.." + EvidenceJson.MAX_SIGNATURE_BYTES + " bytes, found " + signature.length);
        }
    }

    /** Parses the evidence JSON a device sent; malformed input gives a {@code message.*} problem. */
    public static Result<Evidence> parse(byte[] json) {
        try {
            return Result.ok(EvidenceJson.read(json));
        } catch (ProblemException e) {
            return Result.failed(e);
        }
    }

    /** The bytes the signature covers. */
    public byte[] signedMessage() {
        return EvidenceMessage.toBeSigned(claims);
    }

    /** The JSON a device publishes. Field order is fixed; the verifier never relies on it. */
    public byte[] toJson() {
        return EvidenceJson.write(this);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Evidence that
                && requestId.equals(that.requestId)
                && claims.equals(that.claims)
                && java.util.Arrays.equals(signature, that.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, claims, java.util.Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "Evidence[" + requestId + ", " + claims + "]";
    }
}
