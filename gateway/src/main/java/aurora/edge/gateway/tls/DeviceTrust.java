package aurora.edge.gateway.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Which device certificates the TLS listener accepts, as one immutable generation: the chain must
 * build to a CA of {@code mqtt.tls.ca} (the JDK's PKIX checks, including validity dates and key
 * usage), the leaf must not be on a CRL of {@code mqtt.tls.crl} (each CRL verified against the CA
 * that issued it when it is loaded) and must not name a device of the revoked-device list. The
 * listener swaps in a new generation when a file changes; open sessions are checked again with
 * {@link #check}. This trust manager only ever judges clients.
 */
final class DeviceTrust extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final List<X509Certificate> authorities;
    private final List<X509CRL> crls;
    private final Set<String> revokedDevices;

    private DeviceTrust(
            X509ExtendedTrustManager pkix,
            List<X509Certificate> authorities,
            List<X509CRL> crls,
            Set<String> revokedDevices) {
        this.pkix = pkix;
        this.authorities = List.copyOf(authorities);
        this.crls = List.copyOf(crls);
        this.revokedDevices = Set.copyOf(revokedDevices);
    }

    static DeviceTrust load(Path caFile, Path crlFile, Set<String> revokedDevices) throws IOException {
        List<X509Certificate> authorities = Pem.certificates(caFile);
        List<X509CRL> crls = new ArrayList<>();
        if (crlFile != null) {
            for (X509CRL crl : Pem.crls(crlFile)) {
                crls.add(verified(crl, authorities, crlFile));
            }
        }
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            for (int i = 0; i < authorities.size(); i++) {
                anchors.setCertificateEntry("device-ca-" + i, authorities.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x509) {
                    return new DeviceTrust(x509, authorities, crls, revokedDevices);
                }
            }
            throw new IOException("the JDK's PKIX trust manager factory made no X509ExtendedTrustManager");
        } catch (GeneralSecurityException e) {
            throw new IOException(caFile + ": cannot be used as trust anchors: " + e.getMessage(), e);
        }
    }

    /** A CRL counts only when a CA of the bundle issued and signed it: anyone can write a file. */
    private static X509CRL verified(X509CRL crl, List<X509Certificate> authorities, Path file) throws IOException {
        for (X509Certificate ca : authorities) {
            if (ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
                try {
                    crl.verify(ca.getPublicKey());
                    return crl;
                } catch (GeneralSecurityException e) {
                    throw new IOException(
                            file + ": CRL of " + crl.getIssuerX500Principal() + " does not verify with that CA's key",
                            e);
                }
            }
        }
        throw new IOException(file + ": CRL issuer " + crl.getIssuerX500Principal() + " is not a CA of mqtt.tls.ca");
    }

    /** The full check of a device's chain: what the handshake does, and what an open session is held to after a reload. */
    void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("no device certificate");
        }
        pkix.checkClientTrusted(chain, chain[0].getPublicKey().getAlgorithm());
        revocation(chain[0]);
    }

    private void revocation(X509Certificate leaf) throws CertificateRevoked {
        for (X509CRL crl : crls) {
            if (crl.getIssuerX500Principal().equals(leaf.getIssuerX500Principal()) && crl.isRevoked(leaf)) {
                throw new CertificateRevoked(
                        "certificate serial " + leaf.getSerialNumber().toString(16) + " is on the CRL");
            }
        }
        for (String name : CertificateNames.of(leaf)) {
            if (revokedDevices.contains(name)) {
                throw new CertificateRevoked("device " + name + " is on the revoked-device list");
            }
        }
    }

    boolean deviceRevoked(String deviceId) {
        return revokedDevices.contains(deviceId);
    }

    Set<String> revokedDevices() {
        return revokedDevices;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
        revocation(chain[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        pkix.checkClientTrusted(chain, authType, socket);
        revocation(chain[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        pkix.checkClientTrusted(chain, authType, engine);
        revocation(chain[0]);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the device trust judges clients only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("the device trust judges clients only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("the device trust judges clients only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return authorities.toArray(new X509Certificate[0]);
    }
}
