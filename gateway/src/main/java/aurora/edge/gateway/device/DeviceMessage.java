package aurora.edge.gateway.device;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One device message, parsed once where it enters: its topic, its JSON object, its position in the
 * device's stream and the self-description it carries. Every way in (MQTT today, MQTT-SN and relays
 * later) builds this, and every feature reads it instead of parsing the payload again.
 *
 * @param position   boot and seq, or null for a message that carries neither (accepted at most once)
 * @param metadata   what the device says about itself; only describes, never authenticates
 * @param claimedId  the payload's own {@code device_id}, or null when absent
 */
public record DeviceMessage(
        DeviceTopic topic,
        ObjectNode fields,
        @Nullable DevicePosition position,
        Metadata metadata,
        @Nullable String claimedId) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** Device-chosen text ends up in logs and audit events: printable ASCII only, bounded. */
    private static final int MAX_TEXT = 64;

    /**
     * What a device says about itself: firmware version, board, type, firmware stack, boot count (-1
     * when not said). Read under our short names ({@code fw}, {@code board}, {@code type}, {@code boot})
     * or AuroraSOC's ({@code firmware_version}, {@code board_family}, {@code device_type},
     * {@code boot_count}, and {@code firmware_stack}, which only stock AuroraSOC firmware sends);
     * the short name wins when a message has both.
     */
    public record Metadata(
            @Nullable String firmwareVersion,
            @Nullable String board,
            @Nullable String type,
            @Nullable String firmwareStack,
            long boot) {
        /** AuroraSOC's name for each short one. */
        static final Map<String, String> AURORASOC_NAMES =
                Map.of("fw", "firmware_version", "board", "board_family", "type", "device_type", "boot", "boot_count");
    }

    /** The outcome of parsing: a message, or the rejection that names what is wrong with it. */
    public sealed interface Parsed permits Ok, Bad {}

    public record Ok(DeviceMessage message) implements Parsed {}

    public record Bad(Rejection rejection, String detail) implements Parsed {}

    public String deviceId() {
        return topic.deviceId();
    }

    public Channel channel() {
        return topic.channel();
    }

    /** Parses a payload published on {@code topic}; never throws for any input. */
    public static Parsed parse(DeviceTopic topic, byte[] payload) {
        JsonNode json;
        try {
            json = JSON.readTree(payload);
        } catch (IOException e) {
            // Also covers bytes that are not UTF-8 (Jackson reports those as a CharConversionException).
            return new Bad(Rejection.MALFORMED_JSON, "bytes=" + payload.length);
        }
        if (json == null || !json.isObject()) {
            return new Bad(Rejection.NOT_A_JSON_OBJECT, "json_type=" + (json == null ? "empty" : json.getNodeType()));
        }
        ObjectNode fields = (ObjectNode) json;
        @Nullable DevicePosition position = null;
        if (topic.channel() != Channel.ATTESTATION) {
            // An attestation answer carries no seq: its request id and nonce are its replay protection.
            JsonNode seq = fields.get("seq");
            JsonNode boot = fields.get("boot");
            if (seq != null || boot != null) {
                if (seq == null || !isWholeNumber(seq) || seq.asLong() < 1) {
                    return new Bad(Rejection.SEQUENCE_INVALID, "seq=" + Printable.of(String.valueOf(seq)));
                }
                if (boot != null && (!isWholeNumber(boot) || boot.asLong() < 0)) {
                    return new Bad(Rejection.SEQUENCE_INVALID, "boot=" + Printable.of(String.valueOf(boot)));
                }
                position = new DevicePosition(boot == null ? 0 : boot.asLong(), seq.asLong());
            }
        }
        JsonNode claimed = fields.get("device_id");
        return new Ok(new DeviceMessage(
                topic, fields, position, metadataOf(fields), claimed == null ? null : claimed.asText()));
    }

    /** The alert severity; telemetry is informational, an alert without a known severity is medium. */
    public Severity severity() {
        if (channel() != Channel.ALERT) {
            return Severity.INFO;
        }
        // A badge read is an event, not an alarm, unless the reader says otherwise.
        Severity unsaid = topic.category().equals("access") ? Severity.INFO : Severity.MEDIUM;
        return Severity.parse(fields.path("severity").asText(null)).orElse(unsaid);
    }

    /** The device's own title, else its {@code kind}, else the message type. */
    public String title() {
        String title = fields.path("title").asText("");
        if (!title.isEmpty()) {
            return title;
        }
        String kind = fields.path("kind").asText("");
        return kind.isEmpty() ? topic.messageType() + " from " + deviceId() : kind + " on " + deviceId();
    }

    private static Metadata metadataOf(ObjectNode fields) {
        long boot = count(fields, "boot");
        return new Metadata(
                said(fields, "fw"),
                said(fields, "board"),
                said(fields, "type"),
                text(fields, "firmware_stack"),
                boot >= 0 ? boot : count(fields, Objects.requireNonNull(Metadata.AURORASOC_NAMES.get("boot"))));
    }

    /** The value under our short name, else under AuroraSOC's name for it. */
    private static @Nullable String said(ObjectNode fields, String shortName) {
        String value = text(fields, shortName);
        return value != null
                ? value
                : text(fields, Objects.requireNonNull(Metadata.AURORASOC_NAMES.get(shortName), shortName));
    }

    private static long count(ObjectNode fields, String name) {
        JsonNode n = fields.get(name);
        return n != null && isWholeNumber(n) && n.asLong() >= 0 ? n.asLong() : -1;
    }

    private static boolean isWholeNumber(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToLong();
    }

    private static @Nullable String text(ObjectNode fields, String name) {
        JsonNode v = fields.get(name);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            return null;
        }
        String s = v.asText();
        return Printable.of(s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s);
    }
}
