package aurora.edge.sim;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS side of {@code --transport mqtt-tls}: each device presents its own certificate (CN = device id) and key,
 * read from {@code DIR/ID.pem} and {@code DIR/ID.key} (PEM, the key in PKCS#8 as {@code devices issue-cert ID --out
 * DIR} writes it), and trusts the site CA of {@code --tls-ca} for the gateway's certificate. JDK only.
 */
final class DeviceTls {
    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final char[] NO_PASSWORD = new char[0];

    private final TrustManagerFactory trust;
    private final Path certs;

    DeviceTls(Path ca, Path certs) throws IOException {
        this.certs = certs;
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate c : certificates(ca)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new IOException(ca + ": holds no PEM certificate");
            }
            trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
        } catch (GeneralSecurityException e) {
            throw new IOException(ca + ": " + e.getMessage(), e);
        }
    }

    /** The SSL config of one device; fails naming the file when its certificate or key is missing or bad. */
    MqttClientSslConfig forDevice(String deviceId) throws IOException {
        Path certFile = certs.resolve(deviceId + ".pem");
        Path keyFile = certs.resolve(deviceId + ".key");
        try {
            List<Certificate> chain = certificates(certFile);
            if (chain.isEmpty()) {
                throw new IOException(certFile + ": holds no PEM certificate");
            }
            PrivateKey key = privateKey(keyFile);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("device", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, NO_PASSWORD);
            return MqttClientSslConfig.builder()
                    .keyManagerFactory(keys)
                    .trustManagerFactory(trust)
                    .protocols(List.of("TLSv1.3", "TLSv1.2"))
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IOException(deviceId + ": " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<Certificate> out = new ArrayList<>();
        for (byte[] der : blocks(file, "CERTIFICATE")) {
            try (InputStream in = new ByteArrayInputStream(der)) {
                out.add(factory.generateCertificate(in));
            }
        }
        return out;
    }

    private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        List<byte[]> keys = blocks(file, "PRIVATE KEY");
        if (keys.isEmpty()) {
            throw new IOException(file + ": holds no PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(keys.get(0));
        try {
            return KeyFactory.getInstance("EC").generatePrivate(spec);
        } catch (GeneralSecurityException notEc) {
            return KeyFactory.getInstance("RSA").generatePrivate(spec);
        }
    }

    private static List<byte[]> blocks(Path file, String type) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IOException("no such file: " + file, e);
        }
        List<byte[]> out = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                out.add(Base64.getMimeDecoder().decode(m.group(2)));
            }
        }
        return out;
    }
}
