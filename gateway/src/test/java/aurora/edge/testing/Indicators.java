package aurora.edge.testing;

import aurora.edge.attestation.keys.SigningKey;
import io.nats.client.impl.Headers;
import java.time.Instant;
import java.util.Base64;

/** STIX 2.1-like indicators as the federation shares them on {@code AURORA.ioc_sharing}, for tests. */
public final class Indicators {
    /** The NATS header that carries an indicator's signature (see the gateway's docs/federation.md). */
    public static final String SIGNATURE_HEADER = "Aurora-Signature";

    private Indicators() {}

    /** An indicator with this id ({@code indicator--…}) and STIX pattern (written as is into the JSON string). */
    public static String json(String id, String pattern) {
        return json(id, pattern, "");
    }

    /** The same indicator, revoked by its producer ({@code "revoked": true}): the federation withdraws it. */
    public static String revoked(String id, String pattern) {
        return json(id, pattern, ",\"revoked\":true");
    }

    /** The same indicator, holding until {@code validUntil} (STIX {@code valid_until}). */
    public static String validUntil(String id, String pattern, Instant validUntil) {
        return json(id, pattern, ",\"valid_until\":\"" + validUntil + "\"");
    }

    private static String json(String id, String pattern, String extra) {
        return "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + id
                + "\",\"pattern_type\":\"stix\",\"pattern\":\"" + pattern + "\"" + extra + "}";
    }

    /** Headers carrying the signature of {@code key} over exactly {@code data}, as a signing federation peer sends them. */
    public static Headers signedBy(SigningKey key, byte[] data) {
        return new Headers().add(SIGNATURE_HEADER, Base64.getEncoder().encodeToString(key.sign(data)));
    }
}
