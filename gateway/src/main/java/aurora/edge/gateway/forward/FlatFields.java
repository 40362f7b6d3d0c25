package aurora.edge.gateway.forward;

import aurora.edge.gateway.outbox.OutboxRecord;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The flat {@code severity}, {@code source} and {@code category} of a Redis entry, read from the
 * top level of the event it carries, so they always equal the ones inside {@code data} (AuroraSOC's
 * Rust publisher writes both and consumers filter on the flat ones). Reading them from the event,
 * rather than deciding them again here, also keeps rows written by an older gateway consistent.
 * A streaming read of the top-level keys: nested values are skipped, not built.
 */
record FlatFields(String severity, String source, String category) {
    private static final JsonFactory JSON = new JsonFactory();

    static FlatFields of(OutboxRecord record) {
        String severity = null;
        String source = null;
        String category = null;
        try (JsonParser p = JSON.createParser(record.event())) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                // The gateway renders these three near the front: stop once all are seen, not at the end.
                while ((severity == null || source == null || category == null)
                        && p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (value == JsonToken.VALUE_STRING) {
                        switch (name) {
                            case "severity" -> severity = p.getText();
                            case "source" -> source = p.getText();
                            case "category" -> category = p.getText();
                            default -> {}
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            // The gateway wrote this JSON itself; an unreadable one falls back to what the row says.
        }
        return new FlatFields(
                severity != null ? severity : record.severity().wireName(),
                source != null ? source : (record.deviceId() != null ? "mqtt" : "gateway"),
                category != null ? category : "cps");
    }
}
