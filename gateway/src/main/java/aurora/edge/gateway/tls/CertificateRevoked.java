package aurora.edge.gateway.tls;

import java.security.cert.CertificateException;

/** A device certificate that chains to the device CA but is revoked (by the CRL, or its device by {@code devices revoke}). */
public final class CertificateRevoked extends CertificateException {
    private static final long serialVersionUID = 1L;

    CertificateRevoked(String message) {
        super(message);
    }
}
