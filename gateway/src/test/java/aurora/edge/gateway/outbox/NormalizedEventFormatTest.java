package aurora.edge.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.gateway.device.Correlation;
import aurora.edge.gateway.device.Severity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The event pinned, field by field, to the documented AuroraSOC contract (reference aurorasoc.md §4.1,
 * the Rust core's {@code NormalizedEvent}: {@code id: String, source: String, severity: String,
 * category: String, title: String, description: String, fields: HashMap<String, String>,
 * iocs: Vec<String>, mitre_techniques: Vec<String>, timestamp_ms: i64, device_id: Option<String>})
 * and to the seed's Python bridge (the payload's own keys plus {@code device_id} and {@code message_type}).
 */
class NormalizedEventFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-11-26T10:15:30.123Z");

    private static JsonNode render(NormalizedEvent e, String id) throws Exception {
        return JSON.readTree(e.render(id));
    }

    private static void assertDocumentedNormalizedEvent(JsonNode e) {
        assertThat(e.get("id").isTextual()).as("id: String").isTrue();
        assertThat(e.get("source").isTextual()).as("source: String").isTrue();
        assertThat(e.get("severity").asText()).as("severity").isIn("critical", "high", "medium", "low", "info");
        assertThat(e.get("category").asText())
                .as("category")
                .isIn("cps", "network", "endpoint", "identity", "cloud", "audit");
        assertThat(e.get("title").isTextual()).as("title: String").isTrue();
        assertThat(e.get("description").isTextual()).as("description: String").isTrue();
        assertThat(e.get("fields").isObject()).as("fields: HashMap").isTrue();
        e.get("fields")
                .properties()
                .forEach(f -> assertThat(f.getValue().isTextual())
                        .as("fields." + f.getKey() + ": String")
                        .isTrue());
        assertThat(e.get("iocs").isArray()).as("iocs: Vec").isTrue();
        e.get("iocs").forEach(v -> assertThat(v.isTextual()).isTrue());
        assertThat(e.get("mitre_techniques").isArray())
                .as("mitre_techniques: Vec")
                .isTrue();
        e.get("mitre_techniques").forEach(v -> assertThat(v.isTextual()).isTrue());
        assertThat(e.get("timestamp_ms").isIntegralNumber())
                .as("timestamp_ms: i64")
                .isTrue();
        assertThat(e.get("device_id").isTextual() || e.get("device_id").isNull())
                .as("device_id: Option<String>")
                .isTrue();
    }

    @Test
    void aDeviceReadingIsTheDocumentedNormalizedEventWithThePayloadAlsoAtTheTopLevel() throws Exception {
        ObjectNode payload = (ObjectNode)
                JSON.readTree(
                        "{\"seq\":7,\"boot\":3,\"temp_c\":21.5,\"ok\":true,\"severity\":\"bogus\",\"id\":\"device-says\",\"pos\":{\"x\":1}}");
        JsonNode e = render(
                NormalizedEvent.fromDevice("sensor-0042", Severity.INFO, "telemetry", "gw-a", "site-a", AT)
                        .title("telemetry from sensor-0042")
                        .trust("trusted")
                        .payload(payload),
                "site-a:sensor-0042:3:7");

        assertDocumentedNormalizedEvent(e);
        assertThat(e.get("id").asText()).isEqualTo("site-a:sensor-0042:3:7");
        assertThat(e.get("source").asText()).isEqualTo("mqtt");
        assertThat(e.get("category").asText()).isEqualTo("cps");
        assertThat(e.get("severity").asText()).isEqualTo("info");
        assertThat(e.get("timestamp_ms").asLong()).isEqualTo(AT.toEpochMilli());
        assertThat(e.get("device_id").asText()).isEqualTo("sensor-0042");
        assertThat(e.get("message_type").asText()).isEqualTo("telemetry");
        assertThat(e.get("fields"))
                .isEqualTo(
                        JSON.readTree(
                                "{\"seq\":\"7\",\"boot\":\"3\",\"temp_c\":\"21.5\",\"ok\":\"true\",\"severity\":\"bogus\",\"id\":\"device-says\",\"pos\":\"{\\\"x\\\":1}\"}"));
        // The seed's consumers read the payload at the top level, with its JSON types; the event's own keys win a
        // clash.
        assertThat(e.get("temp_c").asDouble()).isEqualTo(21.5);
        assertThat(e.get("temp_c").isNumber()).isTrue();
        assertThat(e.get("ok").isBoolean()).isTrue();
        assertThat(e.get("seq").asLong()).isEqualTo(7);
        assertThat(e.get("pos").get("x").asInt()).isEqualTo(1);
        assertThat(e.get("severity").asText()).isEqualTo("info");
        assertThat(e.get("id").asText()).isEqualTo("site-a:sensor-0042:3:7");
    }

    @Test
    void aQuarantineAlertAboutADeviceIsThatDevicesCpsEventWithItsCorrelation() throws Exception {
        NormalizedEvent alert = NormalizedEvent.fromGateway(
                        "sensor-0042", "cps", Severity.CRITICAL, "alerts", "gw-a", "site-a", AT)
                .title("device quarantined: attestation UNKNOWN_FIRMWARE (unknown_hash)");
        alert.fields().put("code", "DEVICE_QUARANTINED");
        alert.fields().putPOJO("quarantined", true);
        alert.correlation(new Correlation(Correlation.FIRMWARE_MISMATCH, List.of("T1542", "T0857")));
        JsonNode e = render(alert, "gw-a:e1234abcd:9");

        assertDocumentedNormalizedEvent(e);
        assertThat(e.get("source").asText()).isEqualTo("mqtt");
        assertThat(e.get("category").asText()).isEqualTo("cps");
        assertThat(e.get("message_type").asText()).isEqualTo("alerts");
        assertThat(e.get("mitre_techniques")).extracting(JsonNode::asText).containsExactly("T1542", "T0857");
        assertThat(e.get("correlation_type").asText()).isEqualTo("FIRMWARE_MISMATCH");
        assertThat(e.get("fields").get("correlation_type").asText()).isEqualTo("FIRMWARE_MISMATCH");
        assertThat(e.get("fields").get("quarantined").asText()).isEqualTo("true");
        assertThat(e.has("code")).as("gateway details stay in fields").isFalse();
    }

    @Test
    void theGatewaysOwnHealthEventSaysGateway() throws Exception {
        NormalizedEvent stalled = NormalizedEvent.fromGateway(
                        null, "cps", Severity.HIGH, "alerts", "gw-a", "site-a", AT)
                .title("sink redis stopped advancing and was reconnected");
        Map.of("code", "SINK_STALLED", "sink", "redis").forEach(stalled.fields()::put);
        JsonNode e = render(stalled, "gw-a:e1234abcd:10");

        assertDocumentedNormalizedEvent(e);
        assertThat(e.get("source").asText()).isEqualTo("gateway");
        assertThat(e.get("device_id").isNull()).isTrue();
        assertThat(e.get("id").asText()).startsWith("gw-a:");
    }
}
