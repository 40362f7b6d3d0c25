package aurora.edge.gateway.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A site CA the gateway can run for labs and sites without a PKI ({@code devices init-ca},
 * {@code devices issue-cert ID}, {@code devices revoke ID}). Its directory holds {@code ca.pem},
 * {@code ca.key} (0600), the TLS listener's {@code server.pem}/{@code server.key}, an
 * {@code issued} index (serial, device id) and the CRL {@code crl.pem}. Keys are ECDSA P-256;
 * device certificates carry CN = SAN = the device id and the clientAuth key purpose.
 */
public final class SiteCa {
    public static final String CA_CERT = "ca.pem";
    public static final String CA_KEY = "ca.key";
    public static final String SERVER_CERT = "server.pem";
    public static final String SERVER_KEY = "server.key";
    public static final String CRL = "crl.pem";
    private static final String INDEX = "issued";
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration CRL_VALIDITY = Duration.ofDays(30);

    private final Path dir;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public SiteCa(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    public Path dir() {
        return dir;
    }

    public boolean exists() {
        return Files.exists(dir.resolve(CA_KEY));
    }

    /**
     * Creates the CA, the TLS listener's certificate (for {@code serverNames}, plus localhost and
     * 127.0.0.1) and an empty CRL. Refuses to overwrite an existing CA.
     */
    public void init(String siteId, List<String> serverNames) throws IOException {
        if (exists()) {
            throw new IOException(dir.resolve(CA_KEY) + " exists already: a site CA is created once");
        }
        Files.createDirectories(dir);
        KeyPair ca = newKey();
        X500Name name = new X500Name("CN=aurora-edge device CA " + siteId);
        Instant now = clock.instant();
        X509Certificate caCert = sign(
                new JcaX509v3CertificateBuilder(
                                name,
                                serial(),
                                Date.from(now.minusSeconds(60)),
                                Date.from(now.plus(CA_VALIDITY)),
                                name,
                                ca.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                        .addExtension(
                                Extension.subjectKeyIdentifier,
                                false,
                                extensions().createSubjectKeyIdentifier(ca.getPublic())),
                ca.getPrivate());
        writeSecret(dir.resolve(CA_KEY), Pem.encodeKey(ca.getPrivate()));
        write(dir.resolve(CA_CERT), Pem.encode(caCert));
        List<String> names = new ArrayList<>(serverNames);
        names.add("localhost");
        KeyPair server = newKey();
        List<GeneralName> sans = new ArrayList<>();
        for (String n : names) {
            sans.add(new GeneralName(GeneralName.dNSName, n));
        }
        sans.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        X509Certificate serverCert = issue(
                caCert,
                ca.getPrivate(),
                new X500Name("CN=" + names.get(0)),
                server,
                sans,
                KeyPurposeId.id_kp_serverAuth,
                CA_VALIDITY);
        writeSecret(dir.resolve(SERVER_KEY), Pem.encodeKey(server.getPrivate()));
        write(dir.resolve(SERVER_CERT), Pem.encode(serverCert));
        write(dir.resolve(INDEX), "");
        writeCrl(dir.resolve(CRL), caCert, ca.getPrivate(), List.of());
    }

    /** A device key and certificate (CN = SAN = {@code deviceId}), written to {@code outDir}/ID.pem and ID.key (0600). */
    public Path[] issue(String deviceId, Path outDir, Duration validity) throws IOException {
        X509Certificate caCert = Pem.certificates(dir.resolve(CA_CERT)).get(0);
        PrivateKey caKey = Pem.privateKey(dir.resolve(CA_KEY));
        KeyPair device = newKey();
        X509Certificate cert = issue(
                caCert,
                caKey,
                new X500Name("CN=" + deviceId),
                device,
                List.of(new GeneralName(GeneralName.dNSName, deviceId)),
                KeyPurposeId.id_kp_clientAuth,
                validity);
        Files.createDirectories(outDir);
        Path certFile = outDir.resolve(deviceId + ".pem");
        Path keyFile = outDir.resolve(deviceId + ".key");
        writeSecret(keyFile, Pem.encodeKey(device.getPrivate()));
        write(certFile, Pem.encode(cert));
        Files.writeString(
                dir.resolve(INDEX),
                cert.getSerialNumber().toString(16) + " " + deviceId + "\n",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        return new Path[] {certFile, keyFile};
    }

    /**
     * Revokes every certificate this CA issued to {@code deviceId}: writes a new CRL (the entries of
     * the current one at {@code crlFile}, if any, plus these) to {@code crlFile}. Returns how many
     * certificates it revoked.
     */
    public int revoke(String deviceId, Path crlFile) throws IOException {
        X509Certificate caCert = Pem.certificates(dir.resolve(CA_CERT)).get(0);
        PrivateKey caKey = Pem.privateKey(dir.resolve(CA_KEY));
        List<BigInteger> serials = new ArrayList<>();
        if (Files.exists(crlFile)) {
            for (X509CRL crl : Pem.crls(crlFile)) {
                if (crl.getRevokedCertificates() != null) {
                    crl.getRevokedCertificates().forEach(e -> serials.add(e.getSerialNumber()));
                }
            }
        }
        int added = 0;
        for (String line : Files.readAllLines(dir.resolve(INDEX), StandardCharsets.UTF_8)) {
            String[] parts = line.trim().split(" ");
            if (parts.length == 2 && parts[1].equals(deviceId)) {
                BigInteger serial = new BigInteger(parts[0], 16);
                if (!serials.contains(serial)) {
                    serials.add(serial);
                    added++;
                }
            }
        }
        writeCrl(crlFile, caCert, caKey, serials);
        return added;
    }

    private void writeCrl(Path file, X509Certificate caCert, PrivateKey caKey, List<BigInteger> serials)
            throws IOException {
        Instant now = clock.instant();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(
                X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()), Date.from(now));
        builder.setNextUpdate(Date.from(now.plus(CRL_VALIDITY)));
        for (BigInteger serial : serials) {
            builder.addCRLEntry(serial, Date.from(now), CRLReason.keyCompromise);
        }
        try {
            X509CRLHolder holder = builder.build(signer(caKey));
            write(file, Pem.encode(new JcaX509CRLConverter().getCRL(holder)));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot sign the CRL: " + e.getMessage(), e);
        }
    }

    private X509Certificate issue(
            X509Certificate caCert,
            PrivateKey caKey,
            X500Name subject,
            KeyPair key,
            List<GeneralName> sans,
            KeyPurposeId purpose,
            Duration validity)
            throws IOException {
        Instant now = clock.instant();
        try {
            JcaX509ExtensionUtils ext = extensions();
            return sign(
                    new JcaX509v3CertificateBuilder(
                                    caCert,
                                    serial(),
                                    Date.from(now.minusSeconds(60)),
                                    Date.from(now.plus(validity)),
                                    subject,
                                    key.getPublic())
                            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                            .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                            .addExtension(
                                    Extension.subjectAlternativeName,
                                    false,
                                    new GeneralNames(sans.toArray(new GeneralName[0])))
                            .addExtension(
                                    Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert))
                            .addExtension(
                                    Extension.subjectKeyIdentifier,
                                    false,
                                    ext.createSubjectKeyIdentifier(key.getPublic())),
                    caKey);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot issue a certificate for " + subject + ": " + e.getMessage(), e);
        }
    }

    private X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws IOException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer(key)));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot sign a certificate: " + e.getMessage(), e);
        }
    }

    private static ContentSigner signer(PrivateKey key) throws IOException {
        try {
            return new JcaContentSignerBuilder(SIGNATURE).build(key);
        } catch (OperatorCreationException e) {
            throw new IOException("cannot sign with " + SIGNATURE + ": " + e.getMessage(), e);
        }
    }

    private static JcaX509ExtensionUtils extensions() throws IOException {
        try {
            return new JcaX509ExtensionUtils();
        } catch (GeneralSecurityException e) {
            throw new IOException("SHA-1 key identifiers are not available: " + e.getMessage(), e);
        }
    }

    private static KeyPair newKey() throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException("P-256 keys are not available: " + e.getMessage(), e);
        }
    }

    private BigInteger serial() {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeSecret(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** For the server certificate's SANs: this host's name, when it has one. */
    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
