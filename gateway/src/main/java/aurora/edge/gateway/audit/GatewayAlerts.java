package aurora.edge.gateway.audit;

import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.outbox.Channel;
import aurora.edge.gateway.outbox.NormalizedEvent;
import aurora.edge.gateway.outbox.Outbox;
import aurora.edge.gateway.outbox.PendingEvent;
import aurora.edge.gateway.outbox.Severity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
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

    private final Outbox outbox;
    private final GatewayConfig.Identity identity;
    private final Clock clock;
    private final Counter dropped;

    public GatewayAlerts(Outbox outbox, GatewayConfig.Identity identity, Clock clock, MeterRegistry registry) {
        this.outbox = outbox;
        this.identity = identity;
        this.clock = clock;
        this.dropped = Counter.builder("aurora_gateway_alerts_dropped").description("gateway alerts refused by a full outbox queue")
                .register(registry);
    }

    /**
     * @param code     stable code, e.g. {@code DEVICE_QUARANTINED} or {@code SINK_STALLED}
     * @param deviceId the device concerned, or null for the gateway itself
     * @param details  extra fields (ids and counts; never payloads or secrets)
     */
    public void raise(Severity severity, String code, String deviceId, String title, Map<String, ?> details) {
        Instant now = clock.instant();
        NormalizedEvent event = NormalizedEvent.of("gateway", "cps", severity, "alert", identity.gatewayId(), identity.siteId(), now)
                .deviceId(deviceId)
                .title(title);
        event.fields().put("code", code);
        details.forEach((k, v) -> event.fields().putPOJO(k, v));
        if (!outbox.offer(new PendingEvent(deviceId, Channel.ALERT, severity, null, now, null, event::render))) {
            dropped.increment();
            log.error("gateway alert dropped, outbox queue full code={} device_id={}", code, deviceId);
        }
    }

    public void critical(String code, String deviceId, String title, Map<String, ?> details) {
        raise(Severity.CRITICAL, code, deviceId, title, details);
    }
}
