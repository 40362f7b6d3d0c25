package aurora.edge.gateway;

import aurora.edge.gateway.attest.ManifestStatus;
import aurora.edge.gateway.audit.RejectionReporter;
import aurora.edge.gateway.broker.EmbeddedBroker;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.forward.Forwarder;
import aurora.edge.gateway.forward.StreamFindings;
import aurora.edge.gateway.intake.Intake;
import aurora.edge.gateway.ops.StatusReport;
import aurora.edge.gateway.outbox.Outbox;
import aurora.edge.gateway.registry.DeviceRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What {@code /status} and {@code /readyz} report, asked of the parts that know it (no metric is
 * looked up by name). A sink is a readiness problem when it is stalled or its backlog is too old.
 */
final class GatewayStatus {
    private final GatewayConfig config;
    private final EmbeddedBroker broker;
    private final Intake intake;
    private final RejectionReporter rejections;
    private final Outbox outbox;
    private final List<Forwarder> forwarders;
    private final DeviceRegistry devices;
    private final StreamFindings streamFindings;
    private final Supplier<ManifestStatus> manifest;

    /**
     * @param streamFindings what the check of the shared JetStream stream found: warnings, never a readiness problem
     * @param manifest       the manifest in force and the sweep of its latest replacement (attestation's snapshot)
     */
    GatewayStatus(
            GatewayConfig config,
            EmbeddedBroker broker,
            Intake intake,
            RejectionReporter rejections,
            Outbox outbox,
            List<Forwarder> forwarders,
            DeviceRegistry devices,
            StreamFindings streamFindings,
            Supplier<ManifestStatus> manifest) {
        this.config = config;
        this.broker = broker;
        this.intake = intake;
        this.rejections = rejections;
        this.outbox = outbox;
        this.forwarders = List.copyOf(forwarders);
        this.devices = devices;
        this.streamFindings = streamFindings;
        this.manifest = manifest;
    }

    StatusReport report() {
        List<StatusReport.SinkStatus> sinks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        GatewayConfig.Forward forward = config.forward();
        for (Forwarder f : forwarders) {
            Duration age = f.oldestPendingAge();
            sinks.add(new StatusReport.SinkStatus(
                    f.sinkName(),
                    f.sinkConnected(),
                    f.healthy(),
                    f.stalled(),
                    f.backlog(),
                    age.toMillis() / 1000.0,
                    f.delivered(),
                    f.drainRatePerSecond(),
                    f.estimatedTimeToEmpty().map(Duration::toSeconds).orElse(-1L)));
            if (f.stalled()) {
                problems.add("sink " + f.sinkName() + ": stalled, connected but no progress for more than "
                        + forward.stallTimeout().toSeconds() + "s (forward.stall_timeout); reconnecting");
            }
            if (age.compareTo(forward.readyMaxBacklogAge()) > 0) {
                problems.add("sink " + f.sinkName() + ": oldest undelivered event is " + age.toSeconds()
                        + "s old (forward.ready_max_backlog_age "
                        + forward.readyMaxBacklogAge().toSeconds() + "s)");
            }
        }
        Map<String, Long> byState = new LinkedHashMap<>();
        devices.countsByState().forEach((state, n) -> byState.put(state.name(), n));
        Map<String, Long> byHealth = new LinkedHashMap<>();
        devices.countsByHealth().forEach((health, n) -> byHealth.put(health.wireName(), n));
        return new StatusReport(
                config.identity().gatewayId(),
                config.identity().siteId(),
                broker.port(),
                broker.connectedClients(),
                intake.acceptedTotal(),
                rejections.total(),
                outbox.lastCommittedSeq(),
                sinks,
                problems,
                streamFindings.current(),
                new StatusReport.Devices(devices.size(), devices.quarantinedCount(), byState, byHealth),
                manifest.get());
    }
}
