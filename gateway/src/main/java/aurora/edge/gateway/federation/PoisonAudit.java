package aurora.edge.gateway.federation;

import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.audit.AuditLog;
import java.util.Map;
import java.util.function.BiConsumer;

/** A federation message that is not a usable indicator is terminated and audited ({@code IOC_POISON}), told (reason, where). */
public final class PoisonAudit implements BiConsumer<String, String> {
    private final AuditLog audit;

    public PoisonAudit(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void accept(String reason, String where) {
        audit.record(AuditCode.IOC_POISON, null, "federation message terminated: not a usable indicator", Map.of("reason", reason, "where", where));
    }
}
