package aurora.edge.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys as openssl writes them are read; what the site CA issues names the device and verifies. */
class PemTest {
    @TempDir
    Path dir;

    private Path openssl(String name, String... args) throws Exception {
        Path out = dir.resolve(name);
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", args[0], "-out", out.toString()));
        cmd.addAll(List.of(args).subList(1, args.length));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
        return out;
    }

    @Test
    void readsTheKeyFormsOpensslWrites() throws Exception {
        assertThat(Pem.privateKey(openssl("ec-params.key", "ecparam", "-name", "prime256v1", "-genkey"))
                        .getAlgorithm())
                .isEqualTo("EC");
        assertThat(Pem.privateKey(openssl(
                                "ec-pkcs8.key", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"))
                        .getAlgorithm())
                .isEqualTo("EC");
        assertThat(Pem.privateKey(openssl(
                                "rsa-pkcs8.key", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"))
                        .getAlgorithm())
                .isEqualTo("RSA");
        assertThat(Pem.privateKey(openssl("rsa-trad.key", "genrsa", "-traditional", "2048"))
                        .getAlgorithm())
                .isEqualTo("RSA");
    }

    @Test
    void anEncryptedKeyIsRefusedWithAMessageNamingTheFile() throws Exception {
        Path key = openssl(
                "enc.key",
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-aes256",
                "-pass",
                "pass:x");
        assertThatThrownBy(() -> Pem.privateKey(key))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("enc.key")
                .hasMessageContaining("encrypted");
    }

    @Test
    void anIssuedDeviceCertificateNamesTheDeviceAndChainsToTheSiteCa() throws Exception {
        SiteCa ca = new SiteCa(dir.resolve("ca"), Clock.systemUTC());
        ca.init("site-1", List.of("gw.example"));
        Path[] files = ca.issue("sensor-7", dir.resolve("out"), Duration.ofDays(1));
        var cert = Pem.certificates(files[0]).get(0);
        assertThat(CertificateNames.of(cert)).containsExactly("sensor-7");
        assertThat(CertificateNames.names(cert, "sensor-8")).isFalse();
        cert.verify(Pem.certificates(dir.resolve("ca").resolve(SiteCa.CA_CERT))
                .get(0)
                .getPublicKey());
        var ownerOnly = java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
        assertThat(java.nio.file.Files.getPosixFilePermissions(files[1])).isEqualTo(ownerOnly);
        assertThat(java.nio.file.Files.getPosixFilePermissions(dir.resolve("ca").resolve(SiteCa.CA_KEY)))
                .isEqualTo(ownerOnly);

        DeviceTrust before = DeviceTrust.load(
                dir.resolve("ca").resolve(SiteCa.CA_CERT), dir.resolve("ca").resolve(SiteCa.CRL), java.util.Set.of());
        before.check(new java.security.cert.X509Certificate[] {cert});
        ca.revoke("sensor-7", dir.resolve("ca").resolve(SiteCa.CRL));
        DeviceTrust after = DeviceTrust.load(
                dir.resolve("ca").resolve(SiteCa.CA_CERT), dir.resolve("ca").resolve(SiteCa.CRL), java.util.Set.of());
        assertThatThrownBy(() -> after.check(new java.security.cert.X509Certificate[] {cert}))
                .isInstanceOf(CertificateRevoked.class);
    }
}
