package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.tls.SiteCa;
import aurora.edge.testing.NatsServerProcess;
import aurora.edge.testing.RedisProbe;
import aurora.edge.testing.RedisServerProcess;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT over TLS with device certificates, against clients nobody here wrote (mosquitto_pub, openssl)
 * and HiveMQ's client for sessions held open: certificates from {@code devices issue-cert} and from
 * plain openssl are accepted without a password and their data reaches Redis; a wrong name, another
 * CA and a missing certificate are refused; a CRL or server certificate replaced on disk takes effect
 * without a restart, closing only the revoked session.
 */
class TlsListenerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RedisServerProcess redis;
    private static NatsServerProcess nats;

    @TempDir
    Path dir;

    private SiteCa ca;
    private TestGateway gw;
    private RedisProbe redisProbe;

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

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        if (redisProbe != null) {
            redisProbe.close();
        }
    }

    /** A gateway serving TLS only (plaintext port off), its files from a site CA made like `devices init-ca` does. */
    private void start(Map<String, String> extra) throws Exception {
        ca = new SiteCa(dir.resolve("ca"), Clock.systemUTC());
        ca.init("site-test", List.of("localhost"));
        Map<String, String> settings = new HashMap<>(Map.of(
                "AURORA_MQTT_PORT", "-1",
                "AURORA_MQTT_TLS_PORT", "0",
                "AURORA_MQTT_TLS_CERT", caFile(SiteCa.SERVER_CERT).toString(),
                "AURORA_MQTT_TLS_KEY", caFile(SiteCa.SERVER_KEY).toString(),
                "AURORA_MQTT_TLS_CA", caFile(SiteCa.CA_CERT).toString(),
                "AURORA_MQTT_TLS_CRL", caFile(SiteCa.CRL).toString(),
                "AURORA_MQTT_TLS_RELOAD_INTERVAL", "200ms"));
        settings.putAll(extra);
        gw = new TestGateway(dir.resolve("gw"), redis.url(), nats.url(), settings).start();
        redisProbe = new RedisProbe(redis.url());
    }

    private Path caFile(String name) {
        return dir.resolve("ca").resolve(name);
    }

    private Path[] issue(String deviceId) throws Exception {
        return ca.issue(deviceId, dir.resolve("devices"), Duration.ofDays(30));
    }

    private MosquittoClients.Result publish(String clientId, Path[] certAndKey, int seq) {
        return MosquittoClients.publishTls(
                gw.mqttTlsPort(),
                caFile(SiteCa.CA_CERT),
                certAndKey == null ? null : certAndKey[0],
                certAndKey == null ? null : certAndKey[1],
                clientId,
                null,
                "aurora/sensors/" + clientId + "/telemetry",
                "{\"boot\":1,\"seq\":" + seq + ",\"t\":20.5}");
    }

    private boolean inRedis(String deviceId, int seq) {
        return !redisProbe
                .entriesWithId("aurora:cps:telemetry", "site-test:" + deviceId + ":1:" + seq)
                .isEmpty();
    }

    private double rejected(String code) {
        return gw.metric("aurora_intake_rejected", "code", code);
    }

    private boolean audited(String code, String deviceId) {
        return audited(code, deviceId, data -> true);
    }

    private boolean audited(
            String code, String deviceId, java.util.function.Predicate<com.fasterxml.jackson.databind.JsonNode> also) {
        return redisProbe.entries("aurora:audit").stream().anyMatch(e -> {
            try {
                var data = JSON.readTree(e.fields().get("data"));
                return code.equals(data.path("fields").path("code").asText())
                        && deviceId.equals(data.path("device_id").asText())
                        && also.test(data);
            } catch (Exception ex) {
                return false;
            }
        });
    }

    @Test
    void aDeviceWithACertificateFromIssueCertPublishesWithoutAPasswordOnTheTlsOnlyGateway() throws Exception {
        start(Map.of());
        assertThat(gw.mqttPort()).isEqualTo(-1);
        var result = publish("dev-tls-a", issue("dev-tls-a"), 1);
        assertThat(result.exitCode()).as(result.output()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> inRedis("dev-tls-a", 1));
    }

    @Test
    void aDeviceCertificateMadeWithPlainOpensslCommandsPublishes() throws Exception {
        start(Map.of());
        Path key = dir.resolve("ossl.key");
        Path csr = dir.resolve("ossl.csr");
        Path cert = dir.resolve("ossl.pem");
        runOk("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-out", key.toString());
        runOk("openssl", "req", "-new", "-key", key.toString(), "-subj", "/CN=dev-ossl", "-out", csr.toString());
        runOk(
                "openssl",
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                caFile(SiteCa.CA_CERT).toString(),
                "-CAkey",
                caFile(SiteCa.CA_KEY).toString(),
                "-CAcreateserial",
                "-days",
                "30",
                "-out",
                cert.toString());
        var result = publish("dev-ossl", new Path[] {cert, key}, 1);
        assertThat(result.exitCode()).as(result.output()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> inRedis("dev-ossl", 1));
    }

    @Test
    void aCertificateWhoseNameIsNotTheClientIdIsRefusedAsANameMismatch() throws Exception {
        start(Map.of());
        var result = publish("dev-victim", issue("dev-thief"), 1);
        assertThat(result.exitCode()).isNotZero();
        assertThat(rejected("CERT_NAME_MISMATCH")).isEqualTo(1);
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !inRedis("dev-victim", 1));
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedAtTheHandshake() throws Exception {
        start(Map.of());
        SiteCa stranger = new SiteCa(dir.resolve("other-ca"), Clock.systemUTC());
        stranger.init("elsewhere", List.of("localhost"));
        Path[] foreign = stranger.issue("dev-foreign", dir.resolve("foreign"), Duration.ofDays(30));
        var result = publish("dev-foreign", foreign, 1);
        assertThat(result.exitCode()).isNotZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> rejected("TLS_HANDSHAKE_FAILED") >= 1);
        assertThat(rejected("CERT_NAME_MISMATCH") + rejected("AUTH_FAILED")).isZero();
    }

    @Test
    void noClientCertificateIsRefusedWhenOneIsRequiredEvenWithTheRightPassword() throws Exception {
        start(Map.of());
        var result = MosquittoClients.publishTls(
                gw.mqttTlsPort(),
                caFile(SiteCa.CA_CERT),
                null,
                null,
                "dev-nocert",
                gw.passwordFor("dev-nocert"),
                "aurora/sensors/dev-nocert/telemetry",
                "{\"boot\":1,\"seq\":1}");
        assertThat(result.exitCode()).isNotZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> rejected("TLS_HANDSHAKE_FAILED") >= 1);
    }

    @Test
    void withoutRequiredClientCertificatesADeviceLogsInOverTlsWithItsPassword() throws Exception {
        start(Map.of("AURORA_MQTT_TLS_REQUIRE_CLIENT_CERT", "false"));
        var result = MosquittoClients.publishTls(
                gw.mqttTlsPort(),
                caFile(SiteCa.CA_CERT),
                null,
                null,
                "dev-pw",
                gw.passwordFor("dev-pw"),
                "aurora/sensors/dev-pw/telemetry",
                "{\"boot\":1,\"seq\":1}");
        assertThat(result.exitCode()).as(result.output()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> inRedis("dev-pw", 1));
        var wrong = MosquittoClients.publishTls(
                gw.mqttTlsPort(),
                caFile(SiteCa.CA_CERT),
                null,
                null,
                "dev-pw2",
                "wrong",
                "aurora/sensors/dev-pw2/telemetry",
                "{\"boot\":1,\"seq\":1}");
        assertThat(wrong.exitCode()).isNotZero();
        assertThat(rejected("AUTH_FAILED")).isEqualTo(1);
    }

    @Test
    void aCrlUpdatedOnDiskClosesTheRevokedSessionWithinASecondAndOnlyThatOne() throws Exception {
        start(Map.of());
        Path[] a = issue("dev-rev-a");
        Path[] b = issue("dev-rev-b");
        try (TlsDevice devA = TlsDevice.connect(gw.mqttTlsPort(), "dev-rev-a", caFile(SiteCa.CA_CERT), a[0], a[1]);
                TlsDevice devB = TlsDevice.connect(gw.mqttTlsPort(), "dev-rev-b", caFile(SiteCa.CA_CERT), b[0], b[1])) {
            devA.publishTelemetry(1);
            await().atMost(Duration.ofSeconds(20)).until(() -> inRedis("dev-rev-a", 1));

            // What `devices revoke dev-rev-a` does when the gateway owns the CA: a new CRL, written in place.
            ca.revoke("dev-rev-a", caFile(SiteCa.CRL));
            long revokedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(2))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> !devA.connected());
            // The reload polls every 200 ms here (1 s by default): within a second of the CRL on disk.
            assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofMillis(1200));
            await().atMost(Duration.ofSeconds(20)).until(() -> audited("DEVICE_CERT_REVOKED", "dev-rev-a"));

            assertThat(devB.connected()).isTrue();
            devB.publishTelemetry(1);
            await().atMost(Duration.ofSeconds(20)).until(() -> inRedis("dev-rev-b", 1));

            var again = publish("dev-rev-a", a, 2);
            assertThat(again.exitCode()).isNotZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> rejected("CERT_REVOKED") >= 1);
        }
    }

    @Test
    void aDeviceOnTheRevokedDeviceListIsCutOffWithoutACrl() throws Exception {
        start(Map.of());
        Path[] a = issue("dev-deny");
        try (TlsDevice devA = TlsDevice.connect(gw.mqttTlsPort(), "dev-deny", caFile(SiteCa.CA_CERT), a[0], a[1])) {
            // `devices revoke` adds the device to <data.dir>/tls/revoked-devices whether or not the gateway owns the
            // CA.
            aurora.edge.gateway.tls.RevokedDevices.add(
                    aurora.edge.gateway.tls.RevokedDevices.file(dir.resolve("gw")),
                    "dev-deny",
                    "alice",
                    java.time.Instant.now());
            await().atMost(Duration.ofSeconds(2)).until(() -> !devA.connected());
            assertThat(publish("dev-deny", a, 2).exitCode()).isNotZero();
            // The audit event names who revoked the device, as the list line written by `devices revoke` says.
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> audited(
                            "DEVICE_CERT_REVOKED",
                            "dev-deny",
                            data -> "alice"
                                    .equals(data.path("fields").path("operator").asText())));
        }
    }

    @Test
    void aServerCertificateReplacedOnDiskIsServedToNewConnectionsWhileOpenSessionsStay() throws Exception {
        start(Map.of());
        Path[] a = issue("dev-rot");
        try (TlsDevice devA = TlsDevice.connect(gw.mqttTlsPort(), "dev-rot", caFile(SiteCa.CA_CERT), a[0], a[1])) {
            // The new certificate and key as plain openssl writes them: RSA, PKCS#8, self-signed.
            Path newKey = dir.resolve("new-server.key");
            Path newCert = dir.resolve("new-server.pem");
            runOk(
                    "openssl",
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-keyout",
                    newKey.toString(),
                    "-out",
                    newCert.toString(),
                    "-days",
                    "30",
                    "-subj",
                    "/CN=rotated.example",
                    "-addext",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1");
            Files.move(
                    newKey,
                    caFile(SiteCa.SERVER_KEY),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            Files.move(
                    newCert,
                    caFile(SiteCa.SERVER_CERT),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            X509Certificate expected =
                    TlsDevice.certificates(caFile(SiteCa.SERVER_CERT)).get(0);

            await().atMost(Duration.ofSeconds(5)).until(() -> expected.equals(servedCertificate(a)));
            assertThat(devA.connected()).isTrue();
            devA.publishTelemetry(1);
            await().atMost(Duration.ofSeconds(20)).until(() -> inRedis("dev-rot", 1));
        }
    }

    /** The certificate a new connection is shown, as openssl s_client prints it. */
    private X509Certificate servedCertificate(Path[] clientCert) throws Exception {
        var out = MosquittoClients.run(List.of(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + gw.mqttTlsPort(),
                "-cert",
                clientCert[0].toString(),
                "-key",
                clientCert[1].toString()));
        String text = out.output();
        int begin = text.indexOf("-----BEGIN CERTIFICATE-----");
        int end = text.indexOf("-----END CERTIFICATE-----");
        if (begin < 0 || end < 0) {
            return null;
        }
        Path served = dir.resolve("served.pem");
        Files.writeString(served, text.substring(begin, end + "-----END CERTIFICATE-----".length()) + "\n");
        return TlsDevice.certificates(served).get(0);
    }

    private static void runOk(String... cmd) {
        var result = MosquittoClients.run(List.of(cmd));
        assertThat(result.exitCode())
                .as(String.join(" ", cmd) + ": " + result.output())
                .isZero();
    }
}
