package aurora.edge.gateway.attest;

import static aurora.edge.gateway.attest.AttestationStack.WAIT;
import static aurora.edge.gateway.attest.AttestationStack.latest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.attestation.evidence.Challenge;
import aurora.edge.attestation.keys.KeyAlgorithm;
import aurora.edge.attestation.keys.SigningKey;
import aurora.edge.gateway.Main;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.FederationIoc;
import aurora.edge.testing.Indicators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.impl.Headers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11, hole 10: federation IOCs were unauthenticated and unbounded. Here, against real
 * NATS, Redis, the broker and simulated devices ({@link AttestationStack}): a revoked indicator or
 * one past its {@code valid_until} releases what it alone held; one that would quarantine more of
 * the fleet than {@code federation.max_fleet_share} waits for an operator's {@code iocs confirm};
 * with {@code federation.ioc_key} only indicators signed over their exact bytes are taken; and the
 * table of indicators is bounded.
 */
class FederationIocLifecycleIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ANY_SHARE = Map.of("AURORA_FEDERATION_MAX_FLEET_SHARE", "1");

    @RegisterExtension
    static final AttestationStack stack = new AttestationStack();

    private static void share(String body) {
        awaitConsumer();
        stack.natsProbe().publish("AURORA.ioc_sharing", body);
    }

    private static void share(Headers headers, byte[] body) {
        awaitConsumer();
        stack.natsProbe().publish("AURORA.ioc_sharing", headers, body);
    }

    private static void awaitConsumer() {
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> stack.natsProbe().consumerExists("AURORA", "aurora-edge-gw-test"));
    }

    private static String device(String id) {
        return "[x-aurora-device:id = '" + id + "']";
    }

    private static String firmware(int index) {
        return "[x-aurora-firmware:sha256 = '" + latest(index).hash().hex() + "']";
    }

    private static double outcome(String outcome) {
        return stack.gw().metric("aurora_federation_iocs", "outcome", outcome);
    }

    private static boolean quarantined(String id) {
        return stack.registered(id).quarantined();
    }

    @Test
    void aRevokedIndicatorReleasesWhatItAloneHeldAndIsAudited() throws Exception {
        stack.start(ANY_SHARE);
        // Two boards: the image indicator concerns only sim-00085 (sim-000x9 run the other board's images).
        SimulatedDevice named = stack.device("sim-00079");
        SimulatedDevice onImage = stack.device("sim-00085");
        SimulatedDevice twice = stack.device("sim-00069");
        stack.trusted(named, 79, 1);
        stack.trusted(onImage, 85, 1);
        stack.trusted(twice, 69, 1);

        share(Indicators.json("indicator--a1-device", device(named.id)));
        share(Indicators.json("indicator--a2-image", firmware(85)));
        share(Indicators.json("indicator--a3-twice", device(twice.id)));
        share(Indicators.json("indicator--a4-twice-again", device(twice.id)));
        await().atMost(WAIT)
                .until(() -> quarantined(named.id)
                        && quarantined(onImage.id)
                        && quarantined(twice.id)
                        && outcome("applied") == 4);
        assertThat(stack.registered(onImage.id).state()).isEqualTo(AttestationState.REVOKED);

        share(Indicators.revoked("indicator--a1-device", device(named.id)));
        share(Indicators.revoked("indicator--a2-image", firmware(85)));
        share(Indicators.revoked("indicator--a3-twice", device(twice.id)));
        await().atMost(WAIT).until(() -> outcome("withdrawn") == 3);

        assertThat(quarantined(named.id)).isFalse();
        assertThat(stack.registered(named.id).reason()).isEqualTo("ioc_withdrawn");
        assertThat(quarantined(onImage.id)).isFalse();
        assertThat(stack.registered(onImage.id).state()).isEqualTo(AttestationState.PENDING);
        assertThat(quarantined(twice.id)).as("another indicator still names it").isTrue();
        await().atMost(WAIT).until(() -> stack.gatewayAudits("IOC_WITHDRAWN").size() == 3);
        assertThat(stack.gatewayAudits("IOC_WITHDRAWN"))
                .extracting(e -> e.path("fields").path("ioc_id").asText() + "="
                        + e.path("fields").path("devices_released").asInt())
                .containsExactlyInAnyOrder("indicator--a1-device=1", "indicator--a2-image=1", "indicator--a3-twice=0");
        await().atMost(WAIT)
                .until(() -> stack.audits(named.id, "DEVICE_RELEASED") == 1
                        && stack.audits(onImage.id, "DEVICE_RELEASED") == 1);

        // The image is no longer refused: the device released from it is challenged and attests TRUSTED again.
        Challenge again = onImage.nextChallenge();
        onImage.answer(again, latest(85), 1);
        stack.awaitState(onImage.id, AttestationState.TRUSTED);
        assertThat(quarantined(onImage.id)).isFalse();

        // A redelivered original of a withdrawn indicator changes nothing.
        share(Indicators.json("indicator--a1-device", device(named.id)));
        await().atMost(WAIT).until(() -> outcome("replayed") == 1);
        assertThat(quarantined(named.id)).isFalse();
    }

    @Test
    void anIndicatorPastItsValidUntilIsWithdrawnAndOneAlreadyPastItIsNotApplied() throws Exception {
        stack.start(ANY_SHARE);
        SimulatedDevice brief = stack.device("sim-00087");
        SimulatedDevice late = stack.device("sim-00088");
        stack.trusted(brief, 87, 1);
        stack.trusted(late, 88, 1);

        share(Indicators.validUntil(
                "indicator--b1-late", device(late.id), Instant.now().minusSeconds(60)));
        share(Indicators.validUntil(
                "indicator--b2-brief", device(brief.id), Instant.now().plusSeconds(4)));
        await().atMost(WAIT).until(() -> quarantined(brief.id) && outcome("expired") == 1);
        assertThat(quarantined(late.id)).isFalse();

        await().atMost(WAIT).until(() -> !quarantined(brief.id));
        assertThat(stack.registered(brief.id).reason()).isEqualTo("ioc_withdrawn");
        await().atMost(WAIT).until(() -> stack.gatewayAudits("IOC_EXPIRED").size() == 1);
        assertThat(stack.gatewayAudits("IOC_EXPIRED")
                        .get(0)
                        .path("fields")
                        .path("devices_released")
                        .asInt())
                .isEqualTo(1);
        assertThat(stack.gw()
                        .gateway()
                        .devices()
                        .ioc("indicator--b2-brief")
                        .orElseThrow()
                        .state())
                .isEqualTo(FederationIoc.State.WITHDRAWN);
        assertThat(stack.gw().gateway().devices().ioc("indicator--b1-late")).isEmpty();
    }

    @Test
    void anIndicatorThatWouldQuarantineMoreThanTheAllowedShareOfTheFleetWaitsForAnOperatorsConfirmation()
            throws Exception {
        stack.start(Map.of()); // federation.max_fleet_share: 0.2 by default
        List<SimulatedDevice> onOneImage = List.of(
                stack.device("sim-00081"),
                stack.device("sim-00082"),
                stack.device("sim-00083"),
                stack.device("sim-00084"));
        for (SimulatedDevice d : onOneImage) {
            stack.trusted(d, Integer.parseInt(d.id.substring(4)), 1);
        }
        SimulatedDevice other = stack.device("sim-00089");
        stack.trusted(other, 89, 1);

        share(Indicators.json("indicator--c1-whole-fleet", firmware(81)));
        await().atMost(WAIT).until(() -> outcome("awaiting_confirmation") == 1);
        await().atMost(WAIT)
                .until(() -> stack.gatewayAudits("IOC_AWAITS_CONFIRMATION").size() == 1);
        JsonNode waiting = stack.gatewayAudits("IOC_AWAITS_CONFIRMATION").get(0);
        assertThat(waiting.path("severity").asText()).isEqualTo("critical");
        assertThat(waiting.path("fields").path("devices_affected").asInt()).isEqualTo(4);
        assertThat(waiting.path("fields").path("allowed_without_confirmation").asInt())
                .isEqualTo(1);
        await().atMost(WAIT)
                .until(() -> stack.events("aurora:cps:alerts").stream()
                        .anyMatch(e -> "IOC_AWAITS_CONFIRMATION"
                                        .equals(e.path("fields").path("code").asText())
                                && "critical".equals(e.path("severity").asText())));
        assertThat(onOneImage).noneMatch(d -> quarantined(d.id));
        JsonNode listed = JSON.readTree(AttestationStack.send(
                        HttpRequest.newBuilder(stack.opsUri("/iocs")).build())
                .body());
        assertThat(listed)
                .extracting(
                        n -> n.path("ioc_id").asText() + "/" + n.path("state").asText())
                .containsExactly("indicator--c1-whole-fleet/AWAITING_CONFIRMATION");

        // One device is within the share: an indicator naming it applies at once.
        share(Indicators.json("indicator--c2-one-device", device(other.id)));
        await().atMost(WAIT).until(() -> quarantined(other.id));

        Cli confirmed = cli(
                "iocs",
                "confirm",
                "indicator--c1-whole-fleet",
                "--url",
                "http://127.0.0.1:" + stack.gw().httpPort(),
                "--token-file",
                stack.opsTokenFile().toString(),
                "--operator",
                "carol");
        assertThat(confirmed.exitCode()).as(confirmed.err()).isZero();
        assertThat(confirmed.out()).isEqualTo("indicator--c1-whole-fleet: confirmed; 4 device(s) quarantined\n");
        assertThat(onOneImage)
                .allMatch(d -> quarantined(d.id) && stack.registered(d.id).state() == AttestationState.REVOKED);
        await().atMost(WAIT).until(() -> stack.gatewayAudits("IOC_CONFIRMED").size() == 1);
        assertThat(stack.gatewayAudits("IOC_CONFIRMED")
                        .get(0)
                        .path("fields")
                        .path("operator")
                        .asText())
                .isEqualTo("carol");
        Cli again = cli(
                "iocs",
                "confirm",
                "indicator--c1-whole-fleet",
                "--url",
                "http://127.0.0.1:" + stack.gw().httpPort(),
                "--token-file",
                stack.opsTokenFile().toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("(409): not awaiting confirmation (ACTIVE)");
    }

    @Test
    void withAPinnedKeyOnlyIndicatorsSignedOverTheirExactBytesAreTaken() throws Exception {
        SigningKey peer = SigningKey.generate(KeyAlgorithm.ED25519, new SecureRandom());
        SigningKey stranger = SigningKey.generate(KeyAlgorithm.ED25519, new SecureRandom());
        Path pem = Files.writeString(
                stack.dir().resolve("federation-ioc.pub.pem"),
                peer.verifyingKey().toPem());
        stack.start(Map.of("AURORA_FEDERATION_MAX_FLEET_SHARE", "1", "AURORA_FEDERATION_IOC_KEY", pem.toString()));
        SimulatedDevice d = stack.device("sim-00090");
        stack.trusted(d, 90, 1);

        byte[] body = Indicators.json("indicator--d1-signed", device(d.id)).getBytes(StandardCharsets.UTF_8);
        share(new Headers(), body);
        share(Indicators.signedBy(stranger, body), body);
        byte[] reformatted = Indicators.json("indicator--d1-signed", device(d.id))
                .replace(",", ", ")
                .getBytes(StandardCharsets.UTF_8);
        share(Indicators.signedBy(peer, body), reformatted);
        share(new Headers().add(Indicators.SIGNATURE_HEADER, "not base64!"), body);
        await().atMost(WAIT).until(() -> outcome("signature_invalid") == 4);
        await().atMost(WAIT).until(() -> stack.auditsWithoutDevice("IOC_SIGNATURE_INVALID") == 4);
        assertThat(stack.gatewayAudits("IOC_SIGNATURE_INVALID"))
                .extracting(e -> e.path("fields").path("reason").asText())
                .containsExactlyInAnyOrder(
                        "no Aurora-Signature header",
                        "signature does not verify with federation.ioc_key",
                        "signature does not verify with federation.ioc_key",
                        "Aurora-Signature is not base64");
        assertThat(quarantined(d.id)).isFalse();
        assertThat(outcome("applied")).isZero();

        share(Indicators.signedBy(peer, body), body);
        await().atMost(WAIT).until(() -> quarantined(d.id));
        assertThat(outcome("applied")).isEqualTo(1);
    }

    @Test
    void theIndicatorTableIsBoundedAndWithdrawnIndicatorsAreForgottenFirstToMakeRoom() throws Exception {
        stack.start(Map.of("AURORA_FEDERATION_MAX_FLEET_SHARE", "1", "AURORA_FEDERATION_MAX_IOCS", "10"));
        for (int i = 0; i < 10; i++) {
            share(Indicators.json("indicator--e" + i, device("far-away-" + i)));
        }
        await().atMost(WAIT).until(() -> outcome("applied") == 10);
        share(Indicators.json("indicator--e10", device("far-away-10")));
        await().atMost(WAIT).until(() -> outcome("refused") == 1);
        await().atMost(WAIT).until(() -> stack.auditsWithoutDevice("IOC_TABLE_FULL") == 1);
        assertThat(stack.gw().gateway().devices().iocCount()).isEqualTo(10);
        assertThat(stack.gw().gateway().devices().namedCompromised("far-away-10"))
                .isFalse();

        share(Indicators.revoked("indicator--e0", device("far-away-0")));
        await().atMost(WAIT).until(() -> outcome("withdrawn") == 1);
        share(Indicators.json("indicator--e11", device("far-away-11")));
        await().atMost(WAIT).until(() -> outcome("applied") == 11);
        assertThat(stack.gw().gateway().devices().iocCount()).isEqualTo(10);
        assertThat(stack.gw().gateway().devices().ioc("indicator--e0"))
                .as("the withdrawn one made room")
                .isEmpty();
        assertThat(stack.gw().gateway().devices().namedCompromised("far-away-11"))
                .isTrue();
    }

    // ---- helpers ----

    private record Cli(int exitCode, String out, String err) {}

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
        }
    }
}
