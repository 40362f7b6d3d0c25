package aurora.edge.gateway.health;

import aurora.edge.gateway.device.Health;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.DeviceRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The gauges {@code aurora_devices{state, health}}: registered devices by attestation state and
 * health (Prometheus wants one set of labels per name, so both are on every series:
 * {@code sum by (health) (aurora_devices)} gives the health counts). The counts are taken in one
 * walk over the fleet and reused for a second, so a scrape does not walk it once per series.
 */
final class FleetCounts {
    private static final long REUSE_NANOS = 1_000_000_000L;

    private final DeviceRegistry registry;
    private long[][] counts = new long[AttestationState.values().length][Health.values().length];
    private long takenAt;
    private boolean taken;

    private FleetCounts(DeviceRegistry registry) {
        this.registry = registry;
    }

    /** Registers the gauges; they hold the counts strongly (Micrometer's default reference is weak, and nothing else keeps it). */
    static void register(DeviceRegistry registry, MeterRegistry meters) {
        FleetCounts fleet = new FleetCounts(registry);
        for (AttestationState s : AttestationState.values()) {
            for (Health h : Health.values()) {
                Gauge.builder("aurora_devices", fleet, f -> f.count(s, h))
                        .description("registered devices by attestation state and health (online, stale, offline)")
                        .tag("state", s.name())
                        .tag("health", h.wireName())
                        .strongReference(true)
                        .register(meters);
            }
        }
    }

    private synchronized long count(AttestationState state, Health health) {
        long now = System.nanoTime();
        if (!taken || now - takenAt > REUSE_NANOS) {
            long[][] fresh = new long[AttestationState.values().length][Health.values().length];
            registry.forEach(d ->
                    fresh[d.state().ordinal()][registry.health(d.deviceId()).ordinal()]++);
            counts = fresh;
            takenAt = now;
            taken = true;
        }
        return counts[state.ordinal()][health.ordinal()];
    }
}
