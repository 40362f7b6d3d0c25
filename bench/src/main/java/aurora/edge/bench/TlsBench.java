package aurora.edge.bench;

import aurora.edge.gateway.TestGateway;
import aurora.edge.gateway.tls.SiteCa;
import aurora.edge.testing.NatsServerProcess;
import aurora.edge.testing.RedisServerProcess;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The MQTT over TLS listener next to plaintext, roughly: sequential CONNECT rate (a full TLS 1.3
 * handshake with a device certificate each time, against a password CONNECT) and QoS 1 msgs/s of one
 * client with up to {@code bench.tls.window} publishes in flight. The gateway runs in this JVM with
 * real Redis and NATS; the client shares the two cores. Not a test: nothing is asserted.
 *
 * <p>Sizes: {@code -Dbench.tls.connects=300 -Dbench.tls.messages=20000 -Dbench.tls.window=200}.
 */
public final class TlsBench {
    private static final String TLS_ID = "bench-tls";
    private static final String PLAIN_ID = "bench-plain";

    public static void main(String[] args) {
        Harness.exitAfter(TlsBench::bench);
    }

    private static void bench() throws Exception {
        int connects = Integer.getInteger("bench.tls.connects", 300);
        int messages = Integer.getInteger("bench.tls.messages", 20_000);
        int window = Integer.getInteger("bench.tls.window", 200);
        Path dir = Files.createTempDirectory("aurora-bench-tls");
        SiteCa ca = new SiteCa(dir.resolve("ca"), Clock.systemUTC());
        ca.init("bench", List.of("localhost"));
        Path[] device = ca.issue(TLS_ID, dir.resolve("devices"), Duration.ofDays(1));
        try (RedisServerProcess redis = RedisServerProcess.start();
                NatsServerProcess nats = NatsServerProcess.start();
                TestGateway gw = new TestGateway(
                                dir.resolve("gw"),
                                redis.url(),
                                nats.url(),
                                Map.of(
                                        "AURORA_MQTT_TLS_PORT", "0",
                                        "AURORA_MQTT_TLS_CERT",
                                                dir.resolve("ca")
                                                        .resolve(SiteCa.SERVER_CERT)
                                                        .toString(),
                                        "AURORA_MQTT_TLS_KEY",
                                                dir.resolve("ca")
                                                        .resolve(SiteCa.SERVER_KEY)
                                                        .toString(),
                                        "AURORA_MQTT_TLS_CA",
                                                dir.resolve("ca")
                                                        .resolve(SiteCa.CA_CERT)
                                                        .toString(),
                                        "AURORA_MQTT_MAX_CONNECTS_PER_MINUTE", "100000",
                                        "AURORA_INTAKE_MAX_RATE_PER_DEVICE", "100000",
                                        "AURORA_INTAKE_MAX_BURST_PER_DEVICE", "100000",
                                        "AURORA_REDIS_MAXLEN", "100000000"))
                        .start()) {
            MqttClientSslConfig ssl = ssl(dir.resolve("ca").resolve(SiteCa.CA_CERT), device[0], device[1]);
            byte[] password = gw.passwordFor(PLAIN_ID).getBytes(StandardCharsets.US_ASCII);
            Mqtt3ClientBuilder plain = Mqtt3Client.builder()
                    .identifier(PLAIN_ID)
                    .serverHost("127.0.0.1")
                    .serverPort(gw.mqttPort())
                    .simpleAuth()
                    .username(PLAIN_ID)
                    .password(password)
                    .applySimpleAuth();
            Mqtt3ClientBuilder tls = Mqtt3Client.builder()
                    .identifier(TLS_ID)
                    .serverHost("127.0.0.1")
                    .serverPort(gw.mqttTlsPort())
                    .sslConfig(ssl);
            connectRate("plaintext", plain, connects / 10);
            connectRate("tls", tls, connects / 10); // warm-up rounds, not printed below
            System.out.println("connects (sequential, one client, CONNECT..CONNACK..DISCONNECT):");
            connectRate("plaintext", plain, connects).print();
            connectRate("tls", tls, connects).print();
            System.out.println("QoS 1 publishes (one client, " + window + " in flight, until the last PUBACK):");
            throughput("plaintext", plain, PLAIN_ID, messages / 10, window, 1_000_000);
            throughput("tls", tls, TLS_ID, messages / 10, window, 1_000_000);
            throughput("plaintext", plain, PLAIN_ID, messages, window, 2_000_000)
                    .print();
            throughput("tls", tls, TLS_ID, messages, window, 2_000_000).print();
        }
    }

    private record Figure(String name, String what, int n, long nanos) {
        void print() {
            double seconds = nanos / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "  %-10s %,8d %s in %6.2f s = %,9.0f /s (%.2f ms each)%n",
                    name,
                    n,
                    what,
                    seconds,
                    n / seconds,
                    nanos / 1e6 / n);
        }
    }

    private static Figure connectRate(String name, Mqtt3ClientBuilder builder, int n) {
        Mqtt3BlockingClient client = builder.buildBlocking();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            client.connect();
            client.disconnect();
        }
        return new Figure(name, "connects", n, System.nanoTime() - start);
    }

    private static Figure throughput(String name, Mqtt3ClientBuilder builder, String id, int n, int window, int seqBase)
            throws Exception {
        Mqtt3AsyncClient client = builder.buildAsync();
        client.connect().get();
        String topic = "aurora/sensors/" + id + "/telemetry";
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            byte[] payload =
                    ("{\"boot\":" + seqBase + ",\"seq\":" + (i + 1) + ",\"t\":21.5}").getBytes(StandardCharsets.UTF_8);
            inFlight.add(client.publishWith()
                    .topic(topic)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload)
                    .send());
            if (inFlight.size() >= window) {
                inFlight.remove(0).get();
            }
        }
        for (CompletableFuture<?> f : inFlight) {
            f.get();
        }
        long nanos = System.nanoTime() - start;
        client.disconnect().get();
        return new Figure(name, "msgs", n, nanos);
    }

    private static MqttClientSslConfig ssl(Path caFile, Path certFile, Path keyFile) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        List<X509Certificate> chain = certificates(certFile);
        try (Reader r = Files.newBufferedReader(keyFile);
                PEMParser parser = new PEMParser(r)) {
            keys.setKeyEntry(
                    "device",
                    new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject()),
                    new char[0],
                    chain.toArray(new Certificate[0]));
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificates(caFile).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return MqttClientSslConfig.builder()
                .keyManagerFactory(kmf)
                .trustManagerFactory(tmf)
                .build();
    }

    private static List<X509Certificate> certificates(Path file) throws Exception {
        List<X509Certificate> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file);
                PEMParser parser = new PEMParser(r)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder h) {
                    out.add(new JcaX509CertificateConverter().getCertificate(h));
                }
            }
        }
        return out;
    }
}
