package aurora.edge.gateway.audit;

import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.Correlation;
import aurora.edge.gateway.outbox.Outbox;
import aurora.edge.gateway.device.Severity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CPS alerts the gateway raises itself (a quarantined device, a stalled sink): through the
 * outbox on the ALERT channel, so they reach {@code aurora:cps:alerts} and {@code AURORA.alerts}
 * even after an outage. Never blocks the caller: when the outbox queue is full the alert is
 * counted and logged.
 */
public final class GatewayAlerts {
    private static final Logger log = LoggerFactory.getLogger(GatewayAlerts.class);

    private final GatewayEvents events;
    private final Counter dropped;

    public GatewayAlerts(Outbox outbox, GatewayConfig.Identity identity, Clock clock, MeterRegistry registry) {
        this.events = new GatewayEvents(outbox, identity, clock);
        this.dropped = Counter.builder("aurora_gateway_alerts_dropped").description("gateway alerts refused by a full outbox queue")
                .register(registry);
    }

    /**
     * @param code     stable code, e.g. {@code DEVICE_QUARANTINED} or {@code SINK_STALLED}
     * @param deviceId the device concerned, or null for the gateway itself
     * @param details  extra fields (ids and counts; never payloads or secrets)
     */
    public void raise(Severity severity, String code, String deviceId, String title, Map<String, ?> details) {
        raise(severity, code, deviceId, title, details, Correlation.NONE);
    }

    /** An alert AuroraSOC can correlate: its correlation type and MITRE techniques go with it. */
    public void raise(Severity severity, String code, String deviceId, String title, Map<String, ?> details, Correlation correlation) {
        // message_type "alerts", as for a device's own alerts (the topic segment the seed's bridge writes).
        if (!events.offer(Channel.ALERT, "cps", "alerts", severity, code, deviceId, title, details, null, correlation)) {
            dropped.increment();
            log.error("gateway alert dropped, outbox queue full code={} device_id={}", code, deviceId);
        }
    }

    public void critical(String code, String deviceId, String title, Map<String, ?> details, Correlation correlation) {
        raise(Severity.CRITICAL, code, deviceId, title, details, correlation);
    }
}
