package aurora.edge.gateway.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.attestation.dev.DevDeviceKeys;
import aurora.edge.attestation.evidence.Challenge;
import aurora.edge.attestation.evidence.Claims;
import aurora.edge.attestation.evidence.EvidenceLayout;
import aurora.edge.attestation.evidence.EvidenceSigner;
import aurora.edge.attestation.evidence.Nonce;
import aurora.edge.attestation.evidence.RunningFirmware;
import aurora.edge.firmware.SampleFirmware;
import aurora.edge.firmware.SampleKind;
import aurora.edge.gateway.TestGateway;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.Device;
import aurora.edge.testing.NatsProbe;
import aurora.edge.testing.NatsServerProcess;
import aurora.edge.testing.RedisProbe;
import aurora.edge.testing.RedisServerProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attestation flow end to end: a real embedded broker, real Redis and NATS, devices of the
 * simulated fleet over MQTT answering with their dev keys and the sample manifest and endorsement
 * list. Every device id is used by one test only, so the shared streams can be filtered by device.
 */
class AttestationIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static RedisServerProcess redis;
    private static NatsServerProcess nats;

    @TempDir
    Path dir;

    private TestGateway gw;
    private RedisProbe redisProbe;
    private NatsProbe natsProbe;
    private final List<SimulatedDevice> devices = new ArrayList<>();

    @BeforeAll
    static void servers() {
        redis = RedisServerProcess.start();
        nats = NatsServerProcess.start();
    }

    @AfterAll
    static void stopServers() {
        nats.close();
        redis.close();
    }

    @BeforeEach
    void probes() {
        redisProbe = new RedisProbe(redis.url());
        natsProbe = new NatsProbe(nats.url(), null);
    }

    @AfterEach
    void stop() {
        devices.forEach(SimulatedDevice::close);
        if (gw != null) {
            gw.close();
        }
        redisProbe.close();
    }

    private void startGateway(Map<String, String> overrides) throws IOException {
        Path anchors = Files.createDirectories(dir.resolve("anchors"));
        for (String f : List.of(SampleFirmware.MANIFEST, SampleFirmware.MANIFEST + ".sig", SampleFirmware.ENDORSEMENTS,
                SampleFirmware.ENDORSEMENTS + ".sig")) {
            Files.write(anchors.resolve(f), SampleFirmware.resource(f));
        }
        Files.write(anchors.resolve("vendor.pub.pem"), SampleFirmware.resource(SampleFirmware.VENDOR_PUBLIC_KEY));
        Map<String, String> settings = new HashMap<>(Map.of(
                "AURORA_DEVICES_REGISTRATION_POLICY", "endorsed",
                "AURORA_ATTEST_MANIFEST", anchors.resolve(SampleFirmware.MANIFEST).toString(),
                "AURORA_ATTEST_ENDORSEMENTS", anchors.resolve(SampleFirmware.ENDORSEMENTS).toString(),
                "AURORA_ATTEST_VENDOR_KEY", anchors.resolve("vendor.pub.pem").toString(),
                "AURORA_ATTEST_CHALLENGE_TTL", "30s"));
        settings.putAll(overrides);
        gw = new TestGateway(dir.resolve("gw"), redis.url(), nats.url(), settings).start();
    }

    private SimulatedDevice device(String id) {
        SimulatedDevice d = new SimulatedDevice(gw.mqttPort(), id, gw.passwordFor(id));
        devices.add(d);
        return d;
    }

    private static RunningFirmware latest(int index) {
        return SimulatedDevice.firmware(SampleFirmware.latestAllowed(SampleFirmware.boardOfSimDevice(index)));
    }

    private Device registered(String id) {
        return gw.gateway().devices().find(id).orElseThrow(() -> new AssertionError(id + " is not registered"));
    }

    private void awaitState(String id, AttestationState state) {
        await().atMost(WAIT).until(() -> gw.gateway().devices().find(id).map(Device::state).orElse(null) == state);
    }

    /** The normalized events in a Redis stream. */
    private List<JsonNode> events(String stream) {
        List<JsonNode> out = new ArrayList<>();
        for (RedisProbe.Entry e : redisProbe.entries(stream)) {
            try {
                out.add(JSON.readTree(e.fields().get("data")));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return out;
    }

    /** The normalized events of one device in a Redis stream. */
    private List<JsonNode> events(String stream, String deviceId) {
        return events(stream).stream().filter(e -> deviceId.equals(e.path("device_id").asText())).toList();
    }

    /** Audit events about the gateway as a whole (no device) with this code. */
    private long auditsWithoutDevice(String code) {
        return events("aurora:audit").stream()
                .filter(e -> e.path("device_id").isMissingNode() || e.path("device_id").isNull())
                .filter(e -> code.equals(e.path("fields").path("code").asText())).count();
    }

    private long audits(String deviceId, String code) {
        return events("aurora:audit", deviceId).stream().filter(e -> code.equals(e.path("fields").path("code").asText())).count();
    }

    /** The device's data kept in the audit stream because it is quarantined. */
    private List<JsonNode> held(String deviceId) {
        return events("aurora:audit", deviceId).stream().filter(e -> "quarantined".equals(e.path("trust").asText())).toList();
    }

    private long natsAlerts(String deviceId) {
        return natsProbe.messages("AURORA", "AURORA.alerts").stream().filter(m -> m.dataUtf8().contains("\"device_id\":\"" + deviceId + "\"")).count();
    }

    /** A device honest so far: registered by its first message, challenged, answers, TRUSTED. */
    private Challenge trusted(SimulatedDevice d, int index, long boot) throws InterruptedException {
        d.telemetry(boot, 1, "1.2.0");
        Challenge c = d.nextChallenge();
        d.answer(c, latest(index), boot);
        awaitState(d.id, AttestationState.TRUSTED);
        return c;
    }

    /**
     * The quarantine contract: the state and reason, one critical alert on both buses, one audit
     * event, and the device's later telemetry and alerts kept in the audit stream only.
     */
    private void assertQuarantined(SimulatedDevice d, AttestationState state, String reason, long boot) {
        assertQuarantined(d, state, reason, boot, "DEVICE_QUARANTINED");
    }

    private void assertQuarantined(SimulatedDevice d, AttestationState state, String reason, long boot, String auditCode) {
        await().atMost(WAIT).until(() -> registered(d.id).state() == state && registered(d.id).quarantined());
        Device device = registered(d.id);
        assertThat(device.reason()).isEqualTo(reason);
        await().atMost(WAIT).until(() -> audits(d.id, auditCode) >= 1);
        await().atMost(WAIT).until(() -> natsAlerts(d.id) >= 1);

        d.telemetry(boot, 90, "1.2.0");
        d.alert(boot, 91);
        await().atMost(WAIT).until(() -> held(d.id).size() == 2);
        List<JsonNode> gatewayAlerts = events("aurora:cps:alerts", d.id).stream().filter(e -> "gateway".equals(e.path("source").asText())).toList();
        assertThat(gatewayAlerts).hasSize(1);
        assertThat(gatewayAlerts.get(0).path("severity").asText()).isEqualTo("critical");
        assertThat(gatewayAlerts.get(0).path("fields").path("reason").asText()).isEqualTo(reason);
        assertThat(natsAlerts(d.id)).isEqualTo(1);
        assertThat(audits(d.id, auditCode)).isEqualTo(1);
        String later = d.id + ":" + boot + ":9";
        assertThat(events("aurora:cps:telemetry", d.id)).noneMatch(e -> e.path("id").asText().startsWith(later));
        assertThat(events("aurora:cps:alerts", d.id)).noneMatch(e -> e.path("id").asText().startsWith(later));
        assertThat(events("aurora:cps:telemetry", d.id)).noneMatch(e -> "trusted".equals(e.path("trust").asText()));
        assertThat(held(d.id)).extracting(e -> e.path("message_type").asText()).containsExactlyInAnyOrder("telemetry", "alert");
    }

    private HttpResponse<String> operator(String id, String action) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.httpPort() + "/devices/" + id + "/" + action))
                .header("X-Aurora-Operator", "test").POST(HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void honestDeviceIsRegisteredChallengedTrustedAndItsDataFlows() throws Exception {
        startGateway(Map.of());
        SimulatedDevice d = device("sim-00010");
        trusted(d, 10, 1);
        d.telemetry(1, 2, "1.2.0");

        await().atMost(WAIT).until(() -> events("aurora:cps:telemetry", d.id).stream()
                .anyMatch(e -> e.path("id").asText().equals("sim-00010:1:2") && "trusted".equals(e.path("trust").asText())));
        Device device = registered(d.id);
        assertThat(device.quarantined()).isFalse();
        assertThat(device.board()).isEqualTo("aurora-sensor-v1");
        assertThat(device.firmwareVersion()).isEqualTo("1.2.0");
        assertThat(device.securityCounterMark()).isEqualTo(2);
        assertThat(device.bootCountMark()).isEqualTo(1);
        assertThat(device.nextAttestAt()).isAfter(device.lastAttestedAt().plus(Duration.ofHours(22)));
        await().atMost(WAIT).until(() -> audits(d.id, "DEVICE_REGISTERED") == 1 && audits(d.id, "ATTESTATION_TRUSTED") == 1);
        assertThat(events("aurora:cps:alerts", d.id)).isEmpty();
    }

    @Test
    void evidenceWhoseImageHashWasAlteredAfterSigningIsTampered() throws Exception {
        startGateway(Map.of());
        SimulatedDevice d = device("sim-00011");
        d.telemetry(1, 1, "1.2.0");
        Challenge c = d.nextChallenge();
        ObjectNode evidence = (ObjectNode) JSON.readTree(d.honestEvidence(c, latest(11), 1).toJson());
        evidence.put("fw_hash", SampleFirmware.image(SampleFirmware.boardOfSimDevice(11), SampleKind.REVOKED).hash().hex());
        d.publishBytes("attestation", JSON.writeValueAsBytes(evidence));
        assertQuarantined(d, AttestationState.TAMPERED, "bad_signature", 1);
    }

    @Test
    void unknownFirmwareQuarantinesTheDevice() throws Exception {
        startGateway(Map.of());
        SimulatedDevice d = device("sim-00012");
        d.telemetry(1, 1, "1.2.0");
        d.answer(d.nextChallenge(), SimulatedDevice.firmware(SampleFirmware.image(SampleFirmware.boardOfSimDevice(12), SampleKind.UNKNOWN_KEY)), 1);
        assertQuarantined(d, AttestationState.UNKNOWN_FIRMWARE, "unknown_hash", 1);
    }

    @Test
    void evidenceSignedWithAnotherDevicesKeyIsTampered() throws Exception {
        startGateway(Map.of());
        SimulatedDevice d = device("sim-00013");
        d.telemetry(1, 1, "1.2.0");
        Challenge c = d.nextChallenge();
        EvidenceSigner impostor = new EvidenceSigner(d.id, DevDeviceKeys.simFleet().privateKeyFor("sim-00002"));
        d.publishBytes("attestation", impostor.answer(c, latest(13), 1, EvidenceLayout.AURORA_V1).toJson());
        assertQuarantined(d, AttestationState.TAMPERED, "bad_signature", 1);
    }

    @Test
    void aQos1DuplicateChangesNothingButAReplayedOlderAnswerIsTampered() throws Exception {
        startGateway(Map.of());
        SimulatedDevice d = device("sim-00014");
        d.telemetry(1, 1, "1.2.0");
        byte[] first = d.answer(d.nextChallenge(), latest(14), 1);
        awaitState(d.id, AttestationState.TRUSTED);

        assertThat(operator(d.id, "attest").statusCode()).isEqualTo(200);
        byte[] second = d.answer(d.nextChallenge(), latest(14), 1);
        await().atMost(WAIT).until(() -> audits(d.id, "ATTESTATION_TRUSTED") == 2);
        d.publishBytes("attestation", second);
        await().atMost(WAIT).until(() -> gw.metric("aurora_attest_duplicate_answers") >= 1);
        assertThat(registered(d.id).state()).isEqualTo(AttestationState.TRUSTED);
        assertThat(registered(d.id).quarantined()).isFalse();

        assertThat(operator(d.id, "attest").statusCode()).isEqualTo(200);
        d.nextChallenge();
        d.publishBytes("attestation", first);
        assertQuarantined(d, AttestationState.TAMPERED, "wrong_request", 1);
    }

    @Test
    void wrongNonceIsTamperedAndOnlyAnOperatorOrAPassingAttestationReleases() throws Exception {
        startGateway(Map.of());
        SimulatedDevice d = device("sim-00015");
        d.telemetry(1, 1, "1.2.0");
        Challenge c = d.nextChallenge();
        RunningFirmware fw = latest(15);
        d.answerWith(c.requestId(), new Claims(d.id, Nonce.random(new SecureRandom()), fw.hash(), fw.version(), fw.securityCounter(), 1,
                fw.signer()));
        assertQuarantined(d, AttestationState.TAMPERED, "wrong_nonce", 1);

        HttpResponse<String> released = operator(d.id, "release");
        assertThat(released.statusCode()).isEqualTo(200);
        assertThat(registered(d.id).quarantined()).isFalse();
        d.answer(d.nextChallenge(), fw, 1);
        awaitState(d.id, AttestationState.TRUSTED);
        await().atMost(WAIT).until(() -> audits(d.id, "DEVICE_RELEASED") == 1 && audits(d.id, "ATTESTATION_TRUSTED") == 1);
    }

    @Test
    void aLowerSecurityCounterAfterARebootIsADowngrade() throws Exception {
        startGateway(Map.of());
        SimulatedDevice d = device("sim-00016");
        trusted(d, 16, 1);
        d.telemetry(2, 1, "1.1.1+7");
        Challenge afterReboot = d.nextChallenge();
        RunningFirmware older = SimulatedDevice.firmware(SampleFirmware.images().stream()
                .filter(i -> i.board().equals(SampleFirmware.boardOfSimDevice(16)) && i.kind() == SampleKind.ALLOWED && i.securityCounter() == 1)
                .findFirst().orElseThrow());
        d.answer(afterReboot, older, 2);
        assertQuarantined(d, AttestationState.DOWNGRADE, "security_counter_backwards", 2);
    }

    @Test
    void aSilentDeviceIsRetriedWithBackoffThenStaleNotTampered() throws Exception {
        startGateway(Map.of("AURORA_ATTEST_CHALLENGE_TTL", "1s", "AURORA_ATTEST_MAX_ATTEMPTS", "2",
                "AURORA_ATTEST_RETRY_BACKOFF_MIN", "200ms", "AURORA_ATTEST_RETRY_BACKOFF_MAX", "400ms"));
        SimulatedDevice d = device("sim-00017");
        d.telemetry(1, 1, "1.2.0");
        assertQuarantined(d, AttestationState.STALE, "no_answer", 1);
        assertThat(gw.metric("aurora_attest_challenges_sent")).isEqualTo(2);
        assertThat(d.waitingChallenges()).isEqualTo(2);
    }

    @Test
    void aDeviceNotOnTheEndorsementListCannotRegisterUnderEndorsed() throws Exception {
        startGateway(Map.of());
        SimulatedDevice d = device("intruder-1");
        d.telemetry(1, 1, "1.2.0");
        await().atMost(WAIT).until(() -> audits(d.id, "DEVICE_NOT_ENDORSED") == 1);
        assertThat(gw.gateway().devices().find(d.id)).isEmpty();
        assertThat(events("aurora:cps:telemetry", d.id)).isEmpty();
        assertThat(d.nextChallenge(Duration.ofMillis(300))).isNull();
    }

    @Test
    void theRegistryAndAnOpenChallengeSurviveARestart() throws Exception {
        startGateway(Map.of());
        SimulatedDevice before = device("sim-00018");
        before.telemetry(1, 1, "1.2.0");
        Challenge open = before.nextChallenge();
        String uuid = registered(before.id).uuid();
        before.close();

        gw.restartOnPort(gw.mqttPort());
        assertThat(registered("sim-00018").uuid()).isEqualTo(uuid);
        assertThat(gw.gateway().devices().openChallengeOf("sim-00018")).hasValueSatisfying(c -> assertThat(c.requestId()).isEqualTo(open.requestId()));

        SimulatedDevice after = device("sim-00018");
        after.answer(open, latest(18), 1);
        awaitState("sim-00018", AttestationState.TRUSTED);
    }

    /** Shares an indicator on the federation subject, once the gateway's durable consumer exists. */
    private void shareIoc(String id, String pattern) {
        await().atMost(WAIT).ignoreExceptions().until(() -> natsProbe.consumerExists("AURORA", "aurora-edge-gw-test"));
        natsProbe.publish("AURORA.ioc_sharing", """
                {"type":"indicator","spec_version":"2.1","id":"%s","created":"2026-11-27T00:00:00Z",
                 "pattern_type":"stix","pattern":"%s","valid_from":"2026-11-27T00:00:00Z"}""".formatted(id, pattern));
    }

    private static String firmwareHashPattern(RunningFirmware fw) {
        return "[x-aurora-firmware:sha256 = '" + fw.hash().hex() + "']";
    }

    @Test
    void anIocRevokingAHashQuarantinesTheDevicesRunningItAndAReplayChangesNothing() throws Exception {
        startGateway(Map.of());
        SimulatedDevice first = device("sim-00020");
        SimulatedDevice second = device("sim-00021");
        SimulatedDevice otherBoard = device("sim-00029");
        trusted(first, 20, 1);
        trusted(second, 21, 1);
        trusted(otherBoard, 29, 1);
        RunningFirmware revoked = latest(20);

        shareIoc("indicator--0f1e2d3c-revoke-sensor-image", firmwareHashPattern(revoked));
        assertQuarantined(first, AttestationState.REVOKED, "ioc_hash_revoked", 1);
        assertQuarantined(second, AttestationState.REVOKED, "ioc_hash_revoked", 1);
        await().atMost(WAIT).until(() -> auditsWithoutDevice("FIRMWARE_REVOKED_BY_IOC") == 1);
        assertThat(registered(otherBoard.id).state()).isEqualTo(AttestationState.TRUSTED);
        assertThat(registered(otherBoard.id).quarantined()).isFalse();

        shareIoc("indicator--0f1e2d3c-revoke-sensor-image", firmwareHashPattern(revoked));
        await().atMost(WAIT).until(() -> gw.metric("aurora_federation_iocs", "outcome", "replayed") == 1);
        // A barrier: anything the replay had raised is in the outbox before this reading, so in Redis before it.
        otherBoard.telemetry(1, 5, "1.2.0");
        await().atMost(WAIT).until(() -> events("aurora:cps:telemetry", otherBoard.id).stream()
                .anyMatch(e -> e.path("id").asText().equals("sim-00029:1:5")));
        assertThat(events("aurora:cps:alerts", first.id)).hasSize(1);
        assertThat(events("aurora:cps:alerts", second.id)).hasSize(1);
        assertThat(audits(first.id, "DEVICE_QUARANTINED")).isEqualTo(1);
        assertThat(auditsWithoutDevice("FIRMWARE_REVOKED_BY_IOC")).isEqualTo(1);

        // The revocation outlives a restart and meets a device that attests on that image later.
        gw.restartOnPort(gw.mqttPort());
        SimulatedDevice later = device("sim-00022");
        later.telemetry(1, 1, "1.2.0");
        later.answer(later.nextChallenge(), revoked, 1);
        assertQuarantined(later, AttestationState.REVOKED, "hash_revoked", 1);
    }

    @Test
    void anIocNamingADeviceQuarantinesItUntilAnOperatorReleasesIt() throws Exception {
        startGateway(Map.of());
        SimulatedDevice d = device("sim-00023");
        trusted(d, 23, 1);

        shareIoc("indicator--5a6b-compromised-sensor", "[x-aurora-device:id = 'sim-00023']");
        assertQuarantined(d, AttestationState.TRUSTED, "ioc_compromised", 1, "DEVICE_QUARANTINED_BY_IOC");

        // A passing attestation does not lift it: stolen keys attest as well as honest ones.
        assertThat(operator(d.id, "attest").statusCode()).isEqualTo(200);
        d.answer(d.nextChallenge(), latest(23), 1);
        await().atMost(WAIT).until(() -> audits(d.id, "ATTESTATION_TRUSTED") == 2);
        assertThat(registered(d.id).quarantined()).isTrue();
        assertThat(registered(d.id).reason()).isEqualTo("ioc_compromised");

        assertThat(operator(d.id, "release").statusCode()).isEqualTo(200);
        assertThat(registered(d.id).quarantined()).isFalse();
    }

    @Test
    void aDeviceNamedByAnIocBeforeItRegistersIsHeldFromItsFirstMessageAndPoisonIsAudited() throws Exception {
        startGateway(Map.of());
        shareIoc("indicator--9e0f-poison", "[x-aurora-device:id = 'not a device id!']");
        await().atMost(WAIT).until(() -> auditsWithoutDevice("IOC_POISON") == 1);
        assertThat(gw.metric("aurora_federation_iocs", "outcome", "poison")).isEqualTo(1);

        shareIoc("indicator--7c8d-compromised-newcomer", "[x-aurora-device:id = 'sim-00024']");
        await().atMost(WAIT).until(() -> gw.metric("aurora_federation_iocs", "outcome", "applied") == 1);

        SimulatedDevice d = device("sim-00024");
        d.telemetry(1, 1, "1.2.0");
        await().atMost(WAIT).until(() -> held(d.id).size() == 1 && audits(d.id, "DEVICE_QUARANTINED_BY_IOC") == 1 && natsAlerts(d.id) == 1);
        assertThat(held(d.id).get(0).path("id").asText()).isEqualTo("sim-00024:1:1");
        assertThat(registered(d.id).quarantined()).isTrue();
        assertThat(registered(d.id).reason()).isEqualTo("ioc_compromised");
        assertThat(events("aurora:cps:telemetry", d.id)).isEmpty();
    }
}
