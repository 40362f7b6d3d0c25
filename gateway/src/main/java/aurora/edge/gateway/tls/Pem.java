package aurora.edge.gateway.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM files as openssl writes them, read and written with BouncyCastle: certificates, CRLs and
 * unencrypted private keys in PKCS#8 ({@code PRIVATE KEY}) or the traditional EC ({@code EC
 * PRIVATE KEY}, with or without the {@code EC PARAMETERS} block {@code openssl ecparam -genkey}
 * puts before it) and RSA ({@code RSA PRIVATE KEY}) forms. Errors name the file.
 */
final class Pem {
    private Pem() {}

    static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object o : objects(file)) {
            if (o instanceof X509CertificateHolder holder) {
                try {
                    out.add(converter.getCertificate(holder));
                } catch (GeneralSecurityException e) {
                    throw new IOException(file + ": a certificate cannot be read: " + e.getMessage(), e);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": holds no PEM certificate");
        }
        return out;
    }

    static List<X509CRL> crls(Path file) throws IOException {
        List<X509CRL> out = new ArrayList<>();
        JcaX509CRLConverter converter = new JcaX509CRLConverter();
        for (Object o : objects(file)) {
            if (o instanceof X509CRLHolder holder) {
                try {
                    out.add(converter.getCRL(holder));
                } catch (GeneralSecurityException e) {
                    throw new IOException(file + ": a CRL cannot be read: " + e.getMessage(), e);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": holds no PEM CRL (X509 CRL)");
        }
        return out;
    }

    static PrivateKey privateKey(Path file) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object o : objects(file)) {
            if (o instanceof PEMKeyPair pair) {
                // A traditional EC key need not carry its public half; the private key info is always there.
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new IOException(
                        file + ": the private key is encrypted; give it unencrypted (e.g. openssl pkey -in K -out K2) "
                                + "and protect the file (0600)");
            }
        }
        throw new IOException(file + ": holds no PEM private key (PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)");
    }

    private static List<Object> objects(Path file) throws IOException {
        List<Object> out = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                out.add(o);
            }
        } catch (IOException e) {
            throw new IOException(file + ": is not readable PEM: " + e.getMessage(), e);
        }
        return out;
    }

    /** A private key as PKCS#8 ({@code PRIVATE KEY}), the form openssl 3 writes by default. */
    static String encodeKey(java.security.PrivateKey key) throws IOException {
        return encode(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
    }

    static String encode(Object... objects) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                writer.writeObject(o);
            }
        }
        return text.toString();
    }
}
