package aurora.edge.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.gateway.device.Correlation;
import aurora.edge.gateway.device.Severity;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The event is written with a streaming generator, without copying the payload or the event: its
 * bytes must be those of the event built as a tree and serialised, for every kind of payload value.
 */
class NormalizedEventStreamingRenderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-11-26T10:15:30.123Z");

    private static NormalizedEvent deviceEvent(ObjectNode payload) {
        return NormalizedEvent.fromDevice("sensor-0042", Severity.INFO, "telemetry", "gw-a", "site-a", AT)
                .title("telemetry from sensor-0042")
                .description("d\u00e9j\u00e0 \"quoted\" \\ \u0001")
                .trust("trusted")
                .payload(payload);
    }

    private static void assertSameBytesAsTheTree(NormalizedEvent event, String id) throws Exception {
        String streamed = new String(event.render(id), StandardCharsets.UTF_8);
        String tree = new String(JSON.writeValueAsBytes(event.asTree(id)), StandardCharsets.UTF_8);
        assertThat(streamed).isEqualTo(tree);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "{\"seq\":7,\"boot\":3,\"temp_c\":21.5,\"ok\":true,\"off\":false,\"n\":null}",
                "{\"big\":123456789012345678901234567890,\"neg\":-9223372036854775808,\"e\":1.0E-7,\"f\":1e300}",
                "{\"pos\":{\"x\":1,\"y\":[1,2.5,\"s\",null,{\"z\":true}]},\"list\":[]}",
                "{\"id\":\"device-says\",\"fields\":\"mine\",\"trust\":\"me\",\"severity\":\"bogus\",\"source\":1}",
                "{\"text\":\"line\\nbreak \\u00e9 \\ud83d\\ude00 \\\"q\\\" <tag>\",\"kind\":\"\"}",
                "{\"deep\":{\"a\":{\"b\":{\"c\":[[[]]]}}},\"zero\":0,\"minus\":-0.0}"
            })
    void aDeviceEventIsWrittenAsItsTreeWouldBe(String payload) throws Exception {
        assertSameBytesAsTheTree(deviceEvent((ObjectNode) JSON.readTree(payload)), "site-a:sensor-0042:3:7");
    }

    @Test
    void aGatewayEventWithDetailsAndACorrelationIsWrittenAsItsTreeWouldBe() throws Exception {
        NormalizedEvent alert = NormalizedEvent.fromGateway(
                        "sensor-0042", "cps", Severity.CRITICAL, "alerts", "gw-a", "site-a", AT)
                .title("device quarantined");
        alert.fields().put("code", "DEVICE_QUARANTINED");
        alert.fields().putPOJO("quarantined", true);
        alert.fields().putPOJO("count", 12L);
        alert.fields().putPOJO("hashes", List.of("a", "b"));
        alert.correlation(new Correlation(Correlation.FIRMWARE_MISMATCH, List.of("T1542", "T0857")));
        assertSameBytesAsTheTree(alert, "gw-a:e1234abcd:9");
        assertSameBytesAsTheTree(
                NormalizedEvent.fromGateway(null, "cps", Severity.HIGH, "alerts", "gw-a", "site-a", AT),
                "gw-a:e1234abcd:10");
    }

    @Test
    void changingTheFieldsAfterThePayloadLeavesTheDevicesPayloadAsItWas() throws Exception {
        ObjectNode payload = (ObjectNode) JSON.readTree("{\"seq\":1,\"temp_c\":20}");
        NormalizedEvent event = deviceEvent(payload);
        event.fields().put("added", "by the gateway");

        assertThat(payload.has("added")).isFalse();
        assertThat(JSON.readTree(event.render("x")).get("fields").get("added").asText())
                .isEqualTo("by the gateway");
        assertThat(JSON.readTree(event.render("x")).has("added")).isFalse();
        assertSameBytesAsTheTree(event, "x");
    }

    /**
     * Rendered once per device message on the intake thread: the result array, the generator's context
     * and the strings of {@code fields} (~1.2 KB for this event), not a growing builder copied into it
     * (that alone was ~2 KB more).
     */
    @Test
    void renderingAFleetTelemetryEventAllocatesLittleMoreThanItsBytes() throws Exception {
        ObjectNode payload =
                (ObjectNode) JSON.readTree("{\"seq\":1234,\"boot\":3,\"ts\":1764930000123,\"fw\":\"1.2.0\","
                        + "\"battery_mv\":3712,\"temp_c\":21.5,\"rssi\":-61,\"uptime_s\":86400}");
        NormalizedEvent event = deviceEvent(payload);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int size = 0;
        for (int i = 0; i < 20_000; i++) {
            size = event.render("site-a:sensor-0042:3:1234").length; // warm-up: let the JIT settle
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 1_000; i++) {
            event.render("site-a:sensor-0042:3:1234");
        }
        long perRender = (threads.getThreadAllocatedBytes(thread) - before) / 1_000;

        // measured: 627 bytes rendered, 1.5 KB allocated per render; 2.9 KB with the growing builder
        assertThat(perRender).as("bytes allocated per render of %d bytes", size).isLessThan(size + 1_200L);
    }
}
