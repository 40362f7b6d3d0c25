package aurora.edge.gateway.attest;

import static aurora.edge.gateway.attest.AttestationStack.WAIT;
import static aurora.edge.gateway.attest.AttestationStack.latest;
import static aurora.edge.gateway.attest.SignedManifests.manifest;
import static aurora.edge.gateway.attest.SignedManifests.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.attestation.evidence.Challenge;
import aurora.edge.attestation.evidence.RunningFirmware;
import aurora.edge.attestation.manifest.BoardPolicy;
import aurora.edge.firmware.SampleFirmware;
import aurora.edge.firmware.SampleKind;
import aurora.edge.gateway.Main;
import aurora.edge.gateway.cli.StatusCommand;
import aurora.edge.gateway.ops.StatusReport;
import aurora.edge.gateway.registry.AttestationState;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code manifest install} against a running gateway (issue 15, live progress of a manifest
 * replacement sweep): the new manifest is verified locally, moved over {@code attest.manifest},
 * and {@code /status} shows the sweep with its re-attestations until they settle, while the
 * command prints progress and exits 0 once the sweep is complete.
 */
class ManifestInstallIT {
    private static final ObjectMapper JSON =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String SENSOR = "aurora-sensor-v1";

    @RegisterExtension
    static final AttestationStack stack = new AttestationStack();

    @Test
    void installingAManifestThatDropsATrustedImageShowsTheSweepOnStatusAndTheCommandFollowsItToTheEnd()
            throws Exception {
        stack.start(Map.of());
        SimulatedDevice onDropped = stack.device("sim-00042");
        SimulatedDevice onKept = stack.device("sim-00041");
        RunningFirmware dropped = allowed(SENSOR, "1.1.0");
        stack.trusted(onDropped, dropped, 1);
        stack.trusted(onKept, latest(41), 1);
        Path next = write(
                "next",
                signed(manifest(
                        2,
                        board -> new BoardPolicy(
                                board.board(),
                                board.minSecurityCounter(),
                                board.images().stream()
                                        .filter(i -> !i.hash().equals(dropped.hash()))
                                        .toList()))));

        String config = config();
        CompletableFuture<Cli> install = CompletableFuture.supplyAsync(
                () -> cli("manifest", "install", next.toString(), "--config", config, "--url", opsUrl()));

        // The gateway takes sequence 2 and waits for the device whose image it no longer lists.
        await().atMost(WAIT)
                .until(() -> status().path("manifest")
                                .path("sweep")
                                .path("toSequence")
                                .asLong()
                        == 2);
        JsonNode open = status().path("manifest");
        assertThat(open.path("sequence").asLong()).isEqualTo(2);
        JsonNode sweep = open.path("sweep");
        assertThat(sweep.path("fromSequence").asLong()).isEqualTo(1);
        assertThat(sweep.path("devicesToEvaluate").asInt()).isEqualTo(2);
        assertThat(sweep.path("devicesEvaluated").asInt()).isEqualTo(2);
        assertThat(sweep.path("quarantined").asInt()).isZero();
        assertThat(sweep.path("reattestIssued").asInt()).isEqualTo(1);
        assertThat(sweep.path("reattestOutstanding").asInt()).isEqualTo(1);
        assertThat(sweep.path("complete").asBoolean()).isFalse();
        assertThat(sweep.path("completedAt").isNull()).isTrue();
        assertThat(sweep.path("startedAt").asText()).isNotEmpty();
        assertThat(install).isNotDone();
        assertThat(StatusCommand.line(JSON.treeToValue(status(), StatusReport.class), 0))
                .contains("manifest 2 sweep 0/1 re-attested");

        await().atMost(WAIT)
                .until(() ->
                        liveErr.toString(StandardCharsets.UTF_8).contains("manifest 2 sweep: 0/1 re-attestations"));

        // The device answers; the new manifest does not list its image, and the sweep is over.
        Challenge again = onDropped.nextChallenge();
        onDropped.answer(again, dropped, 1);
        stack.assertQuarantined(onDropped, AttestationState.UNKNOWN_FIRMWARE, "unknown_hash", 1);
        Cli done = install.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(done.exitCode()).as(done.err()).isZero();
        List<String> progress = done.err()
                .lines()
                .filter(l -> l.startsWith("manifest 2 sweep: "))
                .toList();
        assertThat(progress).as(done.err()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(progress.get(0))
                .startsWith("manifest 2 sweep: 0/1 re-attestations (0%)")
                .contains("ETA");
        assertThat(progress.get(progress.size() - 1))
                .startsWith("manifest 2 sweep: 1/1 re-attestations (100%)")
                .contains("re-attestations/s, done in ");
        assertThat(done.out())
                .contains("sequence: 2")
                .contains("installed: sequence 2 replaces 1")
                .contains("manifest 2 in force (was 1): 2 devices re-evaluated, 0 quarantined at once, 1 re-attested "
                        + "(1 answered, 0 unresponsive)");
        JsonNode complete = status().path("manifest").path("sweep");
        assertThat(complete.path("complete").asBoolean()).isTrue();
        assertThat(complete.path("reattestAnswered").asInt()).isEqualTo(1);
        assertThat(complete.path("reattestOutstanding").asInt()).isZero();
        assertThat(complete.path("completedAt").asText()).isNotEmpty();
        assertThat(Files.readAllBytes(stack.manifestFile())).isEqualTo(Files.readAllBytes(next));
        assertThat(stack.gw().gateway().devices().trustedSequence("manifest")).isEqualTo(2);
        assertThat(stack.registered(onKept.id).state()).isEqualTo(AttestationState.TRUSTED);
    }

    @Test
    void aRolledBackOrUnsignedManifestIsRefusedByTheCommandWithoutTouchingTheInstalledOne() throws Exception {
        stack.start(Map.of());
        byte[] before = Files.readAllBytes(stack.manifestFile());
        FileTime modified = Files.getLastModifiedTime(stack.manifestFile());
        Path older = write("older", signed(manifest(0, board -> board)));

        Cli rollback = cli("manifest", "install", older.toString(), "--config", config(), "--url", opsUrl());
        assertThat(rollback.exitCode()).isEqualTo(1);
        assertThat(rollback.err())
                .contains("refused")
                .contains("sequence 0, not above the sequence in force 1")
                .contains("rollback")
                .contains("Nothing was changed");

        Path unsigned = write("unsigned", signed(manifest(3, board -> board)));
        Files.delete(Path.of(unsigned + ".sig"));
        Cli noSignature = cli("manifest", "install", unsigned.toString(), "--config", config(), "--url", opsUrl());
        assertThat(noSignature.exitCode()).isEqualTo(1);
        assertThat(noSignature.err()).contains("refused: no detached signature").contains("unsigned manifest");

        assertThat(Files.readAllBytes(stack.manifestFile())).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(stack.manifestFile())).isEqualTo(modified);
        // Nothing reached the gateway: no refusal to audit, and sequence 1 is in force without a sweep.
        JsonNode manifest = status().path("manifest");
        assertThat(manifest.path("sequence").asLong()).isEqualTo(1);
        assertThat(manifest.path("sweep").isNull()).isTrue();
        assertThat(manifest.path("lastRefused").isNull()).isTrue();
        assertThat(stack.auditsWithoutDevice("MANIFEST_REFUSED")).isZero();
    }

