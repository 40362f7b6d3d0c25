package aurora.edge.gateway.federation;

import aurora.edge.attestation.DeviceId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the STIX 2.1-like indicators shared on {@code AURORA.ioc_sharing}. Two patterns concern a
 * gateway: a firmware hash ({@code [x-aurora-firmware:sha256 = '…']} or
 * {@code [file:hashes.'SHA-256' = '…']}) and a device ({@code [x-aurora-device:id = '…']}).
 * Other indicators are valid but not ours; anything unreadable is poison. STIX {@code revoked}
 * (a boolean) withdraws the indicator; {@code valid_until} (an RFC 3339 time) ends it. AuroraSOC's
 * own IOC shape ({@code {"type":"hash_sha256","value":…}}) is read by {@link AuroraSocIoc}.
 */
final class IocParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BYTES = 64 * 1024;
    private static final Pattern FIRMWARE = Pattern.compile(
            "\\[\\s*(?:x-aurora-firmware:sha256|file:hashes\\.'SHA-256')\\s*=\\s*'([0-9A-Fa-f]{64})'\\s*]");
    private static final Pattern DEVICE = Pattern.compile("\\[\\s*x-aurora-device:id\\s*=\\s*'([^']*)'\\s*]");
    /** {@code indicator--} and a UUID in STIX; bounded and plain here, so an id is safe in logs, audit events and URLs. */
    private static final Pattern ID = Pattern.compile("indicator--[A-Za-z0-9._-]{1,128}");

    private static final Pattern OURS =
            Pattern.compile("\\[\\s*(x-aurora-firmware|x-aurora-device|file:hashes\\.'SHA-256')");

    /** What a message on the IOC subject turned out to be. */
    sealed interface Parsed {
        record Actionable(Ioc ioc) implements Parsed {}

        /** A valid indicator about something else (an IP, a domain, …): acknowledged and ignored. */
        record NotOurs(String id) implements Parsed {}

        /** Unreadable or self-contradictory: terminated so it is never redelivered, and audited. */
        record Poison(String reason) implements Parsed {}
    }

    Parsed parse(byte[] data) {
        if (data.length > MAX_BYTES) {
            return new Parsed.Poison("larger than " + MAX_BYTES + " bytes");
        }
        JsonNode node;
        try {
            node = JSON.readTree(data);
        } catch (IOException e) {
            return new Parsed.Poison("not JSON");
        }
        if (node == null || !node.isObject()) {
            return new Parsed.Poison("not a JSON object");
        }
        if (AuroraSocIoc.isOne(node)) {
            return AuroraSocIoc.parse(node);
        }
        if (!"indicator".equals(node.path("type").asText())) {
            return new Parsed.Poison("type is not \"indicator\"");
        }
        String id = node.path("id").asText("");
        String pattern = node.path("pattern").asText("");
        if (!id.startsWith("indicator--") || pattern.isEmpty()) {
            return new Parsed.Poison("indicator without an indicator--… id or a pattern");
        }
        if (!ID.matcher(id).matches()) {
            return new Parsed.Poison("indicator id is not indicator--[A-Za-z0-9._-]{1,128}");
        }
        JsonNode revokedNode = node.path("revoked");
        if (!revokedNode.isMissingNode() && !revokedNode.isBoolean()) {
            return new Parsed.Poison("revoked is not a boolean");
        }
        boolean revoked = revokedNode.asBoolean(false);
        Instant validUntil = null;
        JsonNode until = node.path("valid_until");
        if (!until.isMissingNode() && !until.isNull()) {
            try {
                validUntil = until.isTextual() ? Instant.parse(until.asText()) : null;
            } catch (DateTimeParseException e) {
                validUntil = null;
            }
            if (validUntil == null) {
                return new Parsed.Poison("valid_until is not an RFC 3339 time");
            }
        }
        Matcher firmware = FIRMWARE.matcher(pattern);
        if (firmware.matches()) {
            return new Parsed.Actionable(new Ioc(
                    id, Ioc.Kind.FIRMWARE_HASH, firmware.group(1).toLowerCase(Locale.ROOT), revoked, validUntil));
        }
        Matcher device = DEVICE.matcher(pattern);
        if (device.matches()) {
            return DeviceId.isValid(device.group(1))
                    ? new Parsed.Actionable(new Ioc(id, Ioc.Kind.DEVICE_ID, device.group(1), revoked, validUntil))
                    : new Parsed.Poison("device id in the pattern does not match [A-Za-z0-9_-]{1,64}");
        }
        return OURS.matcher(pattern).lookingAt()
                ? new Parsed.Poison("malformed aurora pattern")
                : new Parsed.NotOurs(id);
    }
}
