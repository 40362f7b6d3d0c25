package aurora.edge.gateway.firmware;

import aurora.edge.attestation.dev.DevDeviceKeys;
import aurora.edge.attestation.keys.KeyAlgorithm;
import aurora.edge.attestation.keys.SigningKey;
import aurora.edge.attestation.manifest.AcceptedSigner;
import aurora.edge.attestation.manifest.BoardPolicy;
import aurora.edge.attestation.manifest.ImageStatus;
import aurora.edge.attestation.manifest.Manifest;
import aurora.edge.attestation.manifest.ManifestImage;
import aurora.edge.attestation.manifest.ManifestWriter;
import aurora.edge.attestation.mcuboot.ImageBuilder;
import aurora.edge.attestation.mcuboot.ImageVerifier;
import aurora.edge.attestation.mcuboot.ImageVersion;
import aurora.edge.attestation.mcuboot.VerifiedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Writes dev keys, images and a signed manifest into a temp dir, and runs commands against them. */
final class CliFixture {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String BOARD = "nrf52840dk";
    private static final DevDeviceKeys KEYS = new DevDeviceKeys("gateway firmware cli tests");
    static final SigningKey VENDOR = KEYS.derive("vendor", KeyAlgorithm.ECDSA_P256);
    static final SigningKey IMAGE_KEY = KEYS.derive("image", KeyAlgorithm.ED25519);
    static final SigningKey UNKNOWN_KEY = KEYS.derive("unknown", KeyAlgorithm.ECDSA_P256);
    /** mcu-tools/mcuboot root-ec-p256.pem: published, hence deny-listed. */
    static final String MCUBOOT_EXAMPLE_PEM = """
            -----BEGIN EC PRIVATE KEY-----
            MHcCAQEEINeY1S+DASQ701QrflXtTHRhGQCw+VBagk/h6OwGO8/xoAoGCCqGSM49
            AwEHoUQDQgAEKstAPOj+7VukSZWhqR2u6Nu+GTfNFPsvJFc35ZU5iNmUudZa69fN
            1TCK1v5IskpqgQ7l8H2LaDTMOmr8U476wQ==
            -----END EC PRIVATE KEY-----
            """;

    final Path dir;

    CliFixture(Path dir) throws IOException {
        this.dir = dir;
        write("vendor.key.pem", VENDOR.toPem());
        write("vendor.pub.pem", VENDOR.verifyingKey().toPem());
        write("image.pub.pem", IMAGE_KEY.verifyingKey().toPem());
        write("example.key.pem", MCUBOOT_EXAMPLE_PEM);
        byte[] good = image("1.2.0", 2, IMAGE_KEY);
        byte[] revoked = image("1.0.0", 1, IMAGE_KEY);
        Files.write(dir.resolve("good.bin"), good);
        Files.write(dir.resolve("revoked.bin"), revoked);
        Files.write(dir.resolve("unlisted.bin"), image("1.3.0", 2, IMAGE_KEY));
        Files.write(dir.resolve("unknown-key.bin"), image("1.2.0", 2, UNKNOWN_KEY));
        Files.write(
                dir.resolve("example-key.bin"),
                image("1.2.0", 2, SigningKey.fromPem(MCUBOOT_EXAMPLE_PEM).orElseThrow()));
        byte[] tampered = good.clone();
        tampered[0x200 + 5] ^= 1;
        Files.write(dir.resolve("tampered.bin"), tampered);
        byte[] manifest = ManifestWriter.write(new Manifest(
                4,
                NOW.minusSeconds(86_400),
                NOW.plusSeconds(86_400),
                List.of(AcceptedSigner.of(IMAGE_KEY.verifyingKey())),
                Map.of(
                        BOARD,
                        new BoardPolicy(
                                BOARD,
                                1,
                                List.of(entry(good, ImageStatus.ALLOWED), entry(revoked, ImageStatus.REVOKED))))));
        Files.write(dir.resolve("manifest.json"), manifest);
        Files.write(dir.resolve("manifest.json.sig"), VENDOR.sign(manifest));
    }

    String path(String name) {
        return dir.resolve(name).toString();
    }

    record Run(int exitCode, String out, String err) {}

    static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
    }

    private static byte[] image(String version, long securityCounter, SigningKey key) {
        byte[] body = ("sample body " + version).repeat(40).getBytes(StandardCharsets.US_ASCII);
        return ImageBuilder.forBody(body)
                .version(ImageVersion.parse(version))
                .securityCounter(securityCounter)
                .sign(key);
    }

    private static ManifestImage entry(byte[] image, ImageStatus status) {
        VerifiedImage v = new ImageVerifier(List.of(IMAGE_KEY.verifyingKey()))
                .verify(image)
                .orElseThrow();
        return new ManifestImage(
                v.hash(),
                v.version(),
                v.securityCounter(),
                v.size(),
                v.signer().keyHash(),
                status,
                status == ImageStatus.REVOKED ? "CVE-TEST-1" : "");
    }
}
