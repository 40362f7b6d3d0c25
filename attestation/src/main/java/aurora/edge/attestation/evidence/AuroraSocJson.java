package aurora.edge.attestation.evidence;

import aurora.edge.attestation.JsonInput;
import aurora.edge.attestation.Problem;
import aurora.edge.attestation.ProblemException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes stock AuroraSOC evidence JSON. Required: {@code device_id}, {@code firmware_hash},
 * {@code boot_count}, {@code signature_hex}; {@code nonce} may be missing or null in an unsolicited
 * self-report (then the signed text ends with the boot count, as AuroraSOC's verifier does it);
 * {@code board_family}, {@code firmware_stack}, {@code firmware_version} are optional; unknown
 * fields are ignored (unsigned, so they cannot matter).
 */
final class AuroraSocJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AuroraSocJson() {}

    static AuroraSocEvidence read(byte[] json) throws ProblemException {
        JsonInput root = JsonInput.parse(json, EvidenceJson.MAX_BYTES, JsonInput.Kind.MESSAGE);
        String deviceId = root.text("device_id");
        String hash = root.text("firmware_hash");
        if (hash.length() != 64 || !hash.chars().allMatch(AuroraSocEvidence::isHex)) {
            throw root.fail("firmware_hash", "must be 64 hex digits, found " + ProblemException.quote(hash));
        }
        long boot = root.unsigned("boot_count", Long.MAX_VALUE);
        String nonce = root.optionalText("nonce").orElse("");
        byte[] signature = signature(root);
        try {
            return new AuroraSocEvidence(
                    deviceId,
                    hash,
                    boot,
                    nonce,
                    root.optionalText("board_family").orElse(null),
                    root.optionalText("firmware_stack").orElse(null),
                    root.optionalText("firmware_version").orElse(null),
                    signature);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.MESSAGE_SCHEMA, ProblemException.messageOf(e));
        }
    }

    private static byte[] signature(JsonInput root) throws ProblemException {
        String text = root.text("signature_hex");
        int maxChars = 2 * EvidenceJson.MAX_SIGNATURE_BYTES;
        if (text.isEmpty()
                || text.length() > maxChars
                || text.length() % 2 != 0
                || !text.chars().allMatch(AuroraSocEvidence::isHex)) {
            throw root.fail(
                    "signature_hex",
                    "must be an even number (2.." + maxChars + ") of hex digits, found "
                            + ProblemException.quote(text.length() > 160 ? text.substring(0, 160) + "..." : text));
        }
        return HexFormat.of().parseHex(text);
    }

    static byte[] write(AuroraSocEvidence e) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("device_id", e.deviceId())
                .put("firmware_hash", e.firmwareHashText())
                .put("boot_count", e.bootCount())
                .put("signature_hex", HexFormat.of().formatHex(e.signature()));
        if (!e.nonce().isEmpty()) {
            node.put("nonce", e.nonce());
        }
        putIfPresent(node, "board_family", e.boardFamily());
        putIfPresent(node, "firmware_stack", e.firmwareStack());
        putIfPresent(node, "firmware_version", e.firmwareVersion());
        try {
            return MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", ex);
        }
    }

    private static void putIfPresent(ObjectNode node, String field, @Nullable String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
