package aurora.edge.gateway.audit;

import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.Correlation;
import aurora.edge.gateway.outbox.Outbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.jspecify.annotations.Nullable;
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
        this.dropped = Counter.builder("aurora_gateway_alerts_dropped")
                .description("gateway alerts refused by a full outbox queue")
                .register(registry);
    }

    /**
     * @param code     a code catalogued as an alert ({@link AuditCode#alerts()}); the alert carries its severity
     * @param deviceId the device concerned, or null for the gateway itself
     * @param details  extra fields (ids and counts; never payloads or secrets)
     * @throws IllegalArgumentException for a code that is catalogued as audit-only
     */
    public void raise(AuditCode code, @Nullable String deviceId, String title, Map<String, ?> details) {
        raise(code, deviceId, title, details, Correlation.NONE);
    }

    /** An alert AuroraSOC can correlate: its correlation type and MITRE techniques go with it. */
    public void raise(
            AuditCode code, @Nullable String deviceId, String title, Map<String, ?> details, Correlation correlation) {
        if (!code.alerts()) {
            throw new IllegalArgumentException(
                    "audit code " + code + " is not catalogued as an alert (reach " + code.reach() + ")");
        }
        // message_type "alerts", as for a device's own alerts (the topic segment the seed's bridge writes).
        if (!events.offer(
                Channel.ALERT,
                "cps",
                "alerts",
                code.severity(),
                code.code(),
                deviceId,
                title,
                details,
                null,
                correlation)) {
            dropped.increment();
            log.error("gateway alert dropped, outbox queue full code={} device_id={}", code.code(), deviceId);
        }
    }
}
