package aurora.edge.gateway.attest;

import static aurora.edge.gateway.attest.AttestationStack.WAIT;
import static aurora.edge.gateway.attest.AttestationStack.latest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.attestation.dev.DevDeviceKeys;
import aurora.edge.attestation.endorsement.DeviceRole;
import aurora.edge.attestation.endorsement.EndorsedDevice;
import aurora.edge.attestation.endorsement.EndorsementList;
import aurora.edge.attestation.endorsement.EndorsementWriter;
import aurora.edge.attestation.evidence.RunningFirmware;
import aurora.edge.firmware.SampleFirmware;
import aurora.edge.gateway.TestGateway;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.sim.Fleet;
import aurora.edge.sim.FleetSpec;
import aurora.edge.sim.WireSettings;
import aurora.edge.sim.WireTransport;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13 part 3: attestation stays end to end through a relay. The relay is bound to its child by
 * the endorsement list ({@code "relay"} on the child's entry); it forwards the child's signed
 * evidence, but evidence it signs itself never makes the child TRUSTED; its own verdict bounds its
 * children's data (held while it waits for a verdict, kept out of the trusted streams while it is
 * quarantined). Over MQTT-SN the same holds with forwarder encapsulation, both ways: a device-sim relay
 * carries its children's challenges and acks down and their evidence up. Real gateway, Redis, NATS,
 * the sample manifest.
 */
class RelayAttestationIT {
    @RegisterExtension
    static final AttestationStack stack = new AttestationStack();

    private static final String RELAY = "sim-00210";
    private static final String CHILD = "sim-00211";
    private static final String OTHER = "sim-00212";

    private SimulatedRelay relay() throws IOException {
        Path endorsements = endorse(
                new EndorsedDevice(
                        RELAY, SampleFirmware.boardOfSimDevice(210), key(RELAY), null, DeviceRole.RELAY, null),
                new EndorsedDevice(
                        CHILD, SampleFirmware.boardOfSimDevice(211), key(CHILD), null, DeviceRole.DEVICE, RELAY),
                new EndorsedDevice(OTHER, SampleFirmware.boardOfSimDevice(212), key(OTHER)));
        stack.start(Map.of(
                "AURORA_ATTEST_ENDORSEMENTS",
                endorsements.toString(),
                "AURORA_ATTEST_ENDORSEMENTS_SIGNATURE",
                endorsements + ".sig",
                // the relay's reboot is challenged at once, not after the default back-off
                "AURORA_ATTEST_RETRY_BACKOFF_MIN",
                "100ms"));
        return new SimulatedRelay(stack.gw().mqttPort(), RELAY, stack.gw().passwordFor(RELAY), List.of(CHILD));
    }

    /** The relay attests as itself. */
    private static void trustRelay(SimulatedRelay r, long boot) throws InterruptedException {
        RunningFirmware fw = latest(210);
        r.telemetry(RELAY, boot, 1, fw.version().toString());
        r.forwardAnswer(RELAY, r.nextChallenge(RELAY), fw, boot);
        stack.awaitState(RELAY, AttestationState.TRUSTED);
    }

    @Test
    void aRelayForwardsItsChildsSignedEvidenceAndTheChildIsTrustedAsItselfItsDataCarryingRelayId() throws Exception {
        try (SimulatedRelay r = relay()) {
            trustRelay(r, 1);
            RunningFirmware fw = latest(211);
            r.telemetry(CHILD, 1, 1, fw.version().toString());
            r.forwardAnswer(CHILD, r.nextChallenge(CHILD), fw, 1);
            stack.awaitState(CHILD, AttestationState.TRUSTED);

            await().atMost(WAIT)
                    .until(() -> stack.events("aurora:cps:telemetry", CHILD).size() == 1);
            JsonNode t = stack.events("aurora:cps:telemetry", CHILD).get(0);
            assertThat(t.path("trust").asText()).isEqualTo("trusted");
            assertThat(t.path("relay_id").asText()).isEqualTo(RELAY);

            // An endorsed device not bound to this relay: refused, never registered.
            // QoS 0: a refused QoS 1 PUBLISH gets no PUBACK from Moquette (as for any topic a client may not use).
            r.publishAtMostOnce(OTHER, "telemetry", "{\"boot\":1,\"seq\":1}");
            await().atMost(WAIT)
                    .until(() -> stack.gw().metric("aurora_intake_rejected", "code", "RELAY_NOT_BOUND") >= 1);
            assertThat(stack.gw().gateway().devices().find(OTHER)).isEmpty();
        }
    }

