package aurora.edge.attestation;

import java.util.Optional;

/**
 * The attestation protocol a device speaks: which challenge it reads, which evidence JSON it
 * answers with and which exact bytes its signature covers. The signature is never over JSON: the
 * verifier rebuilds the signed message from the parsed fields. An endorsement entry may name it
 * ({@code "protocol"}); the gateway picks topics and parsers by it. Layouts are documented in
 * firmware-images/README.md ("Attestation messages") and docs/aurorasoc.md ("Attestation").
 */
public enum EvidenceLayout {
    /**
     * Our devices: challenged on {@code aurora/command/{id}/action}; evidence JSON with
     * {@code request_id}, signature over a domain-separated, fixed-width binary message covering
     * every claim (MCUboot image hash, version, security counter, signer, boot count, nonce).
     */
    AURORA_V1("aurora-v1"),
    /**
     * Stock AuroraSOC firmware, exactly as it is deployed: challenged on
     * {@code aurora/attestation/{id}/request} with a hex nonce; evidence
     * {@code {"device_id","firmware_hash","boot_count","signature_hex","nonce",...}}, signature over
     * the UTF-8 text {@code device_id + firmware_hash + boot_count (decimal) + nonce}.
     */
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
