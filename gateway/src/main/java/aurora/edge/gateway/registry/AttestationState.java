package aurora.edge.gateway.registry;

/**
 * Where a device stands with attestation (ARCHITECTURE §5). UNRESPONSIVE ("could not reach it") is
 * kept apart from the failed verdicts ("it answered, and the answer was bad"), as Keylime does. It
 * was called STALE until AuroraSOC's device health gave that word its own meaning (not heard from
 * for a while: {@link aurora.edge.gateway.device.Health#STALE}); rows stored under the old name are
 * renamed by migration V6 of the registry, and {@link #parse} still reads it.
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
    UNRESPONSIVE;

    /** The state stored under {@code name}, also under the name it had before ({@code STALE}). */
    public static AttestationState parse(String name) {
        return "STALE".equals(name) ? UNRESPONSIVE : valueOf(name);
    }

    /** Every state but PENDING and TRUSTED quarantines the device. */
    public boolean quarantines() {
        return this != PENDING && this != TRUSTED;
    }
}
