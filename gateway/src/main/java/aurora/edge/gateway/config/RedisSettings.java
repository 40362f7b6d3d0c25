package aurora.edge.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The site bus ({@code redis.*}). Public because the Redis sink, which tests also build by hand,
 * checks its values with these same settings: one rule for each key.
 */
public final class RedisSettings {
    private static final Pattern STREAM_KEY = Pattern.compile("[A-Za-z0-9:._-]{1,200}");
    private static final String KEY_ALLOWED = "`[A-Za-z0-9:._-]{1,200}`";
    private static final String KEY_PROBLEM = "is not a Redis key ([A-Za-z0-9:._-])";

    public static final Setting<URI> URL =
            Setting.url("redis.url", URI.create("redis://127.0.0.1:6379"), Set.of("redis", "rediss"), "the site bus");
    public static final Setting<String> ALERTS = Setting.string(
            "redis.streams.alerts",
            "key",
            "aurora:cps:alerts",
            STREAM_KEY,
            KEY_ALLOWED,
            KEY_PROBLEM,
            "stream for alerts");
    public static final Setting<String> TELEMETRY = Setting.string(
            "redis.streams.telemetry",
            "key",
            "aurora:cps:telemetry",
            STREAM_KEY,
            KEY_ALLOWED,
            KEY_PROBLEM,
            "stream for telemetry");
    public static final Setting<String> AUDIT = Setting.string(
            "redis.streams.audit",
            "key",
            "aurora:audit",
            STREAM_KEY,
            KEY_ALLOWED,
            KEY_PROBLEM,
            "stream for audit events");
    public static final Setting<Long> MAXLEN = Setting.longValue(
            "redis.maxlen", "entries", 100_000, 100, 1_000_000_000, "approximate `MAXLEN ~` per stream");
    public static final Setting<Duration> TIMEOUT = Setting.duration(
            "redis.timeout",
            Duration.ofSeconds(5),
            Duration.ofMillis(100),
            Duration.ofMinutes(5),
            "connect and command timeout");

    private RedisSettings() {}

    static GatewayConfig.Redis read(ConfigReader r) {
        return new GatewayConfig.Redis(
                r.get(URL), r.get(ALERTS), r.get(TELEMETRY), r.get(AUDIT), r.get(MAXLEN), r.get(TIMEOUT));
    }
}
