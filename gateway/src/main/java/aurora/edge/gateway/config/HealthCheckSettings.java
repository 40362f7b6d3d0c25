package aurora.edge.gateway.config;

import java.time.Duration;

/** Device health, AuroraSOC's way ({@code devices.stale_after}, {@code devices.offline_after}, {@code devices.health_check_interval}). */
final class HealthCheckSettings {
    static final Setting<Duration> STALE_AFTER = Setting.duration(
            "devices.stale_after",
            Duration.ofMinutes(10),
            Duration.ofSeconds(1),
            Duration.ofDays(7),
            "a device not heard from for this long is Stale: one `DEVICE_STALE` alert (medium). Every "
                    + "authenticated message counts as a sign of life (heartbeats on `aurora/sensors/{id}/status` too, also from a "
                    + "quarantined or unapproved device)");
    static final Setting<Duration> OFFLINE_AFTER = Setting.duration(
                    "devices.offline_after",
                    Duration.ofMinutes(60),
                    Duration.ofSeconds(1),
                    Duration.ofDays(30),
                    "a device not heard from for this long is Offline: one `DEVICE_OFFLINE` alert (critical); its next "
                            + "message brings it back Online (`DEVICE_BACK_ONLINE`, info)")
            .allowedShownAs("1s–30d, > `devices.stale_after`");
    static final Setting<Duration> CHECK_INTERVAL = Setting.duration(
                    "devices.health_check_interval",
                    Duration.ofSeconds(30),
                    Duration.ofMillis(100),
                    Duration.ofMinutes(10),
                    "how often one pass over the fleet's last-seen times looks for devices "
                            + "that went Stale or Offline; a transition is noticed at most this late")
            .allowedShownAs("100ms–10m, ≤ `devices.stale_after`");

    private HealthCheckSettings() {}

    static GatewayConfig.HealthCheck read(ConfigReader r) {
        var check = new GatewayConfig.HealthCheck(r.get(STALE_AFTER), r.get(OFFLINE_AFTER), r.get(CHECK_INTERVAL));
        if (check.offlineAfter().compareTo(check.staleAfter()) <= 0) {
            r.error(
                    OFFLINE_AFTER,
                    Durations.format(check.offlineAfter()),
                    "must be longer than devices.stale_after (" + Durations.format(check.staleAfter()) + ")");
        }
        if (check.interval().compareTo(check.staleAfter()) > 0) {
            r.error(
                    CHECK_INTERVAL,
                    Durations.format(check.interval()),
                    "must not be longer than devices.stale_after (" + Durations.format(check.staleAfter()) + ")");
        }
        return check;
    }
}
