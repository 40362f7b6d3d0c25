package aurora.edge.gateway.forward;

import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.audit.AuditLog;
import aurora.edge.gateway.audit.GatewayAlerts;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a stalled sink means for the SOC: one audit event and one high alert ({@code SINK_STALLED})
 * each time a forwarder replaces a sink that was connected but not advancing. The alert goes
 * through the outbox, so it reaches the SOC through the sink that still works.
 */
public final class StallAlarm implements Consumer<Forwarder.Stall> {
    private final AuditLog audit;
    private final GatewayAlerts alerts;

    public StallAlarm(AuditLog audit, GatewayAlerts alerts) {
        this.audit = audit;
        this.alerts = alerts;
    }

    @Override
    public void accept(Forwarder.Stall stalled) {
        String title = "sink " + stalled.sink() + " stopped advancing and was reconnected";
        Map<String, Object> details = Map.of("sink", stalled.sink(), "reason", stalled.reason());
        audit.record(AuditCode.SINK_STALLED, null, title, details);
        alerts.raise(AuditCode.SINK_STALLED, null, title, details);
    }
}