    /** The new manifest and its signature in a directory of their own, as an operator receives them. */
    private static Path write(String dir, SignedManifests.Signed m) throws Exception {
        Path file = Files.createDirectories(stack.dir().resolve(dir)).resolve("manifest.json");
        Files.write(file, m.json());
        Files.write(Path.of(file + ".sig"), m.signature());
        return file;
    }

    /** The configuration the command reads: where the gateway's manifest and vendor key are. */
    private static String config() throws Exception {
        Path anchors = stack.manifestFile().getParent();
        return Files.writeString(
                        stack.dir().resolve("cli.yaml"),
                        "data:\n  dir: " + stack.dataDir() + "\nattest:\n  manifest: " + stack.manifestFile()
                                + "\n  vendor_key: " + anchors.resolve("vendor.pub.pem") + "\n")
                .toString();
    }

    private static String opsUrl() {
        return "http://127.0.0.1:" + stack.gw().httpPort();
    }

    private static JsonNode status() throws Exception {
        return JSON.readTree(AttestationStack.send(HttpRequest.newBuilder(stack.opsUri("/status"))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build())
                .body());
    }

    private static RunningFirmware allowed(String board, String version) {
        return SimulatedDevice.firmware(SampleFirmware.images().stream()
                .filter(i -> i.board().equals(board)
                        && i.kind() == SampleKind.ALLOWED
                        && i.version().toString().equals(version))
                .findFirst()
                .orElseThrow());
    }

    private record Cli(int exitCode, String out, String err) {}

    /** What the command running now has printed on standard error so far. */
    private static volatile ByteArrayOutputStream liveErr = new ByteArrayOutputStream();

    /** Runs the command line in this JVM, as {@code aurora-edge ARGS} would, and returns what it printed. */
    private static synchronized Cli cli(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        liveErr = err;
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
