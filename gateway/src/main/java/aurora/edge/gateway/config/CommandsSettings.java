package aurora.edge.gateway.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/** Commands from the SOC to devices ({@code commands.*}). */
final class CommandsSettings {
    private static final Pattern STREAM_KEY = Pattern.compile("[A-Za-z0-9:._-]{1,200}");
    private static final String KEY_ALLOWED = "`[A-Za-z0-9:._-]{1,200}`";
    private static final String KEY_PROBLEM = "is not a Redis key ([A-Za-z0-9:._-])";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    static final Setting<Path> SOC_KEY = Setting.optionalPath(
            "commands.soc_key",
            "the SOC's public command key (PEM, ECDSA P-256 or Ed25519); every command must be signed by it; empty: SOC commands are off");
    static final Setting<String> STREAM = Setting.string(
            "commands.stream",
            "key",
            "aurora:cps:commands",
            STREAM_KEY,
            KEY_ALLOWED,
            KEY_PROBLEM,
            "the site-bus stream the SOC puts commands on");
    static final Setting<String> GROUP = Setting.optionalString(
            "commands.group",
            "name",
            NAME,
            "`[A-Za-z0-9_-]{1,64}`",
            "must match [A-Za-z0-9_-]{1,64} or be empty",
            "this gateway's consumer group on the command stream; empty: `aurora-edge-<gateway.id>` (one group per gateway)");
    static final Setting<String> RESULTS_STREAM = Setting.string(
            "commands.results_stream",
            "key",
            "aurora:cps:command_results",
            STREAM_KEY,
            KEY_ALLOWED,
            KEY_PROBLEM,
            "where every command's outcome is published");
    static final Setting<Long> RESULTS_MAXLEN = Setting.longValue(
            "commands.results_maxlen",
            "entries",
            10_000,
            100,
            100_000_000,
            "approximate `MAXLEN ~` of the results stream");
    static final Setting<Duration> RETRY_INTERVAL = Setting.duration(
            "commands.retry_interval",
            Duration.ofSeconds(30),
            Duration.ofSeconds(1),
            Duration.ofHours(1),
            "an unanswered command is sent again this often while its device listens");
    static final Setting<Duration> MAX_TTL = Setting.duration(
            "commands.max_ttl",
            Duration.ofHours(24),
            Duration.ofMinutes(1),
            Duration.ofDays(30),
            "a command whose expires_at lies further ahead is refused (COMMAND_EXPIRED)");
    static final Setting<Integer> MAX_PENDING_PER_DEVICE = Setting.integer(
            "commands.max_pending_per_device",
            "commands",
            32,
            1,
            10_000,
            "open commands one device may have; more are refused (COMMAND_QUEUE_FULL)");

    private CommandsSettings() {}

    static GatewayConfig.Commands read(ConfigReader r) {
        var commands = new GatewayConfig.Commands(
                r.get(SOC_KEY),
                r.get(STREAM),
                r.get(GROUP),
                r.get(RESULTS_STREAM),
                r.get(RESULTS_MAXLEN),
                r.get(RETRY_INTERVAL),
                r.get(MAX_TTL),
                r.get(MAX_PENDING_PER_DEVICE));
        if (commands.socKey() != null && !Files.isRegularFile(commands.socKey())) {
            r.error(
                    SOC_KEY,
                    commands.socKey().toString(),
                    "is not a readable file (the SOC's public command key, PEM)");
        }
        return commands;
    }
}
