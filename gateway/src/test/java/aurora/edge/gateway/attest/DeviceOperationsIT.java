package aurora.edge.gateway.attest;

import static aurora.edge.gateway.attest.AttestationStack.WAIT;
import static aurora.edge.gateway.attest.AttestationStack.latest;
import static aurora.edge.gateway.attest.SignedManifests.manifest;
import static aurora.edge.gateway.attest.SignedManifests.revoking;
import static aurora.edge.gateway.attest.SignedManifests.signed;
import static aurora.edge.gateway.attest.SignedManifests.signedBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.attestation.dev.DevDeviceKeys;
import aurora.edge.attestation.endorsement.EndorsementList;
import aurora.edge.attestation.endorsement.EndorsementWriter;
import aurora.edge.attestation.evidence.Challenge;
import aurora.edge.attestation.evidence.RunningFirmware;
import aurora.edge.attestation.keys.KeyAlgorithm;
import aurora.edge.attestation.keys.SigningKey;
import aurora.edge.attestation.manifest.BoardPolicy;
import aurora.edge.firmware.SampleFirmware;
import aurora.edge.firmware.SampleKind;
import aurora.edge.gateway.Main;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an operator does with devices on a running gateway, end to end (real broker, Redis, NATS,
 * simulated devices; {@link AttestationStack}): replacing the signed firmware manifest while the
 * gateway runs, approving devices under {@code devices.registration_policy: approve}, reading the
 * registry on the ops port, and the {@code devices} commands of the command line.
 */
class DeviceOperationsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SENSOR = "aurora-sensor-v1";
    private static final String DK = "nrf52840dk";

    @RegisterExtension
    static final AttestationStack stack = new AttestationStack();

    // ---- runtime manifest replacement ----

    @Test
    void aHigherSequenceQuarantinesDevicesOnImagesItRevokesOrPutsBelowTheMinimumAndReattestsThoseItNoLongerLists()
            throws Exception {
        stack.start(Map.of());
        SimulatedDevice onRevoked = stack.device("sim-00040");
        SimulatedDevice onStillAllowed = stack.device("sim-00041");
        SimulatedDevice onDropped = stack.device("sim-00042");
        SimulatedDevice belowMinimum = stack.device("sim-00049");
        SimulatedDevice otherBoardFine = stack.device("sim-00059");
        stack.trusted(onRevoked, latest(40), 1);
        stack.trusted(onStillAllowed, allowed(SENSOR, "1.1.1+7"), 1);
        stack.trusted(onDropped, allowed(SENSOR, "1.1.0"), 1);
        stack.trusted(belowMinimum, allowed(DK, "1.1.1+7"), 1);
        stack.trusted(otherBoardFine, latest(59), 1);

        // The vendor revokes sensor 1.2.0, drops sensor 1.1.0 and raises the dk minimum security counter to 2.
        RunningFirmware revoked = latest(40);
        RunningFirmware dropped = allowed(SENSOR, "1.1.0");
        replaceManifest(signed(manifest(
                2,
                board -> board.board().equals(SENSOR)
                        ? revoking(revoked.hash())
                                .apply(new BoardPolicy(
                                        SENSOR,
                                        board.minSecurityCounter(),
                                        board.images().stream()
                                                .filter(i -> !i.hash().equals(dropped.hash()))
                                                .toList()))
                        : new BoardPolicy(board.board(), 2, board.images()))));

        stack.assertQuarantined(onRevoked, AttestationState.REVOKED, "hash_revoked", 1);
        stack.assertQuarantined(belowMinimum, AttestationState.REVOKED, "below_minimum_security_counter", 1);
        await().atMost(WAIT).until(() -> stack.auditsWithoutDevice("MANIFEST_REPLACED") == 1);
        JsonNode replaced = stack.gatewayAudits("MANIFEST_REPLACED").get(0).path("fields");
        assertThat(replaced.path("old_sequence").asLong()).isEqualTo(1);
        assertThat(replaced.path("new_sequence").asLong()).isEqualTo(2);
        assertThat(stack.gw().gateway().devices().trustedSequence("manifest")).isEqualTo(2);

        // The image the new manifest no longer lists is challenged again, and the new manifest judges the answer.
        Challenge again = onDropped.nextChallenge();
        assertThat(stack.gw().gateway().devices().openChallengeOf(onDropped.id))
                .hasValueSatisfying(c -> assertThat(c.trigger()).isEqualTo("manifest_changed"));
        onDropped.answer(again, dropped, 1);
        stack.assertQuarantined(onDropped, AttestationState.UNKNOWN_FIRMWARE, "unknown_hash", 1);

        for (SimulatedDevice fine : List.of(onStillAllowed, otherBoardFine)) {
            fine.telemetry(1, 2, stack.registered(fine.id).firmwareVersion());
            await().atMost(WAIT)
                    .until(() -> stack.events("aurora:cps:telemetry", fine.id).stream()
                            .anyMatch(e -> e.path("id").asText().equals("site-test:" + fine.id + ":1:2")
                                    && "trusted".equals(e.path("trust").asText())));
            assertThat(stack.registered(fine.id).state()).isEqualTo(AttestationState.TRUSTED);
            assertThat(stack.registered(fine.id).quarantined()).isFalse();
            assertThat(stack.events("aurora:cps:alerts", fine.id)).isEmpty();
        }
        assertThat(stack.auditsWithoutDevice("MANIFEST_REFUSED")).isZero();
    }

    @Test
    void aReplacementWithABadSignatureOrAnEqualOrLowerSequenceIsRefusedAndTheCurrentManifestStays() throws Exception {
        stack.start(Map.of());
        SimulatedDevice d = stack.device("sim-00043");
        stack.trusted(d, 43, 1);
        RunningFirmware running = latest(43);
        UnaryOperator<BoardPolicy> revokeRunning = revoking(running.hash());

        SigningKey notTheVendor =
                new DevDeviceKeys("DEV ONLY not the vendor").derive("vendor", KeyAlgorithm.ECDSA_P256);
        replaceManifest(signedBy(notTheVendor, manifest(2, revokeRunning)));
        awaitRefused("document.signature_invalid");

        replaceManifest(signed(manifest(1, revokeRunning)));
        awaitRefused("document.sequence_reused");

        replaceManifest(signed(manifest(0, revokeRunning)));
        awaitRefused("document.rollback");

        assertThat(stack.auditsWithoutDevice("MANIFEST_REFUSED")).isEqualTo(3);
        assertThat(stack.auditsWithoutDevice("MANIFEST_REPLACED")).isZero();
        assertThat(stack.gw().gateway().devices().trustedSequence("manifest")).isEqualTo(1);
        assertThat(stack.registered(d.id).state()).isEqualTo(AttestationState.TRUSTED);
        assertThat(stack.registered(d.id).quarantined()).isFalse();

        // The manifest in force still trusts the image: a fresh attestation passes and the data flows.
        assertThat(stack.operator(d.id, "attest").statusCode()).isEqualTo(200);
        d.answer(d.nextChallenge(), running, 1);
        await().atMost(WAIT).until(() -> stack.audits(d.id, "ATTESTATION_TRUSTED") == 2);
        d.telemetry(1, 2, "1.2.0");
        await().atMost(WAIT)
                .until(() -> stack.events("aurora:cps:telemetry", d.id).stream()
                        .anyMatch(e -> e.path("id").asText().equals("site-test:sim-00043:1:2")
                                && "trusted".equals(e.path("trust").asText())));
        assertThat(stack.registered(d.id).quarantined()).isFalse();
        assertThat(stack.events("aurora:cps:alerts", d.id)).isEmpty();
    }

    // ---- runtime endorsement list replacement (issue 11, hole 4) ----

    @Test
    void aDeviceRemovedFromANewerEndorsementListIsRevokedAtOnceAndNeverAttestedAgain() throws Exception {
        stack.start(Map.of());
        SimulatedDevice removed = stack.device("sim-00044");
        SimulatedDevice kept = stack.device("sim-00045");
        stack.trusted(removed, 44, 1);
        stack.trusted(kept, 45, 1);

        EndorsementList sample = SampleFirmware.endorsements();
        EndorsementList without = new EndorsementList(
                sample.sequence() + 1,
                Instant.now(),
                sample.devices().stream()
                        .filter(e -> !e.deviceId().equals(removed.id))
                        .toList());
        byte[] json = EndorsementWriter.write(without);
        SignedManifests.moveInto(stack.endorsementsFile(), json);
        SignedManifests.moveInto(
                SignedManifests.signatureOf(stack.endorsementsFile()), SignedManifests.VENDOR.sign(json));

        stack.assertQuarantined(removed, AttestationState.REVOKED, "not_endorsed", 1);
        await().atMost(WAIT).until(() -> stack.auditsWithoutDevice("ENDORSEMENTS_REPLACED") == 1);
        assertThat(stack.gatewayAudits("ENDORSEMENTS_REPLACED")
                        .get(0)
                        .path("fields")
                        .path("devices_revoked")
                        .asInt())
                .isEqualTo(1);
        assertThat(stack.gw().gateway().devices().trustedSequence("endorsements"))
                .isEqualTo(sample.sequence() + 1);
        // Without a key it cannot be attested again, by an operator or at its boot changes; the kept device is
        // untouched.
        HttpResponse<String> attest = stack.operator(removed.id, "attest");
        assertThat(attest.statusCode()).isEqualTo(409);
        assertThat(attest.body()).contains("not on the endorsement list");
        assertThat(stack.registered(kept.id).state()).isEqualTo(AttestationState.TRUSTED);
        assertThat(stack.registered(kept.id).quarantined()).isFalse();
        kept.telemetry(1, 2, "1.2.0");
        await().atMost(WAIT)
                .until(() -> stack.events("aurora:cps:telemetry", kept.id).stream()
                        .anyMatch(e -> e.path("id").asText().equals("site-test:sim-00045:1:2")
                                && "trusted".equals(e.path("trust").asText())));
        assertThat(stack.events("aurora:cps:alerts", kept.id)).isEmpty();
    }

    // ---- devices.registration_policy: approve ----

    @Test
    void underTheApprovePolicyANewDevicesDataIsHeldUntilAnOperatorApprovesItThenItIsChallengedAndFlowsOnceTrusted()
            throws Exception {
        stack.start(Map.of("AURORA_DEVICES_REGISTRATION_POLICY", "approve"));
        SimulatedDevice d = stack.device("sim-00050");
        d.telemetry(1, 1, "1.2.0");
        d.alert(1, 2);

        await().atMost(WAIT).until(() -> stack.held(d.id, "unapproved").size() == 2);
        assertThat(stack.held(d.id, "unapproved"))
                .extracting(e -> e.path("id").asText())
                .containsExactlyInAnyOrder("site-test:sim-00050:1:1", "site-test:sim-00050:1:2");
        Device waiting = stack.registered(d.id);
        assertThat(waiting.approved()).isFalse();
        assertThat(waiting.state()).isEqualTo(AttestationState.PENDING);
        assertThat(waiting.trust().wireName()).isEqualTo("unapproved");
        await().atMost(WAIT).until(() -> stack.audits(d.id, "DEVICE_REGISTERED") == 1);
        assertThat(stack.events("aurora:audit", d.id))
                .filteredOn(e ->
                        "DEVICE_REGISTERED".equals(e.path("fields").path("code").asText()))
                .extracting(e -> e.path("fields").path("policy").asText())
                .containsExactly("approve");
        // An operator's challenge is refused too. It runs on the attestation thread after the registration,
        // so once it answered, the registration's own (refused) challenge is behind us as well.
        HttpResponse<String> attest = stack.operator(d.id, "attest");
        assertThat(attest.statusCode()).isEqualTo(409);
        assertThat(attest.body()).contains("waits for an operator's approval");
        assertThat(stack.gw().metric("aurora_attest_challenges_sent")).isZero();
        assertThat(stack.gw().gateway().devices().openChallengeOf(d.id)).isEmpty();
        assertThat(stack.events("aurora:cps:telemetry", d.id)).isEmpty();
        assertThat(stack.events("aurora:cps:alerts", d.id)).isEmpty();

        Cli approved = cli(
                "devices",
                "approve",
                d.id,
                "--url",
                opsUrl(),
                "--token-file",
                stack.opsTokenFile().toString());
        assertThat(approved.exitCode()).as(approved.err()).isZero();
        assertThat(approved.out()).isEqualTo("sim-00050: approved; challenge sent (status PENDING, trust pending)\n");
        d.answer(d.nextChallenge(), latest(50), 1);
        stack.awaitState(d.id, AttestationState.TRUSTED);
        d.telemetry(1, 3, "1.2.0");
        await().atMost(WAIT)
                .until(() -> stack.events("aurora:cps:telemetry", d.id).stream()
                        .anyMatch(e -> e.path("id").asText().equals("site-test:sim-00050:1:3")
                                && "trusted".equals(e.path("trust").asText())));
        assertThat(stack.audits(d.id, "DEVICE_APPROVED")).isEqualTo(1);
        assertThat(stack.audits(d.id, "ATTESTATION_TRUSTED")).isEqualTo(1);
        // What was held stays held: approval does not replay it into the trusted streams.
        assertThat(stack.events("aurora:cps:telemetry", d.id))
                .extracting(e -> e.path("id").asText())
                .containsExactly("site-test:sim-00050:1:3");
        assertThat(stack.events("aurora:cps:alerts", d.id)).isEmpty();
        assertThat(stack.registered(d.id).approved()).isTrue();
    }

    // ---- the ops port ----

    @Test
    void theOpsPortShowsTheRegistryAsJsonAndTakesOperatorCommandsOnlyWithTheTokenAndTheOperatorsName()
            throws Exception {
        stack.start(Map.of());
        SimulatedDevice trusted = stack.device("sim-00060");
        SimulatedDevice pending = stack.device("sim-00061");
        stack.trusted(trusted, 60, 1);
        pending.telemetry(1, 1, "1.2.0");
        Challenge open = pending.nextChallenge();

        HttpResponse<String> list = get("/devices");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode devices = JSON.readTree(list.body());
        assertThat(devices).extracting(n -> n.path("device_id").asText()).containsExactly("sim-00060", "sim-00061");
        assertThat(devices.get(0).path("status").asText()).isEqualTo("TRUSTED");
        assertThat(devices.get(0).path("trust").asText()).isEqualTo("trusted");
        assertThat(devices.get(0).path("attested_hash").asText())
                .isEqualTo(latest(60).hash().hex());
        assertThat(devices.get(1).path("status").asText()).isEqualTo("PENDING");
        assertThat(devices.get(1).path("trust").asText()).isEqualTo("pending");
        assertThat(devices.get(1).path("board").asText()).isEqualTo(SENSOR);

        JsonNode one = JSON.readTree(get("/devices/sim-00060").body());
        assertThat(one.path("quarantined").asBoolean()).isFalse();
        assertThat(one.path("approved").asBoolean()).isTrue();
        assertThat(one.path("firmware_version").asText()).isEqualTo("1.2.0");
        assertThat(one.has("open_challenge")).isFalse();
        assertThat(one.path("history"))
                .extracting(
                        h -> h.path("status").asText() + "/" + h.path("reason").asText())
                .containsExactly("TRUSTED/ok");
        HttpResponse<String> asked = get("/devices/sim-00061");
        assertThat(JSON.readTree(asked.body())
                        .path("open_challenge")
                        .path("request_id")
                        .asText())
                .isEqualTo(open.requestId());
        assertThat(JSON.readTree(asked.body())
                        .path("open_challenge")
                        .path("trigger")
                        .asText())
                .isEqualTo("registered");
        assertThat(asked.body())
                .as("the ops port never shows a nonce")
                .doesNotContain(open.nonce().base64Url());

        HttpResponse<String> unknown = get("/devices/sim-99999");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("error").asText()).isEqualTo("unknown device sim-99999");
        assertThat(get("/devices/not%20an%20id").statusCode()).isEqualTo(404);

        // State changes need the ops token and the operator's name, and POST.
        HttpRequest.Builder quarantine = HttpRequest.newBuilder(stack.opsUri("/devices/sim-00060/quarantine"))
                .POST(HttpRequest.BodyPublishers.noBody());
        assertThat(AttestationStack.send(quarantine.build()).statusCode()).isEqualTo(401);
        assertThat(AttestationStack.send(quarantine
                                .copy()
                                .header("X-Aurora-Operator", "test")
                                .build())
                        .statusCode())
                .isEqualTo(401);
        assertThat(AttestationStack.send(quarantine
                                .copy()
                                .header("Authorization", "Bearer " + stack.opsToken())
                                .header("X-Aurora-Operator", " ")
                                .build())
                        .statusCode())
                .isEqualTo(400);
        assertThat(get("/devices/sim-00060/quarantine").statusCode()).isEqualTo(405);
        assertThat(AttestationStack.send(HttpRequest.newBuilder(stack.opsUri("/devices"))
                                .header("X-Aurora-Operator", "test")
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build())
                        .statusCode())
                .isEqualTo(405);
        assertThat(stack.operator("sim-00060", "reboot").statusCode()).isEqualTo(404);
        assertThat(stack.operator("sim-99999", "quarantine").statusCode()).isEqualTo(404);
        assertThat(stack.registered(trusted.id).quarantined()).isFalse();
        assertThat(stack.audits(trusted.id, "DEVICE_QUARANTINED_BY_OPERATOR")).isZero();

        HttpResponse<String> done = stack.operator("sim-00060", "quarantine");
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(done.body()).path("result").asText()).isEqualTo("done");
        JsonNode after = JSON.readTree(get("/devices/sim-00060").body());
        assertThat(after.path("quarantined").asBoolean()).isTrue();
        assertThat(after.path("trust").asText()).isEqualTo("quarantined");
        assertThat(after.path("reason").asText()).isEqualTo("operator_quarantine");
        assertThat(after.path("history"))
                .extracting(
                        h -> h.path("status").asText() + "/" + h.path("reason").asText())
                .containsExactly("QUARANTINED/operator", "TRUSTED/ok");
        await().atMost(WAIT).until(() -> stack.audits(trusted.id, "DEVICE_QUARANTINED_BY_OPERATOR") == 1);
    }

    // ---- the command line ----

    @Test
    void theDevicesCommandsActOnTheRunningGatewayAndFailClearlyForAnUnknownDeviceOrAStoppedGateway() throws Exception {
        stack.start(Map.of());
        SimulatedDevice d = stack.device("sim-00070");
        stack.trusted(d, 70, 1);
        // list and show read the registry through the configuration; the operator commands take the ops URL.
        String config = Files.writeString(stack.dir().resolve("cli.yaml"), "data:\n  dir: " + stack.dataDir() + "\n")
                .toString();
        String url = opsUrl();

        Cli list = cli("devices", "list", "--config", config);
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().lines().toList()).hasSize(3).last().asString().startsWith("1 devices: 1 trusted");
        assertThat(list.out().lines().toList().get(1))
                .matches("sim-00070 +TRUSTED +trusted +online +1\\.2\\.0 +aurora-sensor-v1 +\\S+");
        JsonNode listed = JSON.readTree(
                cli("devices", "list", "--json", "--config", config).out());
        assertThat(listed)
                .extracting(n ->
                        n.path("device_id").asText() + "/" + n.path("status").asText())
                .containsExactly("sim-00070/TRUSTED");
        Cli show = cli("devices", "show", "sim-00070", "--json", "--config", config);
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(JSON.readTree(show.out()).path("endorsed_key").asText())
                .isEqualTo(stack.registered(d.id).keyRef());
        assertThat(cli("devices", "show", "sim-00070", "--config", config).out())
                .containsPattern("(?m)^trust +trusted$");

        Cli quarantined = cli(
                "devices",
                "quarantine",
                "sim-00070",
                "--url",
                url,
                "--token-file",
                stack.opsTokenFile().toString());
        assertThat(quarantined.exitCode()).as(quarantined.err()).isZero();
        assertThat(quarantined.out()).isEqualTo("sim-00070: quarantined (status TRUSTED, trust quarantined)\n");
        assertThat(cli(
                                "devices",
                                "quarantine",
                                "sim-00070",
                                "--url",
                                url,
                                "--token-file",
                                stack.opsTokenFile().toString())
                        .out())
                .isEqualTo(
                        "sim-00070: already quarantined (operator_quarantine) (status TRUSTED, trust quarantined)\n");
        assertThat(cli("devices", "show", "sim-00070", "--config", config).out())
                .containsPattern("(?m)^quarantined +true$");

        Cli released = cli(
                "devices",
                "release",
                "sim-00070",
                "--url",
                url,
                "--token-file",
                stack.opsTokenFile().toString());
        assertThat(released.exitCode()).as(released.err()).isZero();
        assertThat(released.out()).isEqualTo("sim-00070: released; challenge sent (status TRUSTED, trust trusted)\n");
        Challenge afterRelease = d.nextChallenge();
        Cli attest = cli(
                "devices",
                "attest",
                "sim-00070",
                "--url",
                url,
                "--token-file",
                stack.opsTokenFile().toString());
        assertThat(attest.exitCode()).as(attest.err()).isZero();
        assertThat(attest.out()).isEqualTo("sim-00070: challenge sent (status TRUSTED, trust trusted)\n");
        Challenge asked = d.nextChallenge();
        assertThat(asked.requestId()).isNotEqualTo(afterRelease.requestId());
        assertThat(stack.gw().gateway().devices().openChallengeOf(d.id))
                .hasValueSatisfying(c -> assertThat(c.requestId()).isEqualTo(asked.requestId()));
        assertThat(cli(
                                "devices",
                                "approve",
                                "sim-00070",
                                "--url",
                                url,
                                "--token-file",
                                stack.opsTokenFile().toString())
                        .out())
                .isEqualTo("sim-00070: already approved (status TRUSTED, trust trusted)\n");
        await().atMost(WAIT)
                .until(() -> stack.audits(d.id, "DEVICE_QUARANTINED_BY_OPERATOR") == 1
                        && stack.audits(d.id, "DEVICE_RELEASED") == 1);

        Cli unknownShow = cli("devices", "show", "sim-99999", "--config", config);
        assertThat(unknownShow.exitCode()).isEqualTo(1);
        assertThat(unknownShow.err()).contains("unknown device sim-99999");
        Cli unknownAttest = cli(
                "devices",
                "attest",
                "sim-99999",
                "--url",
                url,
                "--token-file",
                stack.opsTokenFile().toString());
        assertThat(unknownAttest.exitCode()).isEqualTo(1);
        assertThat(unknownAttest.out()).isEmpty();
        assertThat(unknownAttest.err()).contains("attest sim-99999 failed (404): unknown device sim-99999");
        Cli badId = cli(
                "devices",
                "release",
                "not an id",
                "--url",
                url,
                "--token-file",
                stack.opsTokenFile().toString());
        assertThat(badId.exitCode()).isEqualTo(2);
        assertThat(badId.err()).contains("device id \"not an id\" does not match");

        stack.gw().close();
        Cli stopped = cli(
                "devices",
                "quarantine",
                "sim-00070",
                "--url",
                url,
                "--token-file",
                stack.opsTokenFile().toString());
        assertThat(stopped.exitCode()).isEqualTo(1);
        assertThat(stopped.out()).isEmpty();
        String unreachable = "gateway not reachable at " + url
                + ": connection refused (is it running, and is that its ops address?)";
        assertThat(stopped.err().lines().filter(l -> l.startsWith("gateway not reachable")))
                .containsExactly(unreachable);
        Cli status = cli("status", "--url", url);
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.err().lines().filter(l -> l.startsWith("gateway not reachable")))
                .containsExactly(unreachable);
        // The registry reads need no gateway.
        Cli offline = cli("devices", "list", "--config", config);
        assertThat(offline.exitCode()).as(offline.err()).isZero();
        assertThat(offline.out()).contains("sim-00070");
    }

    // ---- helpers ----

    private record Cli(int exitCode, String out, String err) {}

    /** An allowed sample image of {@code board} with this version. */
    private static RunningFirmware allowed(String board, String version) {
        return SimulatedDevice.firmware(SampleFirmware.images().stream()
                .filter(i -> i.board().equals(board)
                        && i.kind() == SampleKind.ALLOWED
                        && i.version().toString().equals(version))
                .findFirst()
                .orElseThrow());
    }

    /** Replaces the manifest and its signature the gateway watches, each file written aside and moved into place. */
    private static void replaceManifest(SignedManifests.Signed m) throws IOException {
        SignedManifests.install(m, stack.manifestFile());
    }

    private static void awaitRefused(String problem) {
        await().atMost(WAIT)
                .until(() -> stack.gatewayAudits("MANIFEST_REFUSED").stream()
                        .anyMatch(e ->
                                problem.equals(e.path("fields").path("problem").asText())));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return AttestationStack.send(HttpRequest.newBuilder(stack.opsUri(path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build());
    }

    private static String opsUrl() {
        return "http://127.0.0.1:" + stack.gw().httpPort();
    }

    /** Runs the command line in this JVM, as {@code aurora-edge ARGS} would, and returns what it printed. */
    private static Cli cli(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.commandLine().execute(args);
            return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
            System.err.print(err.toString(StandardCharsets.UTF_8));
        }
    }
}