    @Test
    void evidenceTheRelaySignsItselfForItsChildQuarantinesThatChildAndNeverMakesItTrusted() throws Exception {
        try (SimulatedRelay r = relay()) {
            trustRelay(r, 1);
            RunningFirmware fw = latest(211);
            r.telemetry(CHILD, 1, 1, fw.version().toString());
            r.forgeAnswer(CHILD, r.nextChallenge(CHILD), fw, 1);

            await().atMost(WAIT).until(() -> stack.registered(CHILD).quarantined());
            assertThat(stack.registered(CHILD).state()).isEqualTo(AttestationState.TAMPERED);
            assertThat(stack.registered(CHILD).reason()).isEqualTo("bad_signature");
            assertThat(stack.events("aurora:cps:telemetry", CHILD)).isEmpty();
            // Only the child it lied about is tainted; the relay itself stays as attested.
            assertThat(stack.registered(RELAY).state()).isEqualTo(AttestationState.TRUSTED);
            assertThat(stack.registered(RELAY).quarantined()).isFalse();
        }
    }

    @Test
    void aRelayWaitingForItsVerdictHoldsItsChildsDataUntilTrustedAndItsQuarantineKeepsItOutOfTheTrustedStreams()
            throws Exception {
        try (SimulatedRelay r = relay()) {
            trustRelay(r, 1);
            RunningFirmware fw = latest(211);
            String version = fw.version().toString();
            r.telemetry(CHILD, 1, 1, version);
            r.forwardAnswer(CHILD, r.nextChallenge(CHILD), fw, 1);
            stack.awaitState(CHILD, AttestationState.TRUSTED);
            await().atMost(WAIT)
                    .until(() -> stack.events("aurora:cps:telemetry", CHILD).size() == 1);

            // The relay reboots: PENDING until it attests again, and its child's data waits with it.
            RunningFirmware relayFw = latest(210);
            r.telemetry(RELAY, 2, 1, relayFw.version().toString());
            await().atMost(WAIT).until(() -> stack.registered(RELAY).state() == AttestationState.PENDING);
            r.telemetry(CHILD, 1, 2, version);
            await().atMost(WAIT).until(() -> stack.gw().metric("aurora_intake_held_pending") >= 2);
            assertThat(stack.events("aurora:cps:telemetry", CHILD)).hasSize(1);

            r.forwardAnswer(RELAY, r.nextChallenge(RELAY), relayFw, 2);
            stack.awaitState(RELAY, AttestationState.TRUSTED);
            await().atMost(WAIT)
                    .until(() -> stack.events("aurora:cps:telemetry", CHILD).size() == 2);
            assertThat(stack.events("aurora:cps:telemetry", CHILD)
                            .get(1)
                            .path("trust")
                            .asText())
                    .isEqualTo("trusted");

            // An operator quarantines the relay: its child's data is kept in the audit stream only.
            assertThat(stack.operator(RELAY, "quarantine").statusCode()).isEqualTo(200);
            r.telemetry(CHILD, 1, 3, version);
            await().atMost(WAIT).until(() -> stack.held(CHILD).size() == 1);
            assertThat(stack.held(CHILD).get(0).path("relay_id").asText()).isEqualTo(RELAY);
            assertThat(stack.events("aurora:cps:telemetry", CHILD)).hasSize(2);
            assertThat(stack.registered(CHILD).state()).isEqualTo(AttestationState.TRUSTED);
        }
    }

