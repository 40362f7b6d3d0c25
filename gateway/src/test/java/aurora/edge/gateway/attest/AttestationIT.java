package aurora.edge.gateway.attest;

import static aurora.edge.gateway.attest.AttestationStack.WAIT;
import static aurora.edge.gateway.attest.AttestationStack.latest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.attestation.dev.DevDeviceKeys;
import aurora.edge.attestation.evidence.Challenge;
import aurora.edge.attestation.evidence.Claims;
import aurora.edge.attestation.evidence.EvidenceSigner;
import aurora.edge.attestation.evidence.Nonce;
import aurora.edge.attestation.evidence.RunningFirmware;
import aurora.edge.firmware.SampleFirmware;
import aurora.edge.firmware.SampleKind;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.Device;
import aurora.edge.testing.Indicators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The attestation flow end to end: a real embedded broker, real Redis and NATS, devices of the
 * simulated fleet over MQTT answering with their dev keys and the sample manifest and endorsement
 * list ({@link AttestationStack}).
 */
class AttestationIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final AttestationStack stack = new AttestationStack();

    @Test
    void honestDeviceIsRegisteredChallengedTrustedAndItsDataFlows() throws Exception {
        stack.start(Map.of());
        SimulatedDevice d = stack.device("sim-00010");
        stack.trusted(d, 10, 1);
        d.telemetry(1, 2, "1.2.0");

        await().atMost(WAIT)
                .until(() -> stack.events("aurora:cps:telemetry", d.id).stream()
                        .anyMatch(e -> e.path("id").asText().equals("site-test:sim-00010:1:2")
                                && "trusted".equals(e.path("trust").asText())));
        Device device = stack.registered(d.id);
        assertThat(device.quarantined()).isFalse();
        assertThat(device.board()).isEqualTo("aurora-sensor-v1");
        assertThat(device.firmwareVersion()).isEqualTo("1.2.0");
        assertThat(device.securityCounterMark()).isEqualTo(2);
        assertThat(device.bootCountMark()).isEqualTo(1);
        assertThat(device.nextAttestAt()).isAfter(device.lastAttestedAt().plus(Duration.ofHours(22)));
        await().atMost(WAIT)
                .until(() ->
                        stack.audits(d.id, "DEVICE_REGISTERED") == 1 && stack.audits(d.id, "ATTESTATION_TRUSTED") == 1);
        assertThat(stack.events("aurora:cps:alerts", d.id)).isEmpty();
    }

    @Test
    void evidenceWhoseImageHashWasAlteredAfterSigningIsTampered() throws Exception {
        stack.start(Map.of());
        SimulatedDevice d = stack.device("sim-00011");
        d.telemetry(1, 1, "1.2.0");
        Challenge c = d.nextChallenge();
        ObjectNode evidence =
                (ObjectNode) JSON.readTree(d.honestEvidence(c, latest(11), 1).toJson());
        evidence.put(
                "fw_hash",
                SampleFirmware.image(SampleFirmware.boardOfSimDevice(11), SampleKind.REVOKED)
                        .hash()
                        .hex());
        d.publishBytes("attestation", JSON.writeValueAsBytes(evidence));
        stack.assertQuarantined(d, AttestationState.TAMPERED, "bad_signature", 1);
    }

    @Test
    void withIsolateOnQuarantineATamperedDeviceIsSentAnIsolateAndItsAnswerIsRecorded() throws Exception {
        stack.start(Map.of("AURORA_ATTEST_ISOLATE_ON_QUARANTINE", "true"));
        SimulatedDevice d = stack.device("sim-00040");
        d.telemetry(1, 1, "1.2.0");
        Challenge c = d.nextChallenge();
        ObjectNode evidence =
                (ObjectNode) JSON.readTree(d.honestEvidence(c, latest(40), 1).toJson());
        evidence.put(
                "fw_hash",
                SampleFirmware.image(SampleFirmware.boardOfSimDevice(40), SampleKind.REVOKED)
                        .hash()
                        .hex());
        d.publishBytes("attestation", JSON.writeValueAsBytes(evidence));
        stack.assertQuarantined(d, AttestationState.TAMPERED, "bad_signature", 1);

        JsonNode isolate = JSON.readTree(d.nextOtherAction());
        assertThat(isolate.path("action").asText()).isEqualTo("isolate");
        String commandId = isolate.path("command_id").asText();
        assertThat(commandId).startsWith("gw-test:isolate:sim-00040:");
        // The quarantined device confirms; its answer is archived and ends the command.
        d.publishBytes(
                "command_result",
                ("{\"command_id\":\"" + commandId + "\",\"status\":\"done\"}").getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT)
                .until(() -> stack.audits(d.id, "COMMAND_ACCEPTED") == 1 && stack.audits(d.id, "COMMAND_DONE") == 1);
    }

    @Test
    void unknownFirmwareQuarantinesTheDevice() throws Exception {
        stack.start(Map.of());
        SimulatedDevice d = stack.device("sim-00012");
        d.telemetry(1, 1, "1.2.0");
        d.answer(
                d.nextChallenge(),
                SimulatedDevice.firmware(
                        SampleFirmware.image(SampleFirmware.boardOfSimDevice(12), SampleKind.UNKNOWN_KEY)),
                1);
        stack.assertQuarantined(d, AttestationState.UNKNOWN_FIRMWARE, "unknown_hash", 1);
    }

    @Test
    void evidenceSignedWithAnotherDevicesKeyIsTampered() throws Exception {
        stack.start(Map.of());
        SimulatedDevice d = stack.device("sim-00013");
        d.telemetry(1, 1, "1.2.0");
        Challenge c = d.nextChallenge();
        EvidenceSigner impostor =
                new EvidenceSigner(d.id, DevDeviceKeys.simFleet().privateKeyFor("sim-00002"));
        d.publishBytes("attestation", impostor.answer(c, latest(13), 1).toJson());
        stack.assertQuarantined(d, AttestationState.TAMPERED, "bad_signature", 1);
    }

    @Test
    void aQos1DuplicateChangesNothingButAReplayedOlderAnswerIsTampered() throws Exception {
        stack.start(Map.of());
        SimulatedDevice d = stack.device("sim-00014");
        d.telemetry(1, 1, "1.2.0");
        byte[] first = d.answer(d.nextChallenge(), latest(14), 1);
        stack.awaitState(d.id, AttestationState.TRUSTED);

        assertThat(stack.operator(d.id, "attest").statusCode()).isEqualTo(200);
        byte[] second = d.answer(d.nextChallenge(), latest(14), 1);
        await().atMost(WAIT).until(() -> stack.audits(d.id, "ATTESTATION_TRUSTED") == 2);
        d.publishBytes("attestation", second);
        await().atMost(WAIT).until(() -> stack.gw().metric("aurora_attest_duplicate_answers") >= 1);
        assertThat(stack.registered(d.id).state()).isEqualTo(AttestationState.TRUSTED);
        assertThat(stack.registered(d.id).quarantined()).isFalse();

        assertThat(stack.operator(d.id, "attest").statusCode()).isEqualTo(200);
        d.nextChallenge();
        d.publishBytes("attestation", first);
        stack.assertQuarantined(d, AttestationState.TAMPERED, "wrong_request", 1);
    }

    @Test
    void wrongNonceIsTamperedAndOnlyAnOperatorOrAPassingAttestationReleases() throws Exception {
        stack.start(Map.of());
        SimulatedDevice d = stack.device("sim-00015");
        d.telemetry(1, 1, "1.2.0");
        Challenge c = d.nextChallenge();
        RunningFirmware fw = latest(15);
        d.answerWith(
                c.requestId(),
                new Claims(
                        d.id,
                        Nonce.random(new SecureRandom()),
                        fw.hash(),
                        fw.version(),
                        fw.securityCounter(),
                        1,
                        fw.signer()));
        stack.assertQuarantined(d, AttestationState.TAMPERED, "wrong_nonce", 1);

        HttpResponse<String> released = stack.operator(d.id, "release");
        assertThat(released.statusCode()).isEqualTo(200);
        assertThat(stack.registered(d.id).quarantined()).isFalse();
        d.answer(d.nextChallenge(), fw, 1);
        stack.awaitState(d.id, AttestationState.TRUSTED);
        await().atMost(WAIT)
                .until(() ->
                        stack.audits(d.id, "DEVICE_RELEASED") == 1 && stack.audits(d.id, "ATTESTATION_TRUSTED") == 1);
    }

    @Test
    void aLowerSecurityCounterAfterARebootIsADowngrade() throws Exception {
        // The device reboots right after attesting: a reboot is challenged at most once per attest.retry_backoff_min.
        stack.start(Map.of("AURORA_ATTEST_RETRY_BACKOFF_MIN", "200ms"));
        SimulatedDevice d = stack.device("sim-00016");
        stack.trusted(d, 16, 1);
        d.telemetry(2, 1, "1.1.1+7");
        Challenge afterReboot = d.nextChallenge();
        RunningFirmware older = SimulatedDevice.firmware(SampleFirmware.images().stream()
                .filter(i -> i.board().equals(SampleFirmware.boardOfSimDevice(16))
                        && i.kind() == SampleKind.ALLOWED
                        && i.securityCounter() == 1)
                .findFirst()
                .orElseThrow());
        d.answer(afterReboot, older, 2);
        stack.assertQuarantined(d, AttestationState.DOWNGRADE, "security_counter_backwards", 2);
    }

    @Test
    void aSilentDeviceIsRetriedWithBackoffThenUnresponsiveNotTampered() throws Exception {
        stack.start(Map.of(
                "AURORA_ATTEST_CHALLENGE_TTL",
                "1s",
                "AURORA_ATTEST_MAX_ATTEMPTS",
                "2",
                "AURORA_ATTEST_RETRY_BACKOFF_MIN",
                "200ms",
                "AURORA_ATTEST_RETRY_BACKOFF_MAX",
                "400ms"));
        SimulatedDevice d = stack.device("sim-00017");
        d.telemetry(1, 1, "1.2.0");
        stack.assertQuarantined(d, AttestationState.UNRESPONSIVE, "no_answer", 1);
        assertThat(stack.gw().metric("aurora_attest_challenges_sent")).isEqualTo(2);
        assertThat(d.waitingChallenges()).isEqualTo(2);
    }

    // ---- issue 11, hole 2: a device cannot stay un-attested by changing boot or fw ----

    @Test
    void aDeviceThatNeverAnswersButAlternatesBootGoesUnresponsiveOnceAndItsChallengesDoNotPileUp() throws Exception {
        stack.start(Map.of(
                "AURORA_ATTEST_CHALLENGE_TTL",
                "30s",
                "AURORA_ATTEST_MAX_ATTEMPTS",
                "3",
                "AURORA_ATTEST_RETRY_BACKOFF_MIN",
                "300ms",
                "AURORA_ATTEST_RETRY_BACKOFF_MAX",
                "600ms"));
        SimulatedDevice d = stack.device("sim-00030");
        long[] seq = {0};
        // Each boot change would re-issue a challenge and silently drop the open one: the device never went
        // UNRESPONSIVE.
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(400))
                .until(() -> {
                    seq[0]++;
                    d.telemetry(1 + seq[0] % 2, seq[0], "1.2.0");
                    return stack.gw()
                                    .gateway()
                                    .devices()
                                    .find(d.id)
                                    .map(Device::state)
                                    .orElse(null)
                            == AttestationState.UNRESPONSIVE;
                });
        assertThat(stack.registered(d.id).reason()).isEqualTo("no_answer");
        await().atMost(WAIT).until(() -> stack.audits(d.id, "DEVICE_QUARANTINED") == 1);
        assertThat(stack.events("aurora:audit", d.id))
                .filteredOn(e -> "DEVICE_QUARANTINED"
                        .equals(e.path("fields").path("code").asText()))
                .extracting(e -> e.path("fields").path("detail").asText())
                .singleElement()
                .asString()
                .startsWith("3 challenge(s) unanswered")
                .contains("superseded");
        assertThat(stack.gw().metric("aurora_attest_challenges_superseded")).isGreaterThanOrEqualTo(2);

        // Going on alternating after UNRESPONSIVE: challenged again (at most one per backoff), never quarantined or
        // alerted twice.
        for (int i = 0; i < 12; i++) {
            seq[0]++;
            d.telemetry(1 + seq[0] % 2, seq[0], "1.2.0");
            Thread.sleep(250); // the device's own pace, not a wait for the gateway
        }
        await().atMost(WAIT)
                .until(() -> stack.gw().metric("aurora_attest_challenges_sent") >= 5
                        && stack.audits(d.id, "DEVICE_QUARANTINED") >= 1
                        && stack.natsAlerts(d.id) >= 1);
        // A barrier: what the alternation raised is in the outbox before this reading is in Redis.
        d.telemetry(1, 1000, "1.2.0");
        await().atMost(WAIT)
                .until(() -> stack.held(d.id).stream()
                        .anyMatch(e -> e.path("id").asText().equals("site-test:sim-00030:1:1000")));
        assertThat(stack.registered(d.id).quarantined()).isTrue();
        assertThat(stack.audits(d.id, "DEVICE_QUARANTINED")).isEqualTo(1);
        assertThat(stack.events("aurora:cps:alerts", d.id))
                .filteredOn(e -> "DEVICE_QUARANTINED"
                        .equals(e.path("fields").path("code").asText()))
                .hasSize(1);
        assertThat(stack.natsAlerts(d.id)).isEqualTo(1);
        // One open challenge and at most the newest few expired ones, on disk and in memory.
        int kept = 1 + AttestationService.EXPIRED_KEPT_PER_DEVICE;
        await().atMost(WAIT).until(() -> stack.gw().gateway().devices().storedChallenges(d.id) <= kept);
        assertThat(stack.gw().gateway().devices().challenges())
                .filteredOn(c -> c.deviceId().equals(d.id))
                .hasSizeLessThanOrEqualTo(kept);
    }

    @Test
    void bootChangesGetAtMostOneChallengePerRetryBackoffMin() throws Exception {
        stack.start(Map.of("AURORA_ATTEST_RETRY_BACKOFF_MIN", "1h", "AURORA_ATTEST_RETRY_BACKOFF_MAX", "1h"));
        SimulatedDevice d = stack.device("sim-00031");
        for (long boot = 1; boot <= 10; boot++) {
            d.telemetry(boot, 1, "1.2.0");
        }
        await().atMost(WAIT).until(() -> stack.registered(d.id).reportedBoot() == 10);
        Challenge registered = d.nextChallenge();
        assertThat(d.nextChallenge(Duration.ofMillis(500))).isNull();
        assertThat(stack.gw().metric("aurora_attest_challenges_sent")).isEqualTo(1);
        assertThat(stack.gw().metric("aurora_attest_challenges_deferred")).isGreaterThanOrEqualTo(1);
        // The open challenge stands through the reboots, and the rebooted device may answer it.
        d.answer(registered, latest(31), 10);
        stack.awaitState(d.id, AttestationState.TRUSTED);
    }

    @Test
    void aDeviceNotOnTheEndorsementListCannotRegisterUnderEndorsed() throws Exception {
        stack.start(Map.of());
        SimulatedDevice d = stack.device("intruder-1");
        d.telemetry(1, 1, "1.2.0");
        await().atMost(WAIT).until(() -> stack.audits(d.id, "DEVICE_NOT_ENDORSED") == 1);
        assertThat(stack.gw().gateway().devices().find(d.id)).isEmpty();
        assertThat(stack.events("aurora:cps:telemetry", d.id)).isEmpty();
        assertThat(d.nextChallenge(Duration.ofMillis(300))).isNull();
    }

    @Test
    void theRegistryAndAnOpenChallengeSurviveARestart() throws Exception {
        stack.start(Map.of());
        SimulatedDevice before = stack.device("sim-00018");
        before.telemetry(1, 1, "1.2.0");
        Challenge open = before.nextChallenge();
        String uuid = stack.registered(before.id).uuid();
        before.close();

        stack.gw().restartOnPort(stack.gw().mqttPort());
        assertThat(stack.registered("sim-00018").uuid()).isEqualTo(uuid);
        assertThat(stack.gw().gateway().devices().openChallengeOf("sim-00018"))
                .hasValueSatisfying(c -> assertThat(c.requestId()).isEqualTo(open.requestId()));

        SimulatedDevice after = stack.device("sim-00018");
        after.answer(open, latest(18), 1);
        stack.awaitState("sim-00018", AttestationState.TRUSTED);
    }

    /** Shares an indicator on the federation subject, once the gateway's durable consumer exists. */
    private void shareIoc(String id, String pattern) {
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> stack.natsProbe().consumerExists("AURORA", "aurora-edge-gw-test"));
        stack.natsProbe().publish("AURORA.ioc_sharing", Indicators.json(id, pattern));
    }

    private static String firmwareHashPattern(RunningFirmware fw) {
        return "[x-aurora-firmware:sha256 = '" + fw.hash().hex() + "']";
    }

    @Test
    void anIocRevokingAHashQuarantinesTheDevicesRunningItAndAReplayChangesNothing() throws Exception {
        // Two of three devices run the image: more than the default federation.max_fleet_share, which
        // FederationIocLifecycleIT covers.
        stack.start(Map.of("AURORA_FEDERATION_MAX_FLEET_SHARE", "1"));
        SimulatedDevice first = stack.device("sim-00020");
        SimulatedDevice second = stack.device("sim-00021");
        SimulatedDevice otherBoard = stack.device("sim-00029");
        stack.trusted(first, 20, 1);
        stack.trusted(second, 21, 1);
        stack.trusted(otherBoard, 29, 1);
        RunningFirmware revoked = latest(20);

        shareIoc("indicator--0f1e2d3c-revoke-sensor-image", firmwareHashPattern(revoked));
        stack.assertQuarantined(first, AttestationState.REVOKED, "ioc_hash_revoked", 1);
        stack.assertQuarantined(second, AttestationState.REVOKED, "ioc_hash_revoked", 1);
        await().atMost(WAIT).until(() -> stack.auditsWithoutDevice("FIRMWARE_REVOKED_BY_IOC") == 1);
        assertThat(stack.registered(otherBoard.id).state()).isEqualTo(AttestationState.TRUSTED);
        assertThat(stack.registered(otherBoard.id).quarantined()).isFalse();

        shareIoc("indicator--0f1e2d3c-revoke-sensor-image", firmwareHashPattern(revoked));
        await().atMost(WAIT).until(() -> stack.gw().metric("aurora_federation_iocs", "outcome", "replayed") == 1);
        // A barrier: anything the replay had raised is in the outbox before this reading, so in Redis before it.
        otherBoard.telemetry(1, 5, "1.2.0");
        await().atMost(WAIT)
                .until(() -> stack.events("aurora:cps:telemetry", otherBoard.id).stream()
                        .anyMatch(e -> e.path("id").asText().equals("site-test:sim-00029:1:5")));
        assertThat(stack.events("aurora:cps:alerts", first.id)).hasSize(1);
        assertThat(stack.events("aurora:cps:alerts", second.id)).hasSize(1);
        assertThat(stack.audits(first.id, "DEVICE_QUARANTINED")).isEqualTo(1);
        assertThat(stack.auditsWithoutDevice("FIRMWARE_REVOKED_BY_IOC")).isEqualTo(1);

        // The revocation outlives a restart and meets a device that attests on that image later.
        stack.gw().restartOnPort(stack.gw().mqttPort());
        SimulatedDevice later = stack.device("sim-00022");
        later.telemetry(1, 1, "1.2.0");
        later.answer(later.nextChallenge(), revoked, 1);
        stack.assertQuarantined(later, AttestationState.REVOKED, "hash_revoked", 1);
    }

    @Test
    void anIocNamingADeviceQuarantinesItUntilAnOperatorReleasesIt() throws Exception {
        stack.start(Map.of());
        SimulatedDevice d = stack.device("sim-00023");
        stack.trusted(d, 23, 1);

        shareIoc("indicator--5a6b-compromised-sensor", "[x-aurora-device:id = 'sim-00023']");
        stack.assertQuarantined(d, AttestationState.TRUSTED, "ioc_compromised", 1, "DEVICE_QUARANTINED_BY_IOC");

        // A passing attestation does not lift it: stolen keys attest as well as honest ones.
        assertThat(stack.operator(d.id, "attest").statusCode()).isEqualTo(200);
        d.answer(d.nextChallenge(), latest(23), 1);
        await().atMost(WAIT).until(() -> stack.audits(d.id, "ATTESTATION_TRUSTED") == 2);
        assertThat(stack.registered(d.id).quarantined()).isTrue();
        assertThat(stack.registered(d.id).reason()).isEqualTo("ioc_compromised");

        assertThat(stack.operator(d.id, "release").statusCode()).isEqualTo(200);
        assertThat(stack.registered(d.id).quarantined()).isFalse();
    }

    @Test
    void aDeviceNamedByAnIocBeforeItRegistersIsHeldFromItsFirstMessageAndPoisonIsAudited() throws Exception {
        stack.start(Map.of());
        shareIoc("indicator--9e0f-poison", "[x-aurora-device:id = 'not a device id!']");
        await().atMost(WAIT).until(() -> stack.auditsWithoutDevice("IOC_POISON") == 1);
        assertThat(stack.gw().metric("aurora_federation_iocs", "outcome", "poison"))
                .isEqualTo(1);

        shareIoc("indicator--7c8d-compromised-newcomer", "[x-aurora-device:id = 'sim-00024']");
        await().atMost(WAIT).until(() -> stack.gw().metric("aurora_federation_iocs", "outcome", "applied") == 1);

        SimulatedDevice d = stack.device("sim-00024");
        d.telemetry(1, 1, "1.2.0");
        await().atMost(WAIT)
                .until(() -> stack.held(d.id).size() == 1
                        && stack.audits(d.id, "DEVICE_QUARANTINED_BY_IOC") == 1
                        && stack.natsAlerts(d.id) == 1);
        assertThat(stack.held(d.id).get(0).path("id").asText()).isEqualTo("site-test:sim-00024:1:1");
        assertThat(stack.registered(d.id).quarantined()).isTrue();
        assertThat(stack.registered(d.id).reason()).isEqualTo("ioc_compromised");
        assertThat(stack.events("aurora:cps:telemetry", d.id)).isEmpty();
    }
}
