package aurora.edge.gateway.audit;

import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.outbox.Outbox;
import aurora.edge.gateway.device.EventCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the gateway's audit events. Each one goes through the outbox (so it reaches
 * {@code aurora:audit} and {@code AURORA.audit} even after an outage) and into the local audit
 * trail. Never blocks the caller: when the outbox queue is full the event is counted and logged.
 */
public final class AuditLog {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final GatewayEvents events;
    private final Counter dropped;

    public AuditLog(Outbox outbox, GatewayConfig.Identity identity, Clock clock, MeterRegistry registry) {
        this.events = new GatewayEvents(outbox, identity, clock);
        this.dropped = Counter.builder("aurora_audit_dropped").description("audit events refused by a full outbox queue").register(registry);
    }

    /**
     * @param code     a catalogued code ({@link AuditCode} or a {@link aurora.edge.gateway.device.Rejection});
     *                 the event carries its stable code and severity
     * @param deviceId the device concerned, or null
     * @param title    one line for a human
     * @param details  extra fields (ids and counts; never payloads or secrets)
     */
    public void record(EventCode code, String deviceId, String title, Map<String, ?> details) {
        if (!events.offer(Channel.AUDIT, "audit", "audit", code.severity(), code.code(), deviceId, title, details, code.code())) {
            dropped.increment();
            log.warn("audit event dropped, outbox queue full code={} device_id={}", code.code(), deviceId);
        }
    }
}
