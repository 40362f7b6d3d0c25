package aurora.edge.gateway.federation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * AuroraSOC's own IOC shape on {@code AURORA.ioc_sharing}, besides STIX 2.1 indicators:
 * {@code {"type":"hash_sha256","value":"…", "id"?, "source"?, "confidence"?, "status"?, …}} with
 * the types of its IOC model. A {@code hash_sha256} is a firmware hash the gateway revokes; every
 * other type is valid but of no use to a gateway (acknowledged and counted, never poison). An IOC
 * whose {@code status} says it is no longer active (expired, a false positive) revokes nothing.
 */
final class AuroraSocIoc {
    /** AuroraSOC's {@code IOCType}. */
    static final Set<String> TYPES = Set.of(
            "ip",
            "domain",
            "url",
            "hash_md5",
            "hash_sha1",
            "hash_sha256",
            "email",
            "cve",
            "file_path",
            "registry_key",
            "mutex",
            "user_agent");

    private static final Pattern SHA256 = Pattern.compile("[0-9A-Fa-f]{64}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private AuroraSocIoc() {}

    /** Whether this JSON object is in AuroraSOC's IOC shape (a known IOC type), not a STIX object. */
    static boolean isOne(JsonNode node) {
        return TYPES.contains(node.path("type").asText()) && node.has("value");
    }

    static IocParser.Parsed parse(JsonNode node) {
        String type = node.path("type").asText();
        JsonNode value = node.get("value");
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            return new IocParser.Parsed.Poison("AuroraSOC IOC without a string value");
        }
        String status = node.path("status").asText("active").toLowerCase(Locale.ROOT);
        if (!"hash_sha256".equals(type) || !status.equals("active")) {
            return new IocParser.Parsed.NotOurs("aurorasoc:" + type);
        }
        if (!SHA256.matcher(value.asText()).matches()) {
            return new IocParser.Parsed.Poison("hash_sha256 IOC whose value is not 64 hex digits");
        }
        String hash = value.asText().toLowerCase(Locale.ROOT);
        // Their IOCs are deduplicated on type + value; without an id of its own, that pair names it (replays are
        // recognised).
        String given = node.path("id").asText("");
        String id = ID.matcher(given).matches() ? "aurorasoc-ioc--" + given : "aurorasoc-ioc--hash_sha256:" + hash;
        return new IocParser.Parsed.Actionable(new Ioc(id, Ioc.Kind.FIRMWARE_HASH, hash));
    }
}
