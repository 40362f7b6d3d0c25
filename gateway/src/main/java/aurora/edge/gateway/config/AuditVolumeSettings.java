package aurora.edge.gateway.config;

import java.time.Duration;

/** The gateway's own audit volume ({@code audit.max_events_per_minute}, {@code audit.summary_window}). */
final class AuditVolumeSettings {
    static final Setting<Integer> MAX_EVENTS_PER_MINUTE = Setting.integer(
            "audit.max_events_per_minute",
            "events/min",
            600,
            10,
            1_000_000,
            "audit events the gateway writes a minute; more are counted and summarised (`AUDIT_SUPPRESSED`); "
                    + "critical events are never held back");
    static final Setting<Duration> SUMMARY_WINDOW = Setting.duration(
            "audit.summary_window",
            Duration.ofSeconds(10),
            Duration.ofSeconds(1),
            Duration.ofHours(1),
            "window in which repeated rejections (per device, or per stranger address) are folded into one event");

    private AuditVolumeSettings() {}

    static GatewayConfig.AuditVolume read(ConfigReader r) {
        return new GatewayConfig.AuditVolume(r.get(MAX_EVENTS_PER_MINUTE), r.get(SUMMARY_WINDOW));
    }
}
