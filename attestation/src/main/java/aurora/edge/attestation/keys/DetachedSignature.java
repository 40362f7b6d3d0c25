package aurora.edge.attestation.keys;

import aurora.edge.attestation.Problem;
import aurora.edge.attestation.ProblemException;

/**
 * The check every vendor-signed document passes before a single byte of it is parsed: size cap,
 * signer not deny-listed, signature valid over the exact bytes. Used by the manifest and the
 * endorsement readers so both apply the same rule in the same order.
 */
public final class DetachedSignature {
    private static final int MAX_SIGNATURE_BYTES = 128;

    private DetachedSignature() {}

    public static void check(byte[] document, byte[] signature, VerifyingKey signer, int maxBytes)
            throws ProblemException {
        if (document.length > maxBytes) {
            throw new ProblemException(
                    Problem.DOCUMENT_TOO_LARGE, "document must be <= " + maxBytes + " bytes, found " + document.length);
        }
        if (KeyDenyList.isDenied(signer.keyHash())) {
            throw new ProblemException(
                    Problem.DOCUMENT_SIGNER_DENYLISTED,
                    "vendor key " + signer.keyHash().hex() + " is "
                            + KeyDenyList.reason(signer.keyHash()).orElseThrow());
        }
        if (signature.length > MAX_SIGNATURE_BYTES || !signer.verifies(document, signature)) {
            throw new ProblemException(
                    Problem.DOCUMENT_SIGNATURE_INVALID,
                    "signature (" + signature.length + " bytes) does not verify with vendor key "
                            + signer.keyHash().hex());
        }
    }
}
