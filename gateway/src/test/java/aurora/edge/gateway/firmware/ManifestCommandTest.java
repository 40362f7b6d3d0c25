package aurora.edge.gateway.firmware;

import static aurora.edge.gateway.firmware.CliFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.gateway.firmware.CliFixture.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestCommandTest {
    @TempDir
    Path dir;

    CliFixture files;

    @BeforeEach
    void writeFiles() throws IOException {
        files = new CliFixture(dir);
        Files.delete(dir.resolve("manifest.json.sig"));
    }

    private Run manifest(String... args) {
        return run(new ManifestCommand(CliFixture.CLOCK), args);
    }

    @Test
    void signedManifestVerifiesAndPrintsItsSummary() {
        Run sign = manifest("sign", files.path("manifest.json"), "--key", files.path("vendor.key.pem"));
        Run verify = manifest("verify", files.path("manifest.json"), "--vendor-key", files.path("vendor.pub.pem"));

        assertThat(sign.exitCode()).as(sign.err()).isZero();
        assertThat(sign.out()).contains("manifest: signed sequence 4", "ECDSA_P256");
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out())
                .contains("sequence: 4", "board: nrf52840dk images=2 revoked=1 min_security_counter=1", "manifest: OK");
    }

    @Test
    void opensslAcceptsTheSignatureManifestSignWrites() throws Exception {
        Assertions.assertTrue(
                Files.isExecutable(Path.of("/usr/bin/openssl")),
                "needs /usr/bin/openssl: run `make test`, which installs it");
        manifest(
                "sign",
                files.path("manifest.json"),
                "--key",
                files.path("vendor.key.pem"),
                "--out",
                files.path("m.sig"));

        Process openssl = new ProcessBuilder(
                        "/usr/bin/openssl",
                        "dgst",
                        "-sha256",
                        "-verify",
                        files.path("vendor.pub.pem"),
                        "-signature",
                        files.path("m.sig"),
                        files.path("manifest.json"))
                .redirectErrorStream(true)
                .start();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("Verified OK");
    }

    @Test
    void signingWithTheMcubootExampleKeyIsRefused() {
        Run run = manifest("sign", files.path("manifest.json"), "--key", files.path("example.key.pem"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("NOT SIGNED", "MCUboot example key");
        assertThat(dir.resolve("manifest.json.sig")).doesNotExist();
    }

    @Test
    void invalidContentIsNotSigned() throws IOException {
        Files.writeString(dir.resolve("bad.json"), "{\"format\":\"aurora-firmware-manifest\"}");
        Run run = manifest("sign", files.path("bad.json"), "--key", files.path("vendor.key.pem"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("document.schema");
    }

    @Test
    void editedManifestOrWrongVendorKeyFailsVerification() throws IOException {
        manifest("sign", files.path("manifest.json"), "--key", files.path("vendor.key.pem"));
        Run wrongKey = manifest("verify", files.path("manifest.json"), "--vendor-key", files.path("image.pub.pem"));
        Files.writeString(
                dir.resolve("manifest.json"),
                Files.readString(dir.resolve("manifest.json")).replace("\"sequence\" : 4", "\"sequence\" : 9"));
        Run edited = manifest("verify", files.path("manifest.json"), "--vendor-key", files.path("vendor.pub.pem"));

        assertThat(wrongKey.exitCode()).isEqualTo(1);
        assertThat(wrongKey.out()).contains("document.signature_invalid");
        assertThat(edited.exitCode()).isEqualTo(1);
        assertThat(edited.out()).contains("document.signature_invalid");
    }

    @Test
    void olderSequenceThanTheTrustedOneIsRollback() {
        manifest("sign", files.path("manifest.json"), "--key", files.path("vendor.key.pem"));
        Run run = manifest(
                "verify",
                files.path("manifest.json"),
                "--vendor-key",
                files.path("vendor.pub.pem"),
                "--trusted-sequence",
                "5");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("document.rollback");
    }

    @Test
    void missingFilesAndOptionsExitTwo() {
        assertThat(manifest("verify", files.path("manifest.json"), "--vendor-key", files.path("vendor.pub.pem"))
                        .exitCode())
                .isEqualTo(2);
        assertThat(manifest("verify", files.path("manifest.json")).exitCode()).isEqualTo(2);
        assertThat(manifest("sign", files.path("manifest.json"), "--key", files.path("nope.pem"))
                        .exitCode())
                .isEqualTo(2);
        assertThat(manifest("sign", files.path("manifest.json"), "--key", files.path("vendor.pub.pem"))
                        .exitCode())
                .isEqualTo(2);
    }
}
