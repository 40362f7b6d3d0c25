package aurora.edge.gateway.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * The names a device certificate vouches for: its subject common names and its subject alternative
 * names of type DNS and URI. A device may use a client id only when one of them is exactly that id.
 */
public final class CertificateNames {
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;

    private CertificateNames() {}

    public static Set<String> of(X509Certificate certificate) {
        Set<String> names = new LinkedHashSet<>();
        X500Name subject =
                X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs(BCStyle.CN)) {
            names.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
        }
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> san : alternatives) {
                    if (san.size() >= 2
                            && san.get(0) instanceof Integer type
                            && (type == SAN_DNS || type == SAN_URI)
                            && san.get(1) instanceof String name) {
                        names.add(name);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // An unparsable SAN extension vouches for nothing; the common name may still.
        }
        return names;
    }

    /** Whether {@code certificate} names {@code deviceId} exactly (common name or SAN). */
    public static boolean names(X509Certificate certificate, String deviceId) {
        return of(certificate).contains(deviceId);
    }
}
