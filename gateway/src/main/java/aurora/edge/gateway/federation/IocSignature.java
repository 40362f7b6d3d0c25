package aurora.edge.gateway.federation;

import aurora.edge.attestation.keys.VerifyingKey;
import io.nats.client.impl.Headers;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The optional signature of federation IOCs ({@code federation.ioc_key}). The envelope: the NATS
 * message header {@value #HEADER} holds the standard base64 of a signature over the exact bytes of
 * the message data (the indicator JSON as published, nothing re-serialised): Ed25519 for an
 * Ed25519 key, ECDSA P-256 with SHA-256 (DER-encoded) for a P-256 key. With a key pinned, a message
 * without the header, with two of them, or whose signature does not verify is refused.
 */
final class IocSignature {
    static final String HEADER = "Aurora-Signature";
    /** Room for an Ed25519 (64 bytes) or a DER ECDSA P-256 signature (≤ 72 bytes) in base64, and no more. */
    private static final int MAX_HEADER_CHARS = 128;

    private final @Nullable VerifyingKey key;

    /** @param key the pinned key, or null to accept unsigned IOCs */
    IocSignature(@Nullable VerifyingKey key) {
        this.key = key;
    }

    boolean required() {
        return key != null;
    }

    /** Why the message is refused, or empty when it is acceptable (always, without a pinned key). */
    Optional<String> problem(Headers headers, byte[] data) {
        if (key == null) {
            return Optional.empty();
        }
        List<String> values = headers == null ? null : headers.get(HEADER);
        if (values == null || values.isEmpty()) {
            return Optional.of("no " + HEADER + " header");
        }
        if (values.size() > 1) {
            return Optional.of("more than one " + HEADER + " header");
        }
        String value = values.get(0).trim();
        if (value.length() > MAX_HEADER_CHARS) {
            return Optional.of(HEADER + " longer than " + MAX_HEADER_CHARS + " characters");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return Optional.of(HEADER + " is not base64");
        }
        return key.verifies(data, signature)
                ? Optional.empty()
                : Optional.of("signature does not verify with federation.ioc_key");
    }
}
