package aurora.edge.gateway.ops;

import java.util.List;

/**
 * What the gateway is doing right now, as {@code /status} serves it and {@code status} prints it.
 *
 * @param accepted    device messages accepted since start
 * @param problems    why the gateway is not ready; empty when it is
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
        List<String> problems) {

    /** One sink's view: connection, backlog and how old its oldest undelivered event is. */
    public record SinkStatus(String name, boolean connected, boolean healthy, long backlog, double oldestAgeSeconds, long delivered) {}

    public boolean ready() {
        return problems.isEmpty();
    }
}
