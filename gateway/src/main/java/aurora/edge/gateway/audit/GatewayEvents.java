package aurora.edge.gateway.audit;

import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.Correlation;
import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.outbox.NormalizedEvent;
import aurora.edge.gateway.outbox.Outbox;
import aurora.edge.gateway.outbox.PendingEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds the events the gateway raises itself (audit entries, alerts), stamped with its identity,
 * and hands them to the outbox without blocking.
 */
final class GatewayEvents {
    private final Outbox outbox;
    private final GatewayConfig.Identity identity;
    private final Clock clock;

    GatewayEvents(Outbox outbox, GatewayConfig.Identity identity, Clock clock) {
        this.outbox = outbox;
        this.identity = identity;
        this.clock = clock;
    }

    /**
     * @param category  the category of an event about the gateway itself; an event about a device is always {@code cps}
     * @param auditCode also kept in the local audit trail under this code when not null
     * @return false when the outbox queue was full and the event was not taken
     */
    boolean offer(
            Channel channel,
            String category,
            String type,
            Severity severity,
            String code,
            @Nullable String deviceId,
            String title,
            Map<String, ?> details,
            @Nullable String auditCode,
            Correlation correlation) {
        Instant now = clock.instant();
        // About a device it is that device's CPS event (mqtt/cps); only events about the gateway itself say "gateway".
        NormalizedEvent event = NormalizedEvent.fromGateway(
                        deviceId, category, severity, type, identity.gatewayId(), identity.siteId(), now)
                .title(title);
        event.fields().put("code", code);
        details.forEach((k, v) -> event.fields().putPOJO(k, v));
        event.correlation(correlation);
        return outbox.offer(new PendingEvent(deviceId, channel, severity, null, now, auditCode, event::render));
    }
}
