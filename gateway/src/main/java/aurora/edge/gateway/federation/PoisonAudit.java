package aurora.edge.gateway.federation;

import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.audit.AuditLog;
import java.util.Map;

/**
 * A federation message refused without being applied is terminated and audited: {@code IOC_POISON}
 * when it is not a usable indicator, {@code IOC_SIGNATURE_INVALID} when {@code federation.ioc_key}
 * is set and it is unsigned or badly signed; told the reason and where it was.
 */
public final class PoisonAudit implements FederationConsumer.Refusals {
    private final AuditLog audit;

    public PoisonAudit(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void refused(AuditCode code, String reason, String where) {
        String title = code == AuditCode.IOC_SIGNATURE_INVALID
                ? "federation message terminated: unsigned or badly signed indicator"
                : "federation message terminated: not a usable indicator";
        audit.record(code, null, title, Map.of("reason", reason, "where", where));
    }
}
