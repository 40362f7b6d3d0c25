package aurora.edge.gateway.outbox;

import aurora.edge.gateway.device.Severity;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Builds the AuroraSOC normalized event (ARCHITECTURE §3) that every sink forwards byte for byte:
 * {@code {id, source, severity, category, title, description, fields{}, iocs[], mitre_techniques[],
 * timestamp_ms, device_id}} plus the gateway's enrichment ({@code message_type, gateway_id,
 * site_id, received_at}).
 */
public final class NormalizedEvent {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode node = JSON.createObjectNode();

    private NormalizedEvent() {}

    /**
     * @param source     {@code mqtt} for device messages, {@code gateway} for the gateway's own events
     * @param category   {@code cps} for device data, {@code audit} for audit events
     */
    public static NormalizedEvent of(String source, String category, Severity severity, String messageType,
                                     String gatewayId, String siteId, Instant receivedAt) {
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
        e.node.put("received_at", receivedAt.toString());
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

    /** How far the gateway trusts the device that sent it ({@code trusted}, {@code pending}, {@code quarantined}, …). */
    public NormalizedEvent trust(String trust) {
        node.put("trust", trust);
        return this;
    }

    /** The event's own fields (for device messages, the device's payload as sent). */
    public ObjectNode fields() {
        return (ObjectNode) node.get("fields");
    }

    public NormalizedEvent fields(ObjectNode fields) {
        node.set("fields", fields);
        return this;
    }

    /** Serialises with the final message id in place. */
    public byte[] render(String messageId) {
        node.put("id", messageId);
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialise", e);
        }
    }
}
