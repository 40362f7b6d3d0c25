package aurora.edge.gateway.ops;

import aurora.edge.gateway.attest.ManifestStatus;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the gateway is doing right now, as {@code /status} serves it and {@code status} prints it.
 *
 * @param accepted    device messages accepted since start
 * @param problems    why the gateway is not ready; empty when it is
 * @param warnings    what an operator should fix although the gateway keeps working (for example the
 *                    shared JetStream stream lacking a subject the gateway needs); never makes it unready
 * @param devices     registered devices: total, quarantined, by attestation state and by health
 * @param manifest    the firmware manifest in force and the sweep of its latest replacement; null only from a
 *                    gateway older than this field
 */
public record StatusReport(
        String gatewayId,
        String siteId,
        int mqttPort,
        int connectedClients,
        long accepted,
        long rejected,
        long outboxLastSeq,
        List<SinkStatus> sinks,
        List<String> problems,
        List<String> warnings,
        Devices devices,
        @Nullable ManifestStatus manifest) {

    /**
     * Registered devices, by attestation state ({@code PENDING}, {@code TRUSTED}, …) and by health
     * ({@code online}, {@code stale}, {@code offline}).
     */
    public record Devices(long registered, long quarantined, Map<String, Long> byState, Map<String, Long> byHealth) {}

    /**
     * One sink's view: connection, backlog, how old its oldest undelivered event is, how fast it
     * drains and when it will be empty at that pace ({@code etaSeconds} -1 when it does not drain).
     */
    public record SinkStatus(
            String name,
            boolean connected,
            boolean healthy,
            boolean stalled,
            long backlog,
            double oldestAgeSeconds,
            long delivered,
            double drainRatePerSecond,
            long etaSeconds) {}

    public boolean ready() {
        return problems.isEmpty();
    }
}
