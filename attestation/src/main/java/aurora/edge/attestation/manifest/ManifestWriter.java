package aurora.edge.attestation.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Serialises a {@link Manifest} to the documented JSON form, with a fixed field order so the same
 * manifest always gives the same bytes (and so the same signature). Sign the returned bytes as
 * they are: the signature covers the file, never a re-serialisation of it.
 */
public final class ManifestWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ManifestWriter() {}

    public static byte[] write(Manifest manifest) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", Manifest.FORMAT);
        root.put("manifest_version", Manifest.FORMAT_VERSION);
        root.put("sequence", manifest.sequence());
        root.put("issued_at", manifest.issuedAt().toString());
        root.put("expires_at", manifest.expiresAt().toString());
        ArrayNode signers = root.putArray("signers");
        for (AcceptedSigner signer : manifest.signers()) {
            ObjectNode node =
                    signers.addObject().put("key_hash", signer.keyHash().hex());
            signer.publicKey()
                    .ifPresent(k -> node.put("public_key", Base64.getEncoder().encodeToString(k.spki())));
        }
        ObjectNode boards = root.putObject("boards");
        for (BoardPolicy policy : manifest.boards().values()) {
            ObjectNode board = boards.putObject(policy.board());
            board.put("min_security_counter", policy.minSecurityCounter());
            ArrayNode images = board.putArray("images");
            for (ManifestImage image : policy.images()) {
                ObjectNode node = images.addObject()
                        .put("image_hash", image.hash().hex())
                        .put("hash_alg", "sha-256")
                        .put("version", image.version().toString())
                        .put("security_counter", image.securityCounter())
                        .put("size", image.size())
                        .put("signer", image.signer().hex())
                        .put("status", image.status().json());
                if (!image.reason().isEmpty()) {
                    node.put("reason", image.reason());
                }
            }
        }
        return pretty(root);
    }

    static byte[] pretty(ObjectNode root) {
        try {
            String text = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
            return (text.replace("\r\n", "\n") + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }
}