    @Test
    void aSimRelayAttestsItselfOnItsOwnAssociationSoItsRelayedMqttSnChildrenAreTrustedAndTheirDataIsForwarded()
            throws Exception {
        String snRelay = "sn-relay-01";
        // device-sim names its children sim-00000, sim-00001: both bound to the relay by the endorsement list.
        Path endorsements = endorse(
                new EndorsedDevice(
                        snRelay, SampleFirmware.boardOfSimDevice(210), key(snRelay), null, DeviceRole.RELAY, null),
                new EndorsedDevice(
                        "sim-00000",
                        SampleFirmware.boardOfSimDevice(0),
                        key("sim-00000"),
                        null,
                        DeviceRole.DEVICE,
                        snRelay),
                new EndorsedDevice(
                        "sim-00001",
                        SampleFirmware.boardOfSimDevice(1),
                        key("sim-00001"),
                        null,
                        DeviceRole.DEVICE,
                        snRelay));
        TestGateway gw = stack.start(Map.of(
                "AURORA_ATTEST_ENDORSEMENTS",
                endorsements.toString(),
                "AURORA_ATTEST_ENDORSEMENTS_SIGNATURE",
                endorsements + ".sig",
                "AURORA_MQTTSN_ENABLED",
                "true"));
        long messages = 10;
        FleetSpec spec = FleetSpec.builder("127.0.0.1", gw.mqttSnPort(), gw.siteKey())
                .deviceCount(2)
                .idPrefix("sim-")
                .seed(13)
                .acceleration(20)
                .messagesPerSecondPerDevice(0.2)
                .maxMessagesPerDevice(messages)
                .alertShare(0)
                .wire(WireSettings.of(WireTransport.MQTTSN_RELAY).withRelayId(snRelay))
                .build();
        try (Fleet fleet = Fleet.start(spec)) {
            // The relay is a device of its own: it CONNECTs as itself on the association that carries its
            // children, answers its own challenge there and is TRUSTED (else its children's data is held).
            stack.awaitState(snRelay, AttestationState.TRUSTED);
            assertThat(fleet.relayStats().orElseThrow().attestationsAnswered()).isGreaterThanOrEqualTo(1);
            stack.awaitState("sim-00000", AttestationState.TRUSTED);
            stack.awaitState("sim-00001", AttestationState.TRUSTED);
            assertThat(fleet.stats().attestationsAnswered()).isGreaterThanOrEqualTo(2);
            // The cumulative acks came back through the relay too: every message left the children's rings.
            // (Generous waits: the sleeping children poll every few seconds and CI runs test JVMs side by side.)
            await().atMost(WAIT.multipliedBy(3)).until(() -> fleet.stats().acked() == 2 * messages);
            // ... and every one of them reached the site's Redis, trusted, carrying the relay's id: none is held,
            // not even what a child sent while its relay's own verdict was being decided (HeldDataTest).
            for (String child : List.of("sim-00000", "sim-00001")) {
                await().atMost(WAIT.multipliedBy(3))
                        .until(() -> stack.events("aurora:cps:telemetry", child).size() == messages);
                assertThat(stack.events("aurora:cps:telemetry", child)).allSatisfy(t -> {
                    assertThat(t.path("trust").asText()).isEqualTo("trusted");
                    assertThat(t.path("relay_id").asText()).isEqualTo(snRelay);
                });
            }
            // The relay's own status goes in as its own (unencapsulated) telemetry.
            await().atMost(WAIT)
                    .until(() -> !stack.events("aurora:cps:telemetry", snRelay).isEmpty());
        }
        assertThat(stack.registered("sim-00000").quarantined()).isFalse();
        assertThat(stack.registered(snRelay).quarantined()).isFalse();
    }

    private static aurora.edge.attestation.keys.VerifyingKey key(String id) {
        return DevDeviceKeys.simFleet().privateKeyFor(id).verifyingKey();
    }

    /** A DEV endorsement list of these devices, signed with the sample vendor key the gateway pins. */
    private static Path endorse(EndorsedDevice... devices) throws IOException {
        byte[] json = EndorsementWriter.write(
                new EndorsementList(2, Instant.parse("2026-01-01T00:00:00Z"), List.of(devices)));
        Path file = Files.createDirectories(stack.dir().resolve("endorsed")).resolve("endorsements.json");
        Files.write(file, json);
        Files.write(Path.of(file + ".sig"), SignedManifests.VENDOR.sign(json));
        return file;
    }
}
