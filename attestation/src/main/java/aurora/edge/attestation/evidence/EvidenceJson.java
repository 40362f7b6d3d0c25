package aurora.edge.attestation.evidence;

import aurora.edge.attestation.EvidenceLayout;
import aurora.edge.attestation.JsonInput;
import aurora.edge.attestation.ProblemException;
import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.mcuboot.ImageVersion;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code aurora-v1} evidence JSON: {@code {"request_id","device_id","nonce","fw_hash","fw_version",
 * "security_counter","boot","signer","layout","sig"}}. Every field is required; unknown fields
 * are ignored (a newer device may add some, and they are not signed so they cannot matter).
 */
final class EvidenceJson {
    /** Generous for about 500 bytes of real evidence; the gateway should cap earlier. */
    static final int MAX_BYTES = 2048;
    /** Largest DER encoding of an ECDSA P-256 signature. */
    static final int MAX_SIGNATURE_BYTES = 72;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EvidenceJson() {}

    static Evidence read(byte[] json) throws ProblemException {
        JsonInput root = JsonInput.parse(json, MAX_BYTES, JsonInput.Kind.MESSAGE);
        String requestId = root.text("request_id");
        if (!Challenge.REQUEST_ID.matcher(requestId).matches()) {
            throw root.fail("request_id", "must match [A-Za-z0-9_-]{1,64}, found " + ProblemException.quote(requestId));
        }
        String layoutName = root.text("layout");
        if (!layoutName.equals(EvidenceLayout.AURORA_V1.json())) {
            // Stock AuroraSOC evidence has a JSON shape of its own (AuroraSocEvidence), not this one with another
            // label.
            throw root.fail("layout", "must be \"aurora-v1\", found " + ProblemException.quote(layoutName));
        }
        Claims claims = claims(root);
        return new Evidence(requestId, claims, signature(root));
    }

    private static Claims claims(JsonInput root) throws ProblemException {
        String deviceId = root.text("device_id");
        Nonce nonce;
        try {
            nonce = Nonce.fromBase64Url(root.text("nonce"));
        } catch (IllegalArgumentException e) {
            throw root.fail("nonce", ProblemException.messageOf(e));
        }
        ImageVersion version;
        try {
            version = ImageVersion.parse(root.text("fw_version"));
        } catch (IllegalArgumentException e) {
            throw root.fail("fw_version", ProblemException.messageOf(e));
        }
        Sha256 hash = root.sha256("fw_hash");
        Sha256 signer = root.sha256("signer");
        long securityCounter = root.unsigned("security_counter", 0xffff_ffffL);
        long boot = root.unsigned("boot", 0xffff_ffffL);
        try {
            return new Claims(deviceId, nonce, hash, version, securityCounter, boot, signer);
        } catch (IllegalArgumentException e) {
            throw root.fail("device_id", ProblemException.messageOf(e));
        }
    }

    private static byte[] signature(JsonInput root) throws ProblemException {
        String text = root.text("sig");
        int maxChars = (MAX_SIGNATURE_BYTES * 4 + 2) / 3;
        if (text.isEmpty()
                || text.length() > maxChars
                || !text.chars().allMatch(Nonce::isBase64UrlChar)
                || text.length() % 4 == 1) {
            throw root.fail(
                    "sig",
                    "must be 1.." + maxChars + " characters of unpadded base64url, found "
                            + ProblemException.quote(text));
        }
        byte[] signature = Base64.getUrlDecoder().decode(text);
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(signature).equals(text)) {
            throw root.fail(
                    "sig", "must be canonical base64url (unused bits zero), found " + ProblemException.quote(text));
        }
        return signature;
    }

    static byte[] write(Evidence evidence) {
        Claims claims = evidence.claims();
        var node = MAPPER.createObjectNode()
                .put("request_id", evidence.requestId())
                .put("device_id", claims.deviceId())
                .put("nonce", claims.nonce().base64Url())
                .put("fw_hash", claims.firmwareHash().hex())
                .put("fw_version", claims.firmwareVersion().toString())
                .put("security_counter", claims.securityCounter())
                .put("boot", claims.bootCount())
                .put("signer", claims.signer().hex())
                .put("layout", EvidenceLayout.AURORA_V1.json())
                .put("sig", Base64.getUrlEncoder().withoutPadding().encodeToString(evidence.signature()));
        try {
            return MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }
}
