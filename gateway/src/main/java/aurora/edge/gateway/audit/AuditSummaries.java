package aurora.edge.gateway.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once per {@code audit.summary_window}: the summaries of what was held back (strangers' rejections
 * by address and code, events over the audit budget) become audit events.
 */
public final class AuditSummaries implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(AuditSummaries.class);

    private final RejectionReporter rejections;
    private final AuditLog audit;

    public AuditSummaries(RejectionReporter rejections, AuditLog audit) {
        this.rejections = rejections;
        this.audit = audit;
    }

    @Override
    public void run() {
        try {
            rejections.flush();
            audit.flush();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log and keep summarising.
            log.error("audit summary failed error={}", e.toString());
        }
    }
}
