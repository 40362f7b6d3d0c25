package aurora.edge.gateway.forward;

import aurora.edge.gateway.outbox.OutboxRecord;
import java.util.ArrayList;
import java.util.List;

/** Which records go to the federation, and on which subject. */
final class JetStreamRouting {

    /** One JetStream publish. */
    record Publish(long seq, String messageId, String subject, byte[] body) {}

    private final JetStreamSink.Settings settings;
    private final String alertsSubject;
    private final String auditSubject;

    JetStreamRouting(JetStreamSink.Settings settings) {
        this.settings = settings;
        this.alertsSubject = settings.subjectPrefix() + ".alerts";
        this.auditSubject = settings.subjectPrefix() + ".audit";
    }

    /**
     * Alerts at or above the minimum severity and the gateway's audit events, in batch order;
     * everything else is skipped. Held device data never goes to the shared stream: its volume is
     * the device's, and the stream's message limit is shared with the site's IOCs and alerts.
     */
    List<Publish> route(List<OutboxRecord> batch) {
        List<Publish> publishes = new ArrayList<>(batch.size());
        for (OutboxRecord r : batch) {
            String subject = switch (r.channel()) {
                case ALERT -> r.severity().atLeast(settings.alertMinSeverity()) ? alertsSubject : null;
                case AUDIT -> auditSubject;
                case TELEMETRY, ATTESTATION, HELD -> null;
            };
            if (subject != null) {
                publishes.add(new Publish(r.seq(), r.messageId(), subject, r.event()));
            }
        }
        return publishes;
    }
}
