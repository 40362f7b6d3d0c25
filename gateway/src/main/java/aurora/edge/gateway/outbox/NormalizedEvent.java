package aurora.edge.gateway.outbox;

import aurora.edge.gateway.device.Correlation;
import aurora.edge.gateway.device.Severity;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Builds the AuroraSOC normalized event (ARCHITECTURE §3, docs/aurorasoc.md) that every sink
 * forwards byte for byte: the Rust core's {@code NormalizedEvent} {@code {id, source, severity,
 * category, title, description, fields{}, iocs[], mitre_techniques[], timestamp_ms, device_id}} plus
 * the gateway's enrichment ({@code message_type, gateway_id, site_id, received_at, trust}).
 *
 * <p>Two rules keep both kinds of AuroraSOC consumer working. {@code fields} is a map of strings, as
 * the Rust struct declares it ({@code HashMap<String, String>}): numbers, booleans and nested values
 * are rendered as their JSON text. And a device's own payload keys are also copied, with their JSON
 * types, to the top level where they do not clash with the event's keys, because the seed's Python
 * bridge forwards the payload itself (a consumer written for it reads {@code data.temp_c}).
 *
 * <p>Who an event is from is decided here once: everything about a device (its data, and the
 * gateway's verdicts and alerts about it) is {@code source:"mqtt"}, {@code category:"cps"}, so
 * AuroraSOC routes it to its CPS handling; only the gateway's events about itself carry
 * {@code source:"gateway"}.
 */
public final class NormalizedEvent {
    /** {@code source} of everything about a device: AuroraSOC pulls in its CPS agent for it. */
    public static final String SOURCE_DEVICE = "mqtt";
    /** {@code source} of the gateway's events about itself (a stalled sink, a manifest replaced). */
    public static final String SOURCE_GATEWAY = "gateway";
    /** {@code category} of everything about a device. */
    public static final String CATEGORY_CPS = "cps";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode node = JSON.createObjectNode();
    private @Nullable ObjectNode payload;
    /**
     * Whether {@code fields} is still the device's payload itself (not copied): a device event's
     * fields are only read, so the copy is made only when someone asks for {@link #fields()}.
     */
    private boolean fieldsArePayload;

    private NormalizedEvent() {}

    /** A device's own message (telemetry, alert, status, attestation answer, or its data held). */
    public static NormalizedEvent fromDevice(
            String deviceId,
            Severity severity,
            String messageType,
            String gatewayId,
            String siteId,
            Instant receivedAt) {
        return fromDevice(deviceId, CATEGORY_CPS, severity, messageType, gatewayId, siteId, receivedAt);
    }

    /** A device's own message in another AuroraSOC category than {@code cps} (badge reads are {@code access}). */
    public static NormalizedEvent fromDevice(
            String deviceId,
            String category,
            Severity severity,
            String messageType,
            String gatewayId,
            String siteId,
            Instant receivedAt) {
        return of(SOURCE_DEVICE, category, severity, messageType, gatewayId, siteId, receivedAt)
                .deviceId(deviceId);
    }

    /**
     * An event the gateway raises. About a device it is that device's CPS event ({@code mqtt}/{@code cps});
     * about the gateway itself it is {@code gateway}/{@code ownCategory}.
     *
     * @param deviceId null for events about the gateway itself
     */
    public static NormalizedEvent fromGateway(
            @Nullable String deviceId,
            String ownCategory,
            Severity severity,
            String messageType,
            String gatewayId,
            String siteId,
            Instant at) {
        if (deviceId != null) {
            return fromDevice(deviceId, severity, messageType, gatewayId, siteId, at);
        }
        return of(SOURCE_GATEWAY, ownCategory, severity, messageType, gatewayId, siteId, at);
    }

    static NormalizedEvent of(
            String source,
            String category,
            Severity severity,
            String messageType,
            String gatewayId,
            String siteId,
            Instant receivedAt) {
        NormalizedEvent e = new NormalizedEvent();
        e.node.putNull("id");
        e.node.put("source", source);
        e.node.put("severity", severity.wireName());
        e.node.put("category", category);
        e.node.put("title", "");
        e.node.put("description", "");
        e.node.putObject("fields");
        e.node.putArray("iocs");
        e.node.putArray("mitre_techniques");
        e.node.put("timestamp_ms", receivedAt.toEpochMilli());
        e.node.putNull("device_id");
        e.node.put("message_type", messageType);
        e.node.put("gateway_id", gatewayId);
        e.node.put("site_id", siteId);
        e.node.put("received_at", IsoInstant.format(receivedAt)); // = receivedAt.toString(), without its formatter
        return e;
    }

    public NormalizedEvent deviceId(@Nullable String deviceId) {
        node.put("device_id", deviceId);
        return this;
    }

    public NormalizedEvent title(String title) {
        node.put("title", title);
        return this;
    }

    public NormalizedEvent description(String description) {
        node.put("description", description);
        return this;
    }

    /**
     * The relay that carried a device's message ({@code relay_id}, a string like every envelope
     * field); nothing when the device sent it itself.
     */
    public NormalizedEvent relay(@Nullable String relayId) {
        if (relayId != null) {
            node.put("relay_id", relayId);
        }
        return this;
    }

    /** How far the gateway trusts the device that sent it ({@code trusted}, {@code pending}, {@code quarantined}, …). */
    public NormalizedEvent trust(String trust) {
        node.put("trust", trust);
        return this;
    }

    /**
     * The AuroraSOC correlation type ({@code correlation_type}, also in {@code fields}) and the MITRE
     * ATT&amp;CK techniques of an alert; {@link Correlation#NONE} adds nothing.
     */
    public NormalizedEvent correlation(Correlation correlation) {
        if (correlation.type() != null) {
            node.put("correlation_type", correlation.type());
            fields().put("correlation_type", correlation.type());
        }
        ArrayNode techniques = (ArrayNode) node.get("mitre_techniques");
        correlation.mitreTechniques().forEach(techniques::add);
        return this;
    }

    /** The event's own fields (for gateway events, the code and details). Rendered as strings. */
    public ObjectNode fields() {
        if (fieldsArePayload) {
            node.set("fields", Objects.requireNonNull(payload).deepCopy());
            fieldsArePayload = false;
        }
        return (ObjectNode) node.get("fields");
    }

    /**
     * A device's payload as sent: under {@code fields}, and its keys copied to the top level where
     * free. The payload is read when the event is rendered, not copied: it must not change until then.
     */
    public NormalizedEvent payload(ObjectNode devicePayload) {
        this.payload = devicePayload;
        this.fieldsArePayload = true;
        return this;
    }

    /**
     * Serialises with the final message id in place. Written field by field with a streaming
     * generator (no copy of the event or of the payload): the bytes are those of the event as a tree
     * ({@code id} set, {@code fields} as strings, the payload's free keys appended in its order).
     */
    public byte[] render(String messageId) {
        ObjectNode fields = fieldsArePayload ? Objects.requireNonNull(payload) : (ObjectNode) node.get("fields");
        ExactBytes out = new ExactBytes();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String key = e.getKey();
                g.writeFieldName(key);
                if (key.equals("id")) {
                    g.writeString(messageId);
                } else if (key.equals("fields")) {
                    writeAsStrings(g, fields);
                } else {
                    writeValue(g, e.getValue());
                }
            }
            if (payload != null) {
                for (Map.Entry<String, JsonNode> e : payload.properties()) {
                    if (!node.has(e.getKey())) {
                        g.writeFieldName(e.getKey());
                        writeValue(g, e.getValue());
                    }
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a JSON event failed to serialise", e);
        }
        return out.bytes;
    }

    /**
     * Where {@link #render} writes: the generator fills its own (recycled) buffer and hands it over
     * once, when closed, for any event under its 8,000 bytes; this keeps exactly those bytes, one
     * array. A {@code ByteArrayBuilder} grew through two blocks (256 B, then ~1 KB) and copied them
     * into the result: ~2 KB of garbage per device message, rendered on the intake thread
     * (bench/README.md "Allocation per message").
     */
    private static final class ExactBytes extends OutputStream {
        private byte[] bytes = new byte[0];

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            byte[] joined = Arrays.copyOf(bytes, bytes.length + len);
            System.arraycopy(b, off, joined, bytes.length, len);
            bytes = joined;
        }
    }

    /**
     * The same event as a tree (copies everything): what {@link #render} writes, byte for byte, when
     * serialised; kept as the reference the streaming rendering is tested against.
     */
    ObjectNode asTree(String messageId) {
        ObjectNode out = node.deepCopy();
        out.put("id", messageId);
        ObjectNode fields = fieldsArePayload ? Objects.requireNonNull(payload) : (ObjectNode) node.get("fields");
        ObjectNode strings = out.putObject("fields");
        for (Map.Entry<String, JsonNode> e : fields.properties()) {
            JsonNode v = e.getValue() instanceof POJONode pojo ? JSON.valueToTree(pojo.getPojo()) : e.getValue();
            strings.put(e.getKey(), v.isTextual() ? v.asText() : v.toString());
        }
        if (payload != null) {
            for (Map.Entry<String, JsonNode> e : payload.properties()) {
                if (!out.has(e.getKey())) {
                    out.set(e.getKey(), e.getValue().deepCopy());
                }
            }
        }
        return out;
    }

    /** {@code fields} as the Rust core reads it: every value a string (JSON text for anything but a string). */
    private static void writeAsStrings(JsonGenerator g, ObjectNode fields) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, JsonNode> e : fields.properties()) {
            g.writeFieldName(e.getKey());
            g.writeString(asString(e.getValue()));
        }
        g.writeEndObject();
    }

    private static String asString(JsonNode value) {
        JsonNode v = value instanceof POJONode pojo ? JSON.valueToTree(pojo.getPojo()) : value;
        if (v.isTextual()) {
            return v.asText();
        }
        // The common scalars without a serialiser round trip; their text is the JSON text.
        if (v instanceof IntNode || v instanceof LongNode || v instanceof BooleanNode || v instanceof NullNode) {
            return v.asText();
        }
        if (v instanceof DoubleNode && Double.isFinite(v.doubleValue())) {
            return v.asText(); // the same digits as the serialiser writes (not NaN or infinity: those it quotes)
        }
        return v.toString();
    }

    private static void writeValue(JsonGenerator g, JsonNode v) throws IOException {
        if (v.isTextual()) {
            g.writeString(v.textValue());
        } else if (v instanceof IntNode || v instanceof LongNode) {
            g.writeNumber(v.longValue());
        } else if (v instanceof DoubleNode) {
            g.writeNumber(v.doubleValue()); // what DoubleNode.serialize does, without a serializer provider per value
        } else if (v instanceof BooleanNode) {
            g.writeBoolean(v.booleanValue());
        } else if (v instanceof NullNode) {
            g.writeNull();
        } else if (v.isArray()) {
            g.writeStartArray();
            for (JsonNode element : v) {
                writeValue(g, element);
            }
            g.writeEndArray();
        } else if (v.isObject()) {
            g.writeStartObject();
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                g.writeFieldName(e.getKey());
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else {
            JSON.writeTree(g, v); // floats, big numbers, binary, POJOs: Jackson's own serialisers
        }
    }
}
