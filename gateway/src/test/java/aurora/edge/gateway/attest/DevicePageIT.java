package aurora.edge.gateway.attest;

import static aurora.edge.gateway.attest.AttestationStack.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.firmware.SampleFirmware;
import aurora.edge.firmware.SampleKind;
import aurora.edge.gateway.Main;
import aurora.edge.gateway.registry.AttestationState;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the console's device page reads beyond the registry, without a browser: the device's SOC
 * commands ({@code GET /devices/{id}/commands}, the endpoint {@code devices commands ID} reads too)
 * and the audit event of a started trace. Real gateway, Redis, NATS and a simulated device.
 */
class DevicePageIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final AttestationStack stack = new AttestationStack();

    @Test
    void aQuarantinedDevicesIsolationIsListedWithItsStateRequesterAndTimesButNotItsBody() throws Exception {
        stack.start(Map.of("AURORA_ATTEST_ISOLATE_ON_QUARANTINE", "true"));
        SimulatedDevice d = stack.device("sim-00060");
        d.telemetry(1, 1, "1.2.0");
        d.answer(
                d.nextChallenge(),
                SimulatedDevice.firmware(
                        SampleFirmware.image(SampleFirmware.boardOfSimDevice(60), SampleKind.UNKNOWN_KEY)),
                1);
        stack.assertQuarantined(d, AttestationState.UNKNOWN_FIRMWARE, "unknown_hash", 1);
        String commandId = JSON.readTree(d.nextOtherAction()).path("command_id").asText();

        JsonNode page = commands(d.id, "");
        assertThat(page.path("total").asInt()).isEqualTo(1);
        assertThat(page.path("open").asInt()).isEqualTo(1);
        JsonNode command = page.path("commands").get(0);
        assertThat(command.path("command_id").asText()).isEqualTo(commandId);
        assertThat(command.path("action").asText()).isEqualTo("isolate");
        assertThat(command.path("state").asText()).isEqualTo("sent");
        assertThat(command.path("requested_by").asText()).startsWith("gateway:quarantine:");
        assertThat(command.path("requested_at").asText()).endsWith("Z");
        assertThat(command.path("updated_at").asText()).endsWith("Z");
        assertThat(command.path("expires_at").asText()).endsWith("Z");
        List<String> fields = new java.util.ArrayList<>();
        command.fieldNames().forEachRemaining(fields::add);
        assertThat(fields)
                .as("what the device receives (params) stays the SOC's business")
                .doesNotContain("body", "params", "topic");

        d.publishBytes(
                "command_result",
                ("{\"command_id\":\"" + commandId + "\",\"status\":\"done\",\"detail\":\"radio off\"}")
                        .getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT)
                .until(() -> commands(d.id, "")
                        .path("commands")
                        .get(0)
                        .path("state")
                        .asText()
                        .equals("done"));
        assertThat(commands(d.id, "").path("open").asInt()).isZero();
        assertThat(commands(d.id, "").path("commands").get(0).path("detail").asText())
                .isEqualTo("radio off");

        // The command line reads the same endpoint.
        String printed =
                cli("devices", "commands", d.id, "--url", stack.opsUri("/").toString());
        assertThat(printed).contains(commandId, "isolate", "done", "gateway:quarantine:", "1 shown of 1, 0 open");

        assertThat(status("/devices/" + d.id + "/commands?limit=0")).isEqualTo(400);
        assertThat(status("/devices/" + d.id + "/commands?limit=201")).isEqualTo(400);
        assertThat(status("/devices/nobody/commands")).isEqualTo(404);
        assertThat(AttestationStack.send(HttpRequest.newBuilder(stack.opsUri("/devices/" + d.id + "/commands"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build())
                        .statusCode())
                .isEqualTo(405);
    }

    @Test
    void startingATraceIsAuditedWithTheOperatorAndHowLongItRuns() throws Exception {
        stack.start(Map.of());
        SimulatedDevice d = stack.device("sim-00061");
        d.telemetry(1, 1, "1.2.0");
        await().atMost(WAIT)
                .until(() -> stack.gw().gateway().devices().find(d.id).isPresent());

        assertThat(stack.operator(d.id, "trace").statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> stack.audits(d.id, "DEVICE_TRACE_STARTED") == 1);
        JsonNode event = stack.events("aurora:audit", d.id).stream()
                .filter(e -> "DEVICE_TRACE_STARTED"
                        .equals(e.path("fields").path("code").asText()))
                .findFirst()
                .orElseThrow();
        assertThat(event.path("fields").path("operator").asText()).isEqualTo("test");
        assertThat(event.path("fields").path("duration_s").asLong()).isEqualTo(600);
        assertThat(event.path("severity").asText()).isEqualTo("info");
    }

    private static JsonNode commands(String id, String query) throws Exception {
        return JSON.readTree(
                AttestationStack.send(HttpRequest.newBuilder(stack.opsUri("/devices/" + id + "/commands" + query))
                                .build())
                        .body());
    }

    private static int status(String path) throws Exception {
        return AttestationStack.send(HttpRequest.newBuilder(stack.opsUri(path)).build())
                .statusCode();
    }

    /** Runs a command as {@code aurora-edge} would, and returns what it printed on standard output. */
    private static String cli(String... args) {
        PrintStream before = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.commandLine().execute(args)).isZero();
        } finally {
            System.setOut(before);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
