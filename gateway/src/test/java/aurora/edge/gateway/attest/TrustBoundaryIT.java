package aurora.edge.gateway.attest;

import static aurora.edge.gateway.attest.AttestationStack.WAIT;
import static aurora.edge.gateway.attest.AttestationStack.latest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.attestation.evidence.Challenge;
import aurora.edge.firmware.SampleFirmware;
import aurora.edge.firmware.SampleKind;
import aurora.edge.gateway.registry.AttestationState;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11, hole 3: attestation is the trust boundary. While attestation is on, the data of a
 * device without a TRUSTED verdict is held in the outbox (durable, acknowledged, bounded per
 * device) and released in order, stamped {@code trusted}, by the verdict, or kept as
 * {@code UNTRUSTED_DATA} audit when the verdict fails. Only a device alert of severity high or
 * above goes at once, flagged {@code pending}. Real broker, Redis, NATS and simulated devices.
 */
class TrustBoundaryIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final AttestationStack stack = new AttestationStack();

    @Test
    void
            inAFleetOfTenNoReadingOfTheTamperedDeviceReachesTelemetryAndHonestReadingsArriveOnceInOrderTrustedAfterTheirVerdict()
                    throws Exception {
        stack.start(Map.of());
        List<SimulatedDevice> fleet = new ArrayList<>();
        for (int i = 80; i < 90; i++) {
            fleet.add(stack.device(String.format(Locale.ROOT, "sim-%05d", i)));
        }
        SimulatedDevice tampered = fleet.get(9);
        for (SimulatedDevice d : fleet) {
            for (long seq = 1; seq <= 3; seq++) {
                d.telemetry(1, seq, "1.2.0");
            }
        }
        List<Challenge> challenges = new ArrayList<>();
        for (SimulatedDevice d : fleet) {
            challenges.add(d.nextChallenge());
        }
        // Every reading is stored and acknowledged, none forwarded: before this fix five tampered readings reached
        // Redis.
        await().atMost(WAIT).until(() -> stack.gw().metric("aurora_intake_held_pending") == 30);
        await().atMost(WAIT)
                .until(() -> stack.gw()
                                .gateway()
                                .metrics()
                                .registry()
                                .get("aurora_outbox_held_rows")
                                .gauge()
                                .value()
                        == 30);
        assertThat(stack.events("aurora:cps:telemetry")).isEmpty();

        for (int i = 0; i < 9; i++) {
            fleet.get(i).answer(challenges.get(i), latest(80 + i), 1);
        }
        ObjectNode forged = (ObjectNode) JSON.readTree(
                tampered.honestEvidence(challenges.get(9), latest(89), 1).toJson());
        forged.put(
                "fw_hash",
                SampleFirmware.image(SampleFirmware.boardOfSimDevice(89), SampleKind.REVOKED)
                        .hash()
                        .hex());
        tampered.publishBytes("attestation", JSON.writeValueAsBytes(forged));

        for (SimulatedDevice d : fleet.subList(0, 9)) {
            stack.awaitState(d.id, AttestationState.TRUSTED);
            await().atMost(WAIT)
                    .until(() -> stack.events("aurora:cps:telemetry", d.id).size() >= 3);
            List<JsonNode> readings = stack.events("aurora:cps:telemetry", d.id);
            assertThat(readings)
                    .extracting(e -> e.path("id").asText())
                    .containsExactly(
                            "site-test:" + d.id + ":1:1", "site-test:" + d.id + ":1:2", "site-test:" + d.id + ":1:3");
            assertThat(readings).allMatch(e -> "trusted".equals(e.path("trust").asText()));
        }
        stack.assertQuarantined(tampered, AttestationState.TAMPERED, "bad_signature", 1);
        await().atMost(WAIT).until(() -> stack.held(tampered.id, "pending").size() == 3);
        assertThat(stack.held(tampered.id, "pending"))
                .extracting(e -> e.path("id").asText())
                .containsExactly("site-test:sim-00089:1:1", "site-test:sim-00089:1:2", "site-test:sim-00089:1:3");
        assertThat(stack.events("aurora:cps:telemetry", tampered.id)).isEmpty();
        assertThat(stack.gw().metric("aurora_outbox_held_released")).isEqualTo(27);
        assertThat(stack.gw().metric("aurora_outbox_held_refused")).isEqualTo(3);
        assertThat(stack.gw()
                        .gateway()
                        .metrics()
                        .registry()
                        .get("aurora_outbox_held_rows")
                        .gauge()
                        .value())
                .isZero();
    }

    @Test
    void aHighSeverityAlertOfAPendingDeviceIsForwardedAtOnceFlaggedPendingWhileEverythingElseWaitsForTheVerdict()
            throws Exception {
        stack.start(Map.of());
        SimulatedDevice d = stack.device("sim-00090");
        d.telemetry(1, 1, "1.2.0");
        d.alert(1, 2);
        d.publish("alerts", "{\"boot\":1,\"seq\":3,\"severity\":\"medium\",\"kind\":\"door_open\"}");
        Challenge c = d.nextChallenge();

        await().atMost(WAIT)
                .until(() -> stack.events("aurora:cps:alerts", d.id).size() == 1 && stack.natsAlerts(d.id) == 1);
        JsonNode urgent = stack.events("aurora:cps:alerts", d.id).get(0);
        assertThat(urgent.path("id").asText()).isEqualTo("site-test:sim-00090:1:2");
        assertThat(urgent.path("trust").asText()).isEqualTo("pending");
        await().atMost(WAIT).until(() -> stack.gw().metric("aurora_intake_held_pending") == 2);
        assertThat(stack.events("aurora:cps:telemetry", d.id)).isEmpty();

        d.answer(c, latest(90), 1);
        await().atMost(WAIT)
                .until(() -> stack.events("aurora:cps:telemetry", d.id).size() == 1
                        && stack.events("aurora:cps:alerts", d.id).size() == 2);
        assertThat(stack.events("aurora:cps:telemetry", d.id)
                        .get(0)
                        .path("trust")
                        .asText())
                .isEqualTo("trusted");
        JsonNode waited = stack.events("aurora:cps:alerts", d.id).get(1);
        assertThat(waited.path("id").asText()).isEqualTo("site-test:sim-00090:1:3");
        assertThat(waited.path("trust").asText()).isEqualTo("trusted");
    }

    @Test
    void heldDataSurvivesARestartAndTheVerdictAfterItReleasesIt() throws Exception {
        stack.start(Map.of());
        SimulatedDevice before = stack.device("sim-00091");
        before.telemetry(1, 1, "1.2.0");
        before.telemetry(1, 2, "1.2.0");
        Challenge open = before.nextChallenge();
        await().atMost(WAIT).until(() -> stack.gw().gateway().outbox().heldBy(before.id) == 2);
        before.close();

        stack.gw().restartOnPort(stack.gw().mqttPort());
        assertThat(stack.gw().gateway().outbox().heldBy("sim-00091")).isEqualTo(2);
        SimulatedDevice after = stack.device("sim-00091");
        after.answer(open, latest(91), 1);
        await().atMost(WAIT)
                .until(() -> stack.events("aurora:cps:telemetry", after.id).size() == 2);
        assertThat(stack.events("aurora:cps:telemetry", after.id))
                .extracting(e -> e.path("id").asText() + "/" + e.path("trust").asText())
                .containsExactly("site-test:sim-00091:1:1/trusted", "site-test:sim-00091:1:2/trusted");
    }

    @Test
    void aDeviceHoldsAtMostHoldMaxPerDeviceEventsAndWhatIsBeyondIsKeptAsUntrustedData() throws Exception {
        stack.start(Map.of("AURORA_ATTEST_HOLD_MAX_PER_DEVICE", "2"));
        SimulatedDevice d = stack.device("sim-00092");
        for (long seq = 1; seq <= 4; seq++) {
            d.telemetry(1, seq, "1.2.0");
        }
        Challenge c = d.nextChallenge();
        await().atMost(WAIT).until(() -> stack.held(d.id, "pending").size() == 2);
        assertThat(stack.held(d.id, "pending"))
                .extracting(e -> e.path("id").asText())
                .containsExactly("site-test:sim-00092:1:3", "site-test:sim-00092:1:4");
        assertThat(stack.gw().metric("aurora_intake_hold_overflow")).isEqualTo(2);

        d.answer(c, latest(92), 1);
        await().atMost(WAIT)
                .until(() -> stack.events("aurora:cps:telemetry", d.id).size() == 2);
        assertThat(stack.events("aurora:cps:telemetry", d.id))
                .extracting(e -> e.path("id").asText())
                .containsExactly("site-test:sim-00092:1:1", "site-test:sim-00092:1:2");
    }

    @Test
    void withHoldPendingOffThePendingDevicesDataFlowsFlaggedPendingAsBefore() throws Exception {
        stack.start(Map.of("AURORA_ATTEST_HOLD_PENDING", "false"));
        SimulatedDevice d = stack.device("sim-00093");
        d.telemetry(1, 1, "1.2.0");
        await().atMost(WAIT)
                .until(() -> stack.events("aurora:cps:telemetry", d.id).size() == 1);
        assertThat(stack.events("aurora:cps:telemetry", d.id)
                        .get(0)
                        .path("trust")
                        .asText())
                .isEqualTo("pending");
        assertThat(stack.gw().metric("aurora_intake_held_pending")).isZero();
    }
}
