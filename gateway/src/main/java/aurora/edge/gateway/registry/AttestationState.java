package aurora.edge.gateway.registry;

/**
 * Where a device stands with attestation (ARCHITECTURE §5). STALE ("could not reach it") is kept
 * apart from the failed verdicts ("it answered, and the answer was bad"), as Keylime does.
 */
public enum AttestationState {
    /** Registered, no valid evidence yet. */
    PENDING,
    /** The last evidence checked out. */
    TRUSTED,
    /** Signature and freshness fine, but the manifest does not know the image. */
    UNKNOWN_FIRMWARE,
    /** Bad signature, wrong nonce or request, claims contradicting the manifest. */
    TAMPERED,
    /** The image is revoked or below the board's minimum security counter. */
    REVOKED,
    /** Security counter or boot count went below the device's high-water mark. */
    DOWNGRADE,
    /** No answer before the challenge expired, after every retry. */
    STALE;

    /** Every state but PENDING and TRUSTED quarantines the device. */
    public boolean quarantines() {
        return this != PENDING && this != TRUSTED;
    }
}
