package aurora.edge.gateway.attest;

import static aurora.edge.gateway.attest.AttestationStack.WAIT;
import static aurora.edge.gateway.attest.AttestationStack.latest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.attestation.EvidenceLayout;
import aurora.edge.attestation.dev.DevDeviceKeys;
import aurora.edge.attestation.endorsement.EndorsedDevice;
import aurora.edge.attestation.endorsement.EndorsementList;
import aurora.edge.attestation.endorsement.EndorsementWriter;
import aurora.edge.attestation.evidence.Challenge;
import aurora.edge.gateway.TestGateway;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.Device;
import aurora.edge.sim.Behaviour;
import aurora.edge.sim.Fleet;
import aurora.edge.sim.FleetSpec;
import aurora.edge.sim.HostileRule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stock AuroraSOC firmware attesting through a real gateway (embedded broker, real Redis and NATS,
 * the sample manifest): challenged on {@code aurora/attestation/{id}/request}, answering on
 * {@code .../response} in AuroraSOC's JSON, reporting unsolicited on {@code aurora/sensors/{id}/attestation}.
 */
class StockAuroraSocAttestationIT {
    private static final int FLEET = 8;
    private static final int TAMPERED = 3;
    private static final int REPLAYING = 5;

    @RegisterExtension
    static final AttestationStack stack = new AttestationStack();

    @Test
    void aFleetOfStockDevicesAttestsTrustedWhileATamperedAndAReplayingOneAreQuarantined() throws Exception {
        TestGateway gw = stack.start(Map.of());
        // One reading per 10 simulated seconds, 60x faster than real time: a self-report every 5 s of the test.
        FleetSpec spec = FleetSpec.builder("127.0.0.1", gw.mqttPort(), gw.siteKey())
                .deviceCount(FLEET)
                .idPrefix("sim-")
                .seed(12)
                .messagesPerSecondPerDevice(0.1)
                .acceleration(60)
                .duration(Duration.ofMinutes(30))
                .alertShare(0)
                .hostile(
                        HostileRule.devices(Behaviour.TAMPERED_FIRMWARE, TAMPERED),
                        HostileRule.devices(Behaviour.REPLAYED_EVIDENCE, REPLAYING)
                                .every(6))
                .protocol(EvidenceLayout.AURORASOC)
                .build();
        try (Fleet fleet = Fleet.start(spec)) {
            for (int i = 0; i < FLEET; i++) {
                if (i != TAMPERED && i != REPLAYING) {
                    stack.awaitState(spec.deviceId(i), AttestationState.TRUSTED);
                }
            }
            awaitQuarantined(spec.deviceId(TAMPERED), AttestationState.UNKNOWN_FIRMWARE, "unknown_hash");
            awaitQuarantined(spec.deviceId(REPLAYING), AttestationState.TAMPERED, "replayed");

            Device honest = stack.registered(spec.deviceId(0));
            // Registered from AuroraSOC's metadata names; its protocol came from firmware_stack (the list names none).
            assertThat(honest.firmwareStack()).isEqualTo("rust_embassy");
            assertThat(honest.deviceType()).isEqualTo("environmental_sentinel");
            assertThat(honest.board()).isEqualTo("aurora-sensor-v1");
            assertThat(honest.bootCountMark()).isEqualTo(fleet.boot());
            assertThat(honest.quarantined()).isFalse();
            await().atMost(WAIT)
                    .until(() -> gw.metric("aurora_attest_self_reports", "result", "verified") >= FLEET - 2);
            assertThat(stack.audits(spec.deviceId(0), "ATTESTATION_SELF_REPORT"))
                    .as("audited once per boot, not per report")
                    .isLessThanOrEqualTo(1);
            assertThat(gw.metric("aurora_intake_rejected", "code", "SUBSCRIPTION_NOT_OWNED"))
                    .isZero();
            assertThat(gw.metric("aurora_intake_rejected", "code", "EVIDENCE_MALFORMED"))
                    .isZero();
        }
    }

