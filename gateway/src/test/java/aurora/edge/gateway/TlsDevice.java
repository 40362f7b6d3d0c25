package aurora.edge.gateway;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A device holding an MQTT over TLS session open (HiveMQ's client, no automatic reconnect), to see
 * whether the gateway keeps or closes it: {@link #connected()} turns false when the gateway closes it.
 */
final class TlsDevice implements AutoCloseable {
    private final String id;
    private final Mqtt3BlockingClient client;
    private final AtomicBoolean connected;

    private TlsDevice(String id, Mqtt3BlockingClient client, AtomicBoolean connected) {
        this.id = id;
        this.client = client;
        this.connected = connected;
    }

    static TlsDevice connect(int port, String id, Path caFile, Path certFile, Path keyFile) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(
                "device",
                privateKey(keyFile),
                new char[0],
                certificates(certFile).toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        List<X509Certificate> cas = certificates(caFile);
        for (int i = 0; i < cas.size(); i++) {
            trust.setCertificateEntry("ca" + i, cas.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        AtomicBoolean connected = new AtomicBoolean();
        Mqtt3BlockingClient client = Mqtt3Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .sslConfig(MqttClientSslConfig.builder()
                        .keyManagerFactory(kmf)
                        .trustManagerFactory(tmf)
                        .build())
                .addConnectedListener(c -> connected.set(true))
                .addDisconnectedListener(c -> connected.set(false))
                .buildBlocking();
        client.connect();
        return new TlsDevice(id, client, connected);
    }

    boolean connected() {
        return connected.get() && client.getState().isConnected();
    }

    void publishTelemetry(int seq) {
        client.publishWith()
                .topic("aurora/sensors/" + id + "/telemetry")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(("{\"boot\":1,\"seq\":" + seq + ",\"t\":21.5}").getBytes(StandardCharsets.UTF_8))
                .send();
    }

    @Override
    public void close() {
        if (client.getState().isConnected()) {
            client.disconnect();
        }
    }

    static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file);
                PEMParser parser = new PEMParser(r)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder h) {
                    out.add(new JcaX509CertificateConverter().getCertificate(h));
                }
            }
        } catch (java.security.cert.CertificateException e) {
            throw new IOException(e);
        }
        return out;
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file);
                PEMParser parser = new PEMParser(r)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return new JcaPEMKeyConverter().getKeyPair(pair).getPrivate();
                }
                if (o instanceof PrivateKeyInfo info) {
                    return new JcaPEMKeyConverter().getPrivateKey(info);
                }
            }
        }
        throw new IOException(file + " holds no private key");
    }
}
