package aurora.edge.gateway.config;

import aurora.edge.gateway.device.Severity;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The federation leaf node ({@code nats.*}). Public because the JetStream sink, which tests also
 * build by hand, checks its values with these same settings: one rule for each key.
 */
public final class NatsSettings {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String NAME_ALLOWED = "`[A-Za-z0-9_-]{1,64}`";
    private static final String NAME_PROBLEM = "must match [A-Za-z0-9_-]{1,64}";
    /** Subject tokens without wildcards, joined by dots: {@code AURORA}, {@code HUB.AURORA}. */
    private static final Pattern SUBJECT_PREFIX_FORM =
            Pattern.compile("[A-Za-z0-9_-]{1,64}(\\.[A-Za-z0-9_-]{1,64}){0,7}");

    public static final Setting<URI> URL = Setting.url(
            "nats.url",
            URI.create("nats://127.0.0.1:4222"),
            Set.of("nats", "tls"),
            "the site's leaf node, the JetStream sink and the federation listener");
    public static final Setting<String> DOMAIN = Setting.optionalString(
            "nats.domain",
            "name",
            NAME,
            NAME_ALLOWED,
            "must match [A-Za-z0-9_-]{1,64} or be empty",
            "JetStream domain; empty = the connected server's own");
    public static final Setting<String> STREAM = Setting.string(
            "nats.stream",
            "name",
            "AURORA",
            NAME,
            NAME_ALLOWED,
            NAME_PROBLEM,
            "the stream shared with the AuroraSOC backend (see `nats.stream_management`)");
    public static final Setting<String> SUBJECT_PREFIX = Setting.string(
            "nats.subject_prefix",
            "subject",
            "AURORA",
            SUBJECT_PREFIX_FORM,
            "1–8 dot-separated tokens `[A-Za-z0-9_-]{1,64}`, no wildcards",
            "must be 1 to 8 dot-separated tokens of [A-Za-z0-9_-]{1,64} (no wildcards)",
            "subjects `<prefix>.alerts`, `.ioc_sharing`, `.agent_results`, `.audit`");
    public static final Setting<Severity> ALERT_MIN_SEVERITY = Setting.enumValue(
            "nats.alert_min_severity",
            "severity",
            Severity.MEDIUM,
            Severity.class,
            "alerts at or above go to `<prefix>.alerts`; lower ones are not sent to NATS");
    public static final Setting<Duration> DUPLICATE_WINDOW = Setting.duration(
            "nats.duplicate_window",
            Duration.ofHours(1),
            Duration.ofMinutes(10),
            Duration.ofDays(7),
            "JetStream de-duplication window for `Nats-Msg-Id` (at most the stream's max age)");
    public static final Setting<Integer> MAX_OUTSTANDING_ACKS = Setting.integer(
            "nats.max_outstanding_acks", "publishes", 1024, 1, 65_536, "bound on unacknowledged async publishes");
    public static final Setting<Duration> TIMEOUT = Setting.duration(
            "nats.timeout",
            Duration.ofSeconds(5),
            Duration.ofMillis(100),
            Duration.ofMinutes(5),
            "connect, publish-ack and stream management timeout");

    public static final Setting<StreamManagement> STREAM_MANAGEMENT = Setting.enumValue(
            "nats.stream_management",
            "mode",
            StreamManagement.CREATE,
            StreamManagement.class,
            "`create`: make the stream with the seed's settings if missing, never change "
                    + "an existing one, report what it lacks (log, `/readyz`, `status`); `manage`: also update it to these settings (opt-in); "
                    + "`off`: never ask about the stream (publish rights suffice)");

    private NatsSettings() {}

    static GatewayConfig.Nats read(ConfigReader r) {
        return new GatewayConfig.Nats(
                r.get(URL),
                r.get(DOMAIN),
                r.get(STREAM),
                r.get(SUBJECT_PREFIX),
                r.get(ALERT_MIN_SEVERITY),
                r.get(DUPLICATE_WINDOW),
                r.get(MAX_OUTSTANDING_ACKS),
                r.get(TIMEOUT),
                r.get(STREAM_MANAGEMENT));
    }
}
