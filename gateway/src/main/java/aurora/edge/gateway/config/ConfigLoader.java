package aurora.edge.gateway.config;

import aurora.edge.attestation.DeviceId;
import aurora.edge.gateway.outbox.OutboxLimits;
import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.registry.RegistrationPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns a YAML file plus {@code AURORA_*} environment overrides into a {@link GatewayConfig}.
 * Unknown keys and bad values are all collected and thrown together in one {@link InvalidConfigException}.
 */
public final class ConfigLoader {
    private static final Pattern ID = DeviceId.SYNTAX;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:_-]{1,253}");
    private static final Pattern STREAM_KEY = Pattern.compile("[A-Za-z0-9:._-]{1,200}");
    private static final Pattern SUBJECT_TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String ID_EXPECTED = "must match [A-Za-z0-9_-]{1,64}";

    private final Map<String, String> env;

    public ConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    /** Loads from a YAML file; a missing {@code file} means "defaults and environment only". */
    public GatewayConfig load(Path file) throws InvalidConfigException {
        if (file == null) {
            return fromValues(Map.of(), "defaults");
        }
        String source = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException(source, List.of(new ConfigError("--config", source, "is not a readable file")));
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidConfigException(source, List.of(new ConfigError("(yaml)", null, "is not valid YAML: " + firstLine(e.getMessage()))));
        }
        Map<String, String> values = new TreeMap<>();
        if (root != null && !root.isMissingNode() && !root.isNull()) {
            if (!root.isObject()) {
                throw new InvalidConfigException(source, List.of(new ConfigError("(root)", null, "must be a mapping of keys")));
            }
            flatten("", root, values);
        }
        return fromValues(values, source);
    }

    GatewayConfig fromValues(Map<String, String> values, String source) throws InvalidConfigException {
        ConfigReader r = new ConfigReader(values, env);
        r.secret("redis.url");
        r.secret("nats.url");

        var identity = new GatewayConfig.Identity(
                r.string("gateway.id", defaultGatewayId(), ID, ID_EXPECTED),
                r.string("site.id", "site-1", ID, ID_EXPECTED));

        var mqtt = new GatewayConfig.Mqtt(
                r.string("mqtt.host", "0.0.0.0", HOST, "is not a host name or address"),
                r.integer("mqtt.port", 1883, 0, 65535),
                r.integer("mqtt.max_message_bytes", 65_536, 1024, 268_435_455),
                r.integer("mqtt.session_queue_size", 16_384, 1024, 1_048_576),
                r.duration("mqtt.ack_interval", Duration.ofMillis(50), Duration.ofMillis(1), Duration.ofSeconds(10)),
                r.integer("mqtt.max_connects_per_minute", 30, 1, 100_000));

        var http = new GatewayConfig.Http(
                r.string("http.host", "127.0.0.1", HOST, "is not a host name or address"),
                r.integer("http.port", 9180, 0, 65535));

        Path dataDir = r.path("data.dir", Path.of("data"));
        var store = new GatewayConfig.Store(
                dataDir,
                r.path("devices.key_file", dataDir.resolve("site-device.key")),
                r.integer("outbox.commit_max_rows", 512, 1, 100_000),
                r.duration("outbox.commit_max_delay", Duration.ofMillis(5), Duration.ZERO, Duration.ofSeconds(1)),
                r.bytes("outbox.max_bytes", 1L << 30, 1L << 20, 1L << 42),
                r.bytes("outbox.hard_max_bytes", 3L << 29, 1L << 20, 1L << 42),
                r.bytes("outbox.min_free_disk", 64L << 20, 0, 1L << 42),
                r.duration("audit.retention", OutboxLimits.DEFAULT_AUDIT_MAX_AGE, Duration.ofHours(1), Duration.ofDays(3650)),
                r.longValue("audit.max_rows", OutboxLimits.DEFAULT_AUDIT_MAX_ROWS, 1000, 100_000_000));
        if (store.outboxHardMaxBytes() < store.outboxMaxBytes()) {
            r.error("outbox.hard_max_bytes", String.valueOf(store.outboxHardMaxBytes()),
                    "must not be smaller than outbox.max_bytes (" + store.outboxMaxBytes() + ")");
        }

        var intake = new GatewayConfig.Intake(
                r.integer("intake.max_payload_bytes", 8192, 64, 1_048_576),
                r.integer("intake.queue_capacity", 65_536, 1024, 10_000_000),
                r.integer("intake.max_rate_per_device", 200, 1, 1_000_000),
                r.integer("intake.max_burst_per_device", 2048, 1, 10_000_000));
        if (intake.maxPayloadBytes() > mqtt.maxMessageBytes()) {
            r.error("intake.max_payload_bytes", String.valueOf(intake.maxPayloadBytes()),
                    "must not exceed mqtt.max_message_bytes (" + mqtt.maxMessageBytes() + ")");
        }

        var redis = new GatewayConfig.Redis(
                r.uri("redis.url", URI.create("redis://127.0.0.1:6379"), Set.of("redis", "rediss")),
                r.string("redis.streams.alerts", "aurora:cps:alerts", STREAM_KEY, "is not a Redis key ([A-Za-z0-9:._-])"),
                r.string("redis.streams.telemetry", "aurora:cps:telemetry", STREAM_KEY, "is not a Redis key ([A-Za-z0-9:._-])"),
                r.string("redis.streams.audit", "aurora:audit", STREAM_KEY, "is not a Redis key ([A-Za-z0-9:._-])"),
                r.longValue("redis.maxlen", 100_000, 100, 1_000_000_000),
                r.duration("redis.timeout", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(5)));

        var nats = new GatewayConfig.Nats(
                r.uri("nats.url", URI.create("nats://127.0.0.1:4222"), Set.of("nats", "tls")),
                r.optionalString("nats.domain", SUBJECT_TOKEN, "must match [A-Za-z0-9_-]{1,64} or be empty"),
                r.string("nats.stream", "AURORA", SUBJECT_TOKEN, "must match [A-Za-z0-9_-]{1,64}"),
                r.string("nats.subject_prefix", "AURORA", SUBJECT_TOKEN, "must match [A-Za-z0-9_-]{1,64}"),
                r.enumValue("nats.alert_min_severity", Severity.MEDIUM, Severity.class),
                r.duration("nats.duplicate_window", Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofDays(7)),
                r.integer("nats.max_outstanding_acks", 1024, 1, 65_536),
                r.duration("nats.timeout", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(5)));

        var forward = new GatewayConfig.Forward(
                r.integer("forward.batch_size", 500, 1, 10_000),
                r.duration("forward.backoff_min", Duration.ofMillis(200), Duration.ofMillis(1), Duration.ofMinutes(1)),
                r.duration("forward.backoff_max", Duration.ofSeconds(30), Duration.ofMillis(1), Duration.ofHours(1)),
                r.duration("forward.ready_max_backlog_age", Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofDays(30)),
                r.duration("forward.stall_timeout", Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofHours(1)),
                r.integer("forward.drain_max_rate", 30_000, 0, 10_000_000));
        if (forward.backoffMax().compareTo(forward.backoffMin()) < 0) {
            r.error("forward.backoff_max", Durations.format(forward.backoffMax()),
                    "must not be shorter than forward.backoff_min (" + Durations.format(forward.backoffMin()) + ")");
        }

        var attest = attest(r);

        var federation = new GatewayConfig.Federation(
                r.bool("federation.enabled", true),
                r.string("federation.consumer_name", "aurora-edge-" + identity.gatewayId(), SUBJECT_TOKEN,
                        "must match [A-Za-z0-9_-]{1,64}"),
                r.duration("federation.nak_delay", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofHours(1)));

        var commands = new GatewayConfig.Commands(
                r.optionalPath("commands.soc_key"),
                r.string("commands.stream", "aurora:cps:commands", STREAM_KEY, "is not a Redis key ([A-Za-z0-9:._-])"),
                r.optionalString("commands.group", SUBJECT_TOKEN, "must match [A-Za-z0-9_-]{1,64} or be empty"),
                r.string("commands.results_stream", "aurora:cps:command_results", STREAM_KEY, "is not a Redis key ([A-Za-z0-9:._-])"),
                r.longValue("commands.results_maxlen", 10_000, 100, 100_000_000),
                r.duration("commands.retry_interval", Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofHours(1)),
                r.duration("commands.max_ttl", Duration.ofHours(24), Duration.ofMinutes(1), Duration.ofDays(30)),
                r.integer("commands.max_pending_per_device", 32, 1, 10_000));
        if (commands.socKey() != null && !Files.isRegularFile(commands.socKey())) {
            r.error("commands.soc_key", commands.socKey().toString(), "is not a readable file (the SOC's public command key, PEM)");
        }

        List<ConfigError> errors = r.finish();
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(source, errors);
        }
        return new GatewayConfig(identity, mqtt, http, store, intake, redis, nats, forward, attest, federation, commands, r.effectiveMasked());
    }

    private static GatewayConfig.Attest attest(ConfigReader r) {
        RegistrationPolicy policy = r.enumValue("devices.registration_policy", RegistrationPolicy.ENDORSED, RegistrationPolicy.class);
        Path manifest = r.optionalPath("attest.manifest");
        Path manifestSig = r.optionalPath("attest.manifest_signature");
        Path vendorKey = r.optionalPath("attest.vendor_key");
        Path endorsements = r.optionalPath("attest.endorsements");
        Path endorsementsSig = r.optionalPath("attest.endorsements_signature");
        var attest = new GatewayConfig.Attest(policy, manifest,
                manifestSig != null || manifest == null ? manifestSig : Path.of(manifest + ".sig"),
                vendorKey, endorsements,
                endorsementsSig != null || endorsements == null ? endorsementsSig : Path.of(endorsements + ".sig"),
                r.duration("attest.interval", Duration.ofHours(24), Duration.ofMinutes(1), Duration.ofDays(30)),
                r.duration("attest.interval_jitter", Duration.ofHours(1), Duration.ZERO, Duration.ofDays(1)),
                r.duration("attest.challenge_ttl", Duration.ofMinutes(2), Duration.ofSeconds(1), Duration.ofHours(24)),
                r.integer("attest.max_attempts", 3, 1, 20),
                r.duration("attest.retry_backoff_min", Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofHours(1)),
                r.duration("attest.retry_backoff_max", Duration.ofMinutes(10), Duration.ofMillis(100), Duration.ofDays(1)));
        if ((manifest != null || endorsements != null) && vendorKey == null) {
            r.error("attest.vendor_key", null, "is required when attest.manifest or attest.endorsements is set "
                    + "(the vendor public key, PEM, that signs them)");
        }
        if (attest.intervalJitter().compareTo(attest.interval()) >= 0) {
            r.error("attest.interval_jitter", Durations.format(attest.intervalJitter()),
                    "must be shorter than attest.interval (" + Durations.format(attest.interval()) + ")");
        }
        if (attest.retryBackoffMax().compareTo(attest.retryBackoffMin()) < 0) {
            r.error("attest.retry_backoff_max", Durations.format(attest.retryBackoffMax()),
                    "must not be shorter than attest.retry_backoff_min (" + Durations.format(attest.retryBackoffMin()) + ")");
        }
        return attest;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isNull()) {
            out.put(prefix, "");
        } else {
            out.put(prefix, node.isValueNode() ? node.asText() : node.toString());
        }
    }

    private static String defaultGatewayId() {
        try {
            String host = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
            return ID.matcher(host).matches() ? host : "gateway-1";
        } catch (IOException e) {
            return "gateway-1";
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
