package aurora.edge.attestation.evidence;

import java.util.Optional;

/**
 * Which fixed binary message the evidence signature covers; the JSON {@code layout} field. The
 * signature is never over JSON: the verifier rebuilds these bytes from the parsed fields.
 * Byte layouts are in {@link EvidenceMessage} and firmware-images/README.md.
 */
public enum EvidenceLayout {
    /** Our devices: domain-separated, fixed-width, covers every claim. */
    AURORA_V1("aurora-v1"),
    /** AuroraSOC devices: SHA-256 over device_id ‖ firmware_hash ‖ boot_count ‖ nonce. */
    AURORASOC("aurorasoc");

    private final String json;

    EvidenceLayout(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }

    public static Optional<EvidenceLayout> fromJson(String value) {
        for (EvidenceLayout layout : values()) {
            if (layout.json.equals(value)) {
                return Optional.of(layout);
            }
        }
        return Optional.empty();
    }
}