    @Test
    void aDeviceEndorsedAsAuroraSocIsTrustedOnlyByItsOpensslSignedAnswerToTheNonceAndAnOlderReportIsAReplay()
            throws Exception {
        String id = "sim-00100";
        Path endorsements = endorse(new EndorsedDevice(
                id,
                "aurora-sensor-v1",
                DevDeviceKeys.simFleet().privateKeyFor(id).verifyingKey(),
                EvidenceLayout.AURORASOC));
        stack.start(Map.of(
                "AURORA_ATTEST_ENDORSEMENTS",
                endorsements.toString(),
                "AURORA_ATTEST_ENDORSEMENTS_SIGNATURE",
                endorsements + ".sig"));
        SimulatedDevice d = stack.stockDevice(id);
        String hash = latest(100).hash().hex();
        Openssl openssl = new Openssl(stack.dir(), id);

        d.telemetry(3, 1, "1.2.0"); // our short names, no firmware_stack: the endorsement alone says aurorasoc
        Challenge c = d.nextChallenge(); // read on aurora/attestation/{id}/request, nonce in hex

        d.publishBytes("attestation", openssl.stockEvidence(hash, 3, null));
        await().atMost(WAIT).until(() -> stack.audits(id, "ATTESTATION_SELF_REPORT") == 1);
        assertThat(stack.registered(id).state())
                .as("a self-report is not fresh: no TRUSTED from it")
                .isEqualTo(AttestationState.PENDING);
        assertThat(stack.registered(id).bootCountMark()).isEqualTo(3);

        d.publishTo(
                "aurora/attestation/" + id + "/response",
                openssl.stockEvidence(hash, 3, c.nonce().hex()));
        stack.awaitState(id, AttestationState.TRUSTED);

        d.publishBytes("attestation", openssl.stockEvidence(hash, 2, null));
        stack.assertQuarantined(d, AttestationState.TAMPERED, "replayed", 3);
    }

    @Test
    void aFailingSelfReportQuarantinesOnceHoweverOftenItIsRepeated() throws Exception {
        stack.start(Map.of());
        String id = "sim-00101";
        SimulatedDevice d = stack.stockDevice(id);
        Openssl openssl = new Openssl(stack.dir(), id);
        String unknown = "ee".repeat(32);

        d.publish(
                "status",
                "{\"device_type\":\"environmental_sentinel\",\"board_family\":\"nrf52840\",\"firmware_stack\":\"rust_embassy\","
                        + "\"firmware_version\":\"2.0.0\",\"boot_count\":4}");
        d.nextChallenge();
        for (int i = 0; i < 3; i++) {
            d.publishBytes("attestation", openssl.stockEvidence(unknown, 4, null));
        }
        stack.assertQuarantined(d, AttestationState.UNKNOWN_FIRMWARE, "unknown_hash", 4);
        await().atMost(WAIT)
                .until(() -> stack.gw().metric("aurora_attest_self_reports", "result", "failed_again") == 2);
        assertThat(stack.audits(id, "DEVICE_QUARANTINED")).isEqualTo(1);
    }

    private void awaitQuarantined(String id, AttestationState state, String reason) {
        await().atMost(WAIT).untilAsserted(() -> {
            Device d = stack.registered(id);
            assertThat(d.quarantined()).as(id + " quarantined").isTrue();
            assertThat(d.state()).isEqualTo(state);
            assertThat(d.reason()).isEqualTo(reason);
        });
        await().atMost(WAIT).until(() -> stack.natsAlerts(id) >= 1);
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

    /**
     * Stock evidence signed by openssl with the device's DEV key, over the text spelled out here:
     * {@code device_id + firmware_hash + boot_count + nonce}.
     */
    private record Openssl(Path dir, String deviceId) {
        Openssl {
            try {
                Files.writeString(
                        dir.resolve(deviceId + ".pem"),
                        DevDeviceKeys.simFleet().privateKeyFor(deviceId).toPem());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        byte[] stockEvidence(String hash, long boot, String nonce) throws IOException, InterruptedException {
            Path message = dir.resolve(deviceId + ".txt");
            Path signature = dir.resolve(deviceId + ".sig");
            Files.writeString(message, deviceId + hash + boot + (nonce == null ? "" : nonce));
            Process p = new ProcessBuilder(
                            "openssl",
                            "dgst",
                            "-sha256",
                            "-sign",
                            dir.resolve(deviceId + ".pem").toString(),
                            "-out",
                            signature.toString(),
                            message.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("openssl dgst -sign failed: " + output);
            }
            return ("{\"device_id\":\"" + deviceId + "\",\"firmware_hash\":\"" + hash + "\",\"boot_count\":" + boot
                            + ",\"signature_hex\":\"" + HexFormat.of().formatHex(Files.readAllBytes(signature)) + "\""
                            + (nonce == null ? "" : ",\"nonce\":\"" + nonce + "\"")
                            + ",\"board_family\":\"nrf52840\",\"firmware_stack\":\"rust_embassy\",\"firmware_version\":\"2.0.0\"}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
