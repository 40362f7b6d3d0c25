package aurora.edge.gateway.device;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.gateway.outbox.NormalizedEvent;
import aurora.edge.testing.FuzzCorpus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes what intake does with a device's bytes before anything is stored: the topic, the payload
 * parse, and the rendering of the event that goes to the outbox. Every input ends as a message or
 * a stable rejection code; nothing throws, and what is rendered is always one JSON object.
 */
class DeviceMessageFuzzTest {
    private static final FuzzCorpus PAYLOADS = FuzzCorpus.named("device-message");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TOPICS = {
        "aurora/sensors/sensor-0001/telemetry",
        "aurora/sensors/sensor-0001/alerts",
        "aurora/sensors/sensor-0001/status",
        "aurora/sensors/sensor-0001/attestation",
        "aurora/attestation/sensor-0001/response",
        "aurora/sensors/+/telemetry",
        "aurora/sensors/#",
        "aurora/command/sensor-0001/action",
        "aurora//sensor-0001/telemetry",
        "aurora/sensors/a b/alerts",
        "aurora/sensors/sensor-0001/telemetry/extra",
        "",
        "/",
        "aurora/sensors/\u0000/telemetry"
    };

    @Property
    void everyPayloadIsAMessageOrARejectionAndRendersAsOneJsonObject(
            @ForAll("payloads") byte[] payload, @ForAll("topics") String topic) throws Exception {
        var parsedTopic = DeviceTopic.parse(topic);
        if (parsedTopic.isEmpty()) {
            return;
        }
        DeviceMessage.Parsed outcome = DeviceMessage.parse(parsedTopic.get(), payload);
        if (outcome instanceof DeviceMessage.Bad bad) {
            assertThat(bad.rejection()).isNotNull();
            assertThat(bad.detail()).hasSizeLessThanOrEqualTo(Printable.MAX_CHARS + 40);
            return;
        }
        DeviceMessage message = ((DeviceMessage.Ok) outcome).message();
        assertThat(message.severity()).isNotNull();
        assertThat(message.title()).isNotNull();
        String id = message.position() == null ? "gw:x" : message.position().messageId("site", message.deviceId());
        byte[] rendered = NormalizedEvent.fromDevice(
                        message.deviceId(),
                        message.severity(),
                        message.topic().messageType(),
                        "gw",
                        "site",
                        Instant.EPOCH)
                .title(message.title())
                .trust(Trust.PENDING.wireName())
                .payload(message.fields())
                .render(id);
        JsonNode back = JSON.readTree(rendered);
        assertThat(back.isObject()).isTrue();
        assertThat(back.path("device_id").asText()).isEqualTo(message.deviceId());
    }

    @Property
    void topicParsingNeverThrowsAndOnlyYieldsValidIds(@ForAll("mutatedTopics") String topic) {
        DeviceTopic.parse(topic)
                .ifPresent(t -> assertThat(aurora.edge.attestation.DeviceId.isValid(t.deviceId()))
                        .isTrue());
    }

    @Property
    void printableTextIsBoundedAndPrintable(@ForAll("payloads") byte[] bytes) {
        String shown = Printable.of(new String(bytes, StandardCharsets.UTF_8));
        assertThat(shown.length()).isLessThanOrEqualTo(Printable.MAX_CHARS + 1);
        assertThat(shown.chars().allMatch(c -> (c >= 0x20 && c <= 0x7e) || c == '…'))
                .isTrue();
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        return PAYLOADS.inputs();
    }

    @Provide
    Arbitrary<String> topics() {
        return Arbitraries.of(TOPICS);
    }

    @Provide
    Arbitrary<String> mutatedTopics() {
        Arbitrary<String> noise = Arbitraries.strings()
                .withChars("aurora/sensors+#-_\u0000\u00ff ")
                .ofMaxLength(80);
        return Arbitraries.oneOf(
                topics(),
                noise,
                Arbitraries.strings().ofMaxLength(300),
                net.jqwik.api.Combinators.combine(topics(), noise).as((t, n) -> t + n));
    }
}
