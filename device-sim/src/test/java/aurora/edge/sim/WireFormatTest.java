package aurora.edge.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void telemetryIsTheCompactJsonOfTheContract() {
        PendingMessage m =
                new PendingMessage(12, new Reading(2950, 214, 402, 1), PendingMessage.TELEMETRY, 1_700_000_000_123L);
        String payload = new String(WireFormat.render(m, 3), StandardCharsets.UTF_8);
        assertThat(payload)
                .isEqualTo("{\"seq\":12,\"boot\":3,\"ts\":1700000000123,\"fw\":\"1.2.0\",\"battery_mv\":2950,"
                        + "\"temp_c\":21.4,\"humidity_pct\":40.2,\"vibration_g\":0.01}");
    }

    @Test
    void alertAddsSeverityKindAndTitle() throws Exception {
        PendingMessage m =
                new PendingMessage(5, new Reading(2900, 512, 333, 250), (byte) AlertKind.TAMPER.ordinal(), 42);
        JsonNode node = JSON.readTree(WireFormat.render(m, 1));
        assertThat(fieldNames(node))
                .containsExactly(
                        "seq",
                        "boot",
                        "ts",
                        "fw",
                        "battery_mv",
                        "temp_c",
                        "humidity_pct",
                        "vibration_g",
                        "severity",
                        "kind",
                        "title");
        assertThat(node.get("seq").isIntegralNumber()).isTrue();
        assertThat(node.get("temp_c").doubleValue()).isEqualTo(51.2);
        assertThat(node.get("vibration_g").doubleValue()).isEqualTo(2.5);
        assertThat(node.get("severity").asText()).isEqualTo("critical");
        assertThat(node.get("kind").asText()).isEqualTo("tamper");
        assertThat(node.get("title").asText()).isEqualTo("enclosure opened");
    }

    @Test
    void everyAlertKindHasAContractSeverity() {
        for (AlertKind kind : AlertKind.values()) {
            assertThat(kind.severity).isIn("critical", "high", "medium", "low", "info");
        }
    }

    @Test
    void scaledReadingsKeepTheirDecimalsAndSign() throws Exception {
        PendingMessage m = new PendingMessage(1, new Reading(2000, -55, 5, 7), PendingMessage.TELEMETRY);
        String payload = new String(WireFormat.render(m, 0), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"temp_c\":-5.5", "\"humidity_pct\":0.5", "\"vibration_g\":0.07");
        assertThat(JSON.readTree(payload).get("temp_c").doubleValue()).isEqualTo(-5.5);
    }

    @Test
    void messageIdIsDeviceBootSeq() {
        assertThat(WireFormat.messageId("sim-00001", 7, 42)).isEqualTo("sim-00001:7:42");
    }

    @Test
    void topicsFollowTheContract() {
        assertThat(WireFormat.telemetryTopic("d1")).isEqualTo("aurora/sensors/d1/telemetry");
        assertThat(WireFormat.alertsTopic("d1")).isEqualTo("aurora/sensors/d1/alerts");
        assertThat(WireFormat.ackTopic("d1")).isEqualTo("aurora/command/d1/ack");
        assertThat(WireFormat.actionTopic("d1")).isEqualTo("aurora/command/d1/action");
    }

    @Test
    void ackIsBootAndSeqOrNothing() {
        assertThat(WireFormat.parseAck(bytes("{\"boot\":3,\"seq\":17}"))).isEqualTo(new WireFormat.Ack(3, 17));
        assertThat(WireFormat.parseAck(bytes("{\"seq\":17,\"boot\":3,\"extra\":true}")))
                .isEqualTo(new WireFormat.Ack(3, 17));
        for (String bad : new String[] {
            "",
            "[]",
            "{\"boot\":3}",
            "{\"boot\":\"3\",\"seq\":1}",
            "{\"boot\":3,\"seq\":1.5}",
            "{\"boot\":-1,\"seq\":1}",
            "not json",
            "{\"boot\":1,\"seq\":99999999999999999999999}"
        }) {
            assertThat(WireFormat.parseAck(bytes(bad))).as(bad).isNull();
        }
    }

    @Test
    void commandsAreParsedIntoAttestSetIntervalRebootIsolateUnknownOrMalformed() {
        assertThat(WireFormat.parseCommand(bytes(
                        "{\"action\":\"attest\",\"request_id\":\"r1\",\"nonce\":\"bm9uY2U\",\"expires_in_s\":120}")))
                .isEqualTo(new DeviceCommand.Attest("r1", "bm9uY2U", 120));
        assertThat(WireFormat.parseCommand(bytes("{\"action\":\"self_destruct\"}")))
                .isEqualTo(new DeviceCommand.Unknown("self_destruct"));
        assertThat(WireFormat.parseCommand(bytes("{\"action\":1}"))).isInstanceOf(DeviceCommand.Malformed.class);
        assertThat(WireFormat.parseCommand(bytes("{\"action\":\"set_interval\",\"interval_s\":300}")))
                .isEqualTo(new DeviceCommand.SetInterval(300));
        assertThat(WireFormat.parseCommand(bytes("{\"action\":\"set_interval\",\"interval_s\":0}")))
                .isInstanceOf(DeviceCommand.Malformed.class);
        assertThat(WireFormat.parseCommand(bytes("{\"action\":\"reboot\"}"))).isEqualTo(new DeviceCommand.Reboot());
        assertThat(WireFormat.parseCommand(bytes("{\"action\":\"isolate\"}")))
                .isEqualTo(new DeviceCommand.Isolate(true));
        assertThat(WireFormat.parseCommand(bytes("{\"action\":\"isolate\",\"enabled\":false}")))
                .isEqualTo(new DeviceCommand.Isolate(false));
        assertThat(WireFormat.parseCommand(bytes("attest"))).isInstanceOf(DeviceCommand.Malformed.class);
        assertThat(WireFormat.parseCommand(new byte[WireFormat.MAX_INBOUND_BYTES + 1]))
                .isInstanceOf(DeviceCommand.Malformed.class);
    }
}
