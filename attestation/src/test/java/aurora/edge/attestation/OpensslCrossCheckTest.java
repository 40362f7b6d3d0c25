package aurora.edge.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.attestation.keys.SigningKey;
import aurora.edge.attestation.keys.VerifyingKey;
import aurora.edge.attestation.manifest.ImageStatus;
import aurora.edge.attestation.manifest.Manifest;
import aurora.edge.attestation.manifest.ManifestReader;
import aurora.edge.attestation.manifest.ManifestWriter;
import aurora.edge.attestation.mcuboot.ImageBuilder;
import aurora.edge.attestation.mcuboot.ImageVerifier;
import aurora.edge.attestation.mcuboot.McubootImage;
import aurora.edge.attestation.mcuboot.Tlv;
import aurora.edge.attestation.mcuboot.VerifiedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our images, manifests and evidence checked by openssl, and openssl's signatures checked by us. */
class OpensslCrossCheckTest {
    @TempDir
    Path dir;

    Openssl openssl;

    @BeforeEach
    void requireOpenssl() {
        Assertions.assertTrue(
                Openssl.isInstalled(), "needs " + Openssl.BINARY + ": run `make test`, which installs it");
        openssl = new Openssl(dir);
    }

    @Test
    void opensslRecomputesTheSha256TlvAndVerifiesOurEcdsaImageSignature() throws Exception {
        McubootImage image = TestFixtures.verified(TestFixtures.signedImage(TestFixtures.IMAGE_P256, "1.2.3", 7))
                .image();
        openssl.write("region.bin", image.hashedRegion());
        openssl.write("sig.der", image.value(image.tlv(Tlv.ECDSA_SIG).orElseThrow()));
        openssl.write("pub.pem", TestFixtures.IMAGE_P256.verifyingKey().toPem());

        String digest = openssl.ok("dgst", "-sha256", "-r", "region.bin");
        String verified = openssl.ok("dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.der", "region.bin");

        assertThat(digest).startsWith(image.claimedHash().orElseThrow().hex());
        assertThat(verified).contains("Verified OK");
    }

    @Test
    void opensslVerifiesOurEd25519ImageSignatureOverTheDigest() throws Exception {
        McubootImage image = TestFixtures.verified(TestFixtures.signedImage(TestFixtures.IMAGE_ED25519, "1.0.0", 1))
                .image();
        openssl.write("digest.bin", image.claimedHash().orElseThrow().bytes());
        openssl.write("sig.bin", image.value(image.tlv(Tlv.ED25519).orElseThrow()));
        openssl.write("pub.pem", TestFixtures.IMAGE_ED25519.verifyingKey().toPem());

        assertThat(openssl.ok(
                        "pkeyutl",
                        "-verify",
                        "-pubin",
                        "-inkey",
                        "pub.pem",
                        "-rawin",
                        "-in",
                        "digest.bin",
                        "-sigfile",
                        "sig.bin"))
                .contains("Signature Verified Successfully");
    }

    @Test
    void weAcceptAnImageSignedByOpensslWithAnOpensslP256Key() throws Exception {
        openssl.ok("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
        openssl.ok("pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem");
        VerifyingKey key =
                VerifyingKey.fromPem(Files.readString(dir.resolve("pub.pem"))).orElseThrow();
        ImageBuilder builder = TestFixtures.image("3.1.4", 9);
        openssl.write("region.bin", builder.toBeSigned());

        openssl.ok("dgst", "-sha256", "-sign", "key.pem", "-out", "sig.der", "region.bin");
        byte[] image = builder.withSignature(key, openssl.read("sig.der"));

        VerifiedImage verified = new ImageVerifier(List.of(key)).verify(image).orElseThrow();
        assertThat(verified.securityCounter()).isEqualTo(9);
        assertThat(SigningKey.fromPem(Files.readString(dir.resolve("key.pem")))
                        .orElseThrow()
                        .verifyingKey())
                .isEqualTo(key);
    }

    @Test
    void weAcceptAnEd25519ImageSignedByOpenssl() throws Exception {
        openssl.ok("genpkey", "-algorithm", "ED25519", "-out", "key.pem");
        openssl.ok("pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem");
        VerifyingKey key =
                VerifyingKey.fromPem(Files.readString(dir.resolve("pub.pem"))).orElseThrow();
        ImageBuilder builder = TestFixtures.image("1.0.0", 1);
        openssl.write("digest.bin", Sha256.of(builder.toBeSigned()).bytes());

        openssl.ok("pkeyutl", "-sign", "-inkey", "key.pem", "-rawin", "-in", "digest.bin", "-out", "sig.bin");

        assertThat(new ImageVerifier(List.of(key))
                        .verify(builder.withSignature(key, openssl.read("sig.bin")))
                        .isOk())
                .isTrue();
    }

    @Test
    void weAcceptAManifestSignedByOpensslAndOpensslAcceptsOurs() throws Exception {
        VerifiedImage image = TestFixtures.verified(TestFixtures.signedImage(TestFixtures.IMAGE_P256, "1.0.0", 1));
        byte[] json = ManifestWriter.write(
                TestFixtures.manifest(1, 0, List.of(TestFixtures.entry(image, ImageStatus.ALLOWED))));
        openssl.write("manifest.json", json);
        openssl.ok("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "vendor.pem");
        openssl.ok("pkey", "-in", "vendor.pem", "-pubout", "-out", "vendor.pub.pem");
        openssl.ok("dgst", "-sha256", "-sign", "vendor.pem", "-out", "manifest.json.sig", "manifest.json");
        VerifyingKey vendor = VerifyingKey.fromPem(Files.readString(dir.resolve("vendor.pub.pem")))
                .orElseThrow();

        Manifest manifest = ManifestReader.read(json, openssl.read("manifest.json.sig"), vendor, 0, TestFixtures.NOW)
                .orElseThrow();

        assertThat(manifest.sequence()).isEqualTo(1);
        openssl.write("ours.sig", TestFixtures.VENDOR.sign(json));
        openssl.write("ours.pub.pem", TestFixtures.VENDOR.verifyingKey().toPem());
        assertThat(openssl.ok("dgst", "-sha256", "-verify", "ours.pub.pem", "-signature", "ours.sig", "manifest.json"))
                .contains("Verified OK");
    }
    // Stock AuroraSOC evidence signed by openssl: AuroraSocOpensslTest.
}
