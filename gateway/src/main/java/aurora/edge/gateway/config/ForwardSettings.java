package aurora.edge.gateway.config;

import java.time.Duration;

/** How forwarders drain the outbox ({@code forward.*}). */
final class ForwardSettings {
    static final Setting<Integer> BATCH_SIZE =
            Setting.integer("forward.batch_size", "events", 500, 1, 10_000, "events per delivery batch");
    static final Setting<Duration> BACKOFF_MIN = Setting.duration(
            "forward.backoff_min",
            Duration.ofMillis(200),
            Duration.ofMillis(1),
            Duration.ofMinutes(1),
            "first retry delay after a failed batch (doubles, with jitter)");
    static final Setting<Duration> BACKOFF_MAX = Setting.duration(
                    "forward.backoff_max",
                    Duration.ofSeconds(30),
                    Duration.ofMillis(1),
                    Duration.ofHours(1),
                    "longest retry delay")
            .allowedShownAs("1ms–1h, ≥ `forward.backoff_min`");
    static final Setting<Duration> READY_MAX_BACKLOG_AGE = Setting.duration(
            "forward.ready_max_backlog_age",
            Duration.ofMinutes(15),
            Duration.ofSeconds(1),
            Duration.ofDays(30),
            "`/readyz` fails while a sink's oldest undelivered event is older");
    static final Setting<Duration> STALL_TIMEOUT = Setting.duration(
            "forward.stall_timeout",
            Duration.ofSeconds(60),
            Duration.ofSeconds(1),
            Duration.ofHours(1),
            "a sink connected but not advancing this long is reconnected, audited and alerted (`SINK_STALLED`, high) "
                    + "and reported by `/readyz`");
    static final Setting<Integer> DRAIN_MAX_RATE = Setting.integer(
            "forward.drain_max_rate",
            "events/s",
            30_000,
            0,
            10_000_000,
            "how much faster than live traffic arrives a sink may work off its backlog (a drain after an outage runs "
                    + "at live rate + this, so live intake keeps its latency; a sink behind a live burst is never held below "
                    + "the burst's rate; 0 = as fast as the sink acknowledges); "
                    + "alerts, attestation and audit overtake the backlog regardless");

    private ForwardSettings() {}

    static GatewayConfig.Forward read(ConfigReader r) {
        var forward = new GatewayConfig.Forward(
                r.get(BATCH_SIZE),
                r.get(BACKOFF_MIN),
                r.get(BACKOFF_MAX),
                r.get(READY_MAX_BACKLOG_AGE),
                r.get(STALL_TIMEOUT),
                r.get(DRAIN_MAX_RATE));
        if (forward.backoffMax().compareTo(forward.backoffMin()) < 0) {
            r.error(
                    BACKOFF_MAX,
                    Durations.format(forward.backoffMax()),
                    "must not be shorter than forward.backoff_min (" + Durations.format(forward.backoffMin()) + ")");
        }
        return forward;
    }
}
