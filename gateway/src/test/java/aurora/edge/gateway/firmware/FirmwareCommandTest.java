package aurora.edge.gateway.firmware;

import static aurora.edge.gateway.firmware.CliFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.gateway.firmware.CliFixture.Run;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirmwareCommandTest {
    @TempDir
    Path dir;

    CliFixture files;

    @BeforeEach
    void writeFiles() throws IOException {
        files = new CliFixture(dir);
    }

    private Run verify(String image, String... extra) {
        String[] args = new String[extra.length + 2];
        args[0] = "verify";
        args[1] = files.path(image);
        System.arraycopy(extra, 0, args, 2, extra.length);
        return run(new FirmwareCommand(CliFixture.CLOCK), args);
    }

    private Run verifyWithManifest(String image, String... extra) {
        String[] withManifest = new String[extra.length + 4];
        withManifest[0] = "--manifest";
        withManifest[1] = files.path("manifest.json");
        withManifest[2] = "--vendor-key";
        withManifest[3] = files.path("vendor.pub.pem");
        System.arraycopy(extra, 0, withManifest, 4, extra.length);
        return verify(image, withManifest);
    }

    @Test
    void allowedImageVerifiesAgainstTheSignedManifestWithExitZero() {
        Run run = verifyWithManifest("good.bin");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains(
                        "version: 1.2.0",
                        "security_counter: 2",
                        "signature: OK",
                        "manifest: sequence 4, allowed for board nrf52840dk",
                        "RESULT: OK");
    }

    @Test
    void imageAlteredAfterSigningFailsWithExitOne() {
        Run run = verifyWithManifest("tampered.bin");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("RESULT: FAILED image.hash_mismatch");
    }

    @Test
    void imageFromAnUnknownKeyFails() {
        assertThat(verifyWithManifest("unknown-key.bin").out()).contains("RESULT: FAILED image.signer_unknown");
    }

    @Test
    void imageSignedWithTheMcubootExampleKeyFailsEvenWithIntegrityOnly() {
        Run run = verify("example-key.bin", "--integrity-only");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("image.signer_denylisted", "root-ec-p256");
    }

    @Test
    void revokedOrUnlistedImageFailsAgainstTheManifest() {
        Run revoked = verifyWithManifest("revoked.bin");
        Run unlisted = verifyWithManifest("unlisted.bin");

        assertThat(revoked.exitCode()).isEqualTo(1);
        assertThat(revoked.out()).contains("signature: OK", "image is revoked for board nrf52840dk: CVE-TEST-1");
        assertThat(unlisted.exitCode()).isEqualTo(1);
        assertThat(unlisted.out()).contains("image is not listed");
        assertThat(verifyWithManifest("good.bin", "--board", "aurora-sensor-v1").out())
                .contains("not listed for board aurora-sensor-v1");
    }

    @Test
    void explicitKeyVerifiesWithoutAManifest() {
        Run run = verify("good.bin", "--key", files.path("image.pub.pem"));
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("signature: OK").doesNotContain("manifest:");
    }

    @Test
    void withoutAnyKeyItIsAUsageErrorUnlessIntegrityOnlyIsAsked() {
        Run noKey = verify("good.bin");
        Run integrity = verify("good.bin", "--integrity-only");

        assertThat(noKey.exitCode()).isEqualTo(2);
        assertThat(noKey.err()).contains("--integrity-only");
        assertThat(integrity.exitCode()).isZero();
        assertThat(integrity.out()).contains("signature: NOT CHECKED");
        assertThat(verify("tampered.bin", "--integrity-only").exitCode()).isEqualTo(1);
    }

    @Test
    void manifestWithABadSignatureIsRefusedBeforeTheImageIsJudged() {
        Run run = verify(
                "good.bin",
                "--manifest",
                files.path("manifest.json"),
                "--manifest-sig",
                files.path("good.bin"),
                "--vendor-key",
                files.path("vendor.pub.pem"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("manifest: FAILED document.signature_invalid");
    }

    @Test
    void expiredOrRolledBackManifestIsRefused() {
        Clock later = Clock.fixed(CliFixture.NOW.plusSeconds(2 * 86_400), ZoneOffset.UTC);
        Run expired = run(
                new FirmwareCommand(later),
                "verify",
                files.path("good.bin"),
                "--manifest",
                files.path("manifest.json"),
                "--vendor-key",
                files.path("vendor.pub.pem"));

        assertThat(expired.out()).contains("document.expired");
        assertThat(verifyWithManifest("good.bin", "--trusted-sequence", "5").out())
                .contains("document.rollback");
    }

    @Test
    void usageAndInputErrorsExitTwo() {
        assertThat(verify("missing.bin", "--integrity-only").exitCode()).isEqualTo(2);
        assertThat(verify("good.bin", "--manifest", files.path("manifest.json")).exitCode())
                .isEqualTo(2);
        assertThat(verify("good.bin", "--vendor-key", files.path("vendor.pub.pem"))
                        .exitCode())
                .isEqualTo(2);
        assertThat(verify("good.bin", "--key", files.path("good.bin")).exitCode())
                .isEqualTo(2);
        assertThat(verify("good.bin", "--no-such-option").exitCode()).isEqualTo(2);
    }
}
