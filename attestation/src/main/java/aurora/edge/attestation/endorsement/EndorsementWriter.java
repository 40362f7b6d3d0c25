package aurora.edge.attestation.endorsement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Serialises an {@link EndorsementList} with a fixed field order, one device per line, so that
 * the same list always gives the same bytes and diffs stay readable. Sign the returned bytes.
 */
public final class EndorsementWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EndorsementWriter() {}

    public static byte[] write(EndorsementList list) {
        StringBuilder out = new StringBuilder(128 + 200 * list.size());
        out.append("{\n  \"format\": \"")
                .append(EndorsementList.FORMAT)
                .append("\",\n")
                .append("  \"format_version\": ")
                .append(EndorsementList.FORMAT_VERSION)
                .append(",\n")
                .append("  \"sequence\": ")
                .append(list.sequence())
                .append(",\n")
                .append("  \"issued_at\": \"")
                .append(list.issuedAt())
                .append("\",\n")
                .append("  \"devices\": [");
        String separator = "\n    ";
        for (EndorsedDevice device : list.devices()) {
            ObjectNode node = MAPPER.createObjectNode()
                    .put("device_id", device.deviceId())
                    .put("board", device.board())
                    .put(
                            "public_key",
                            Base64.getEncoder()
                                    .encodeToString(device.publicKey().spki()));
            device.declaredProtocol().ifPresent(p -> node.put("protocol", p.json()));
            if (device.role() != DeviceRole.DEVICE) {
                node.put("role", device.role().json());
            }
            device.boundRelay().ifPresent(r -> node.put("relay", r));
            out.append(separator).append(compact(node));
            separator = ",\n    ";
        }
        out.append(list.size() == 0 ? "]\n}\n" : "\n  ]\n}\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String compact(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }
}
