package aurora.edge.firmware;

import java.util.Locale;

/** Why a sample image exists, and what a verifier must say about it. */
public enum SampleKind {
    /** In the manifest, allowed: a device running it is TRUSTED. */
    ALLOWED,
    /** In the manifest, revoked: REVOKED / hash_revoked. */
    REVOKED,
    /** In the manifest, allowed, but its security counter is below the board minimum: REVOKED. */
    BELOW_MINIMUM,
    /** Body altered after signing: the image verifier says image.hash_mismatch. */
    TAMPERED,
    /** Signed by a key the manifest does not accept: image.signer_unknown. */
    UNKNOWN_KEY,
    /** Signed by MCUboot's published root-ec-p256 example key: image.signer_denylisted. */
    MCUBOOT_EXAMPLE_KEY;

    public String json() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static SampleKind fromJson(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** Listed in the manifest (the others are images no manifest should ever list). */
    public boolean isListed() {
        return this == ALLOWED || this == REVOKED || this == BELOW_MINIMUM;
    }
}
