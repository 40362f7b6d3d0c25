package aurora.edge.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.attestation.Problem;
import aurora.edge.attestation.Result;
import aurora.edge.attestation.dev.DevDeviceKeys;
import aurora.edge.attestation.endorsement.EndorsedDevice;
import aurora.edge.attestation.endorsement.EndorsementList;
import aurora.edge.attestation.evidence.Challenge;
import aurora.edge.attestation.evidence.Evidence;
import aurora.edge.attestation.evidence.EvidenceSigner;
import aurora.edge.attestation.evidence.EvidenceVerifier;
import aurora.edge.attestation.evidence.HighWaterMarks;
import aurora.edge.attestation.evidence.RunningFirmware;
import aurora.edge.attestation.evidence.Verdict;
import aurora.edge.attestation.manifest.ImageStatus;
import aurora.edge.attestation.manifest.Manifest;
import aurora.edge.attestation.manifest.ManifestImage;
import aurora.edge.attestation.mcuboot.ImageVerifier;
import aurora.edge.attestation.mcuboot.McubootImage;
import aurora.edge.attestation.mcuboot.VerifiedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateSamplesTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Path CHECKED_IN = Path.of("src/main/resources/aurora/firmware");

    @Test
    void regeneratingGivesTheCheckedInFilesByteForByte(@TempDir Path dir) throws IOException {
        SortedMap<String, byte[]> generated = GenerateSamples.write(dir, SampleFirmware.FLEET_SIZE);

        for (Map.Entry<String, byte[]> file : generated.entrySet()) {
            assertThat(Files.readAllBytes(dir.resolve(file.getKey())))
                    .as(file.getKey())
                    .isEqualTo(file.getValue());
            assertThat(SampleFirmware.resource(file.getKey()))
                    .as("checked-in " + file.getKey())
                    .isEqualTo(file.getValue());
        }
        assertThat(checkedInFiles()).isEqualTo(generated.keySet());
    }

    @Test
    void everySampleImageVerifiesAsItsKindSays() {
        Manifest manifest = SampleFirmware.manifest(NOW);
        ImageVerifier verifier = new ImageVerifier(manifest.signerKeys());

        assertThat(SampleFirmware.images()).hasSize(16);
        for (SampleImage sample : SampleFirmware.images()) {
            Result<VerifiedImage> result = verifier.verify(SampleFirmware.bytes(sample));
            switch (sample.kind()) {
                case TAMPERED -> assertProblem(result, Problem.IMAGE_HASH_MISMATCH, sample);
                case UNKNOWN_KEY -> assertProblem(result, Problem.IMAGE_SIGNER_UNKNOWN, sample);
                case MCUBOOT_EXAMPLE_KEY -> assertProblem(result, Problem.IMAGE_SIGNER_DENYLISTED, sample);
                default -> {
                    VerifiedImage image = result.orElseThrow();
                    ManifestImage listed =
                            manifest.image(sample.board(), image.hash()).orElseThrow();
                    assertThat(image.hash()).isEqualTo(sample.hash());
                    assertThat(image.version()).isEqualTo(sample.version()).isEqualTo(listed.version());
                    assertThat(image.securityCounter())
                            .isEqualTo(sample.securityCounter())
                            .isEqualTo(listed.securityCounter());
                    assertThat(listed.size()).isEqualTo(image.size());
                    assertThat(listed.isRevoked()).isEqualTo(sample.kind() == SampleKind.REVOKED);
                }
            }
        }
    }

    @Test
    void imagesUseTheImgtoolPaddedHeaderAndTheTwoSignatureAlgorithms() {
        McubootImage nrf = McubootImage.parse(SampleFirmware.bytes(SampleFirmware.latestAllowed("nrf52840dk")))
                .orElseThrow();
        McubootImage sensor = McubootImage.parse(SampleFirmware.bytes(SampleFirmware.latestAllowed("aurora-sensor-v1")))
                .orElseThrow();

        assertThat(nrf.header().headerSize()).isEqualTo(0x200);
        assertThat(nrf.tlv(0x22)).isPresent();
        assertThat(sensor.tlv(0x24)).isPresent();
        assertThat(sensor.securityCounter()).hasValue(2);
    }

    @Test
    void manifestListsOnlyGenuineImagesAndRevokesOne() {
        Manifest manifest = SampleFirmware.manifest(NOW);

        assertThat(manifest.boards().keySet()).containsExactlyElementsOf(SampleFirmware.BOARDS);
        for (SampleImage sample : SampleFirmware.images()) {
            // A tampered image still claims the hash of the genuine image it was altered from.
            boolean claimsAListedHash = sample.kind().isListed() || sample.kind() == SampleKind.TAMPERED;
            assertThat(manifest.image(sample.board(), sample.hash()).isPresent())
                    .as(sample.file())
                    .isEqualTo(claimsAListedHash);
        }
        assertThat(manifest.board("nrf52840dk").orElseThrow().images())
                .filteredOn(i -> i.status() == ImageStatus.REVOKED)
                .hasSize(1);
    }

    @Test
    void endorsementListHoldsTheDerivedDevKeyOfEverySimulatedDevice() {
        EndorsementList list = SampleFirmware.endorsements();
        DevDeviceKeys keys = DevDeviceKeys.simFleet();

        assertThat(list.size()).isEqualTo(SampleFirmware.FLEET_SIZE);
        for (int index : new int[] {0, 9, 500, 999}) {
            String id = DevDeviceKeys.simDeviceId(index);
            EndorsedDevice device = list.device(id).orElseThrow();
            assertThat(device.publicKey()).isEqualTo(keys.privateKeyFor(id).verifyingKey());
            assertThat(device.board()).isEqualTo(SampleFirmware.boardOfSimDevice(index));
        }
        assertThat(list.device("sim-01000")).isEmpty();
    }

    @Test
    void simulatedDeviceAttestsWithTheSampleFilesEndToEnd() {
        EndorsedDevice device =
                SampleFirmware.endorsements().device("sim-00009").orElseThrow();
        EvidenceVerifier verifier = new EvidenceVerifier(SampleFirmware.manifest(NOW));
        EvidenceSigner signer =
                new EvidenceSigner(device.deviceId(), DevDeviceKeys.simFleet().privateKeyFor(device.deviceId()));

        assertThat(attest(verifier, signer, device, SampleKind.ALLOWED).status())
                .isEqualTo(Verdict.Status.TRUSTED);
        assertThat(attest(verifier, signer, device, SampleKind.REVOKED).reason())
                .isEqualTo(Verdict.Reason.HASH_REVOKED);
        assertThat(attest(verifier, signer, device, SampleKind.BELOW_MINIMUM).reason())
                .isEqualTo(Verdict.Reason.BELOW_MINIMUM_SECURITY_COUNTER);
        assertThat(attest(verifier, signer, device, SampleKind.UNKNOWN_KEY).status())
                .isEqualTo(Verdict.Status.UNKNOWN_FIRMWARE);
        assertThat(attest(verifier, signer, device, SampleKind.MCUBOOT_EXAMPLE_KEY)
                        .reason())
                .isEqualTo(Verdict.Reason.SIGNER_DENYLISTED);
    }

    private static Verdict attest(
            EvidenceVerifier verifier, EvidenceSigner signer, EndorsedDevice device, SampleKind kind) {
        SampleImage sample = kind == SampleKind.ALLOWED
                ? SampleFirmware.latestAllowed(device.board())
                : SampleFirmware.image(device.board(), kind);
        RunningFirmware firmware = RunningFirmware.of(
                McubootImage.parse(SampleFirmware.bytes(sample)).orElseThrow());
        Challenge challenge = Challenge.issue("req-" + kind.json(), new SecureRandom(), NOW, Duration.ofMinutes(2));
        byte[] wire = signer.answer(challenge, firmware, 3).toJson();
        return verifier.verify(
                challenge, device, HighWaterMarks.NONE, Evidence.parse(wire).orElseThrow(), NOW.plusSeconds(5));
    }

    private static Set<String> checkedInFiles() throws IOException {
        try (Stream<Path> files = Files.walk(CHECKED_IN)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> CHECKED_IN.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toSet());
        }
    }

    private static void assertProblem(Result<VerifiedImage> result, Problem problem, SampleImage sample) {
        assertThat(result)
                .as(sample.file())
                .isInstanceOfSatisfying(
                        Result.Failed.class, f -> assertThat(f.problem()).isEqualTo(problem));
    }
}
