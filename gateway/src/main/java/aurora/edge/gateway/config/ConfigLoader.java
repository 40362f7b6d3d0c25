package aurora.edge.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Turns a YAML file plus {@code AURORA_*} environment overrides into a {@link GatewayConfig}.
 * Unknown keys and bad values are all collected and thrown together in one {@link InvalidConfigException}.
 * The keys themselves, with defaults, ranges and meanings, are modelled as {@link Setting}s in the
 * features' {@code *Settings} classes.
 */
public final class ConfigLoader {
    private final Map<String, String> env;
    private final Supplier<String> hostName;

    public ConfigLoader(Map<String, String> env) {
        this(env, IdentitySettings::localHostName);
    }

    /** @param hostName this machine's host name, the default {@code gateway.id} (null when unknown) */
    ConfigLoader(Map<String, String> env, Supplier<String> hostName) {
        this.env = env;
        this.hostName = hostName;
    }

    /** Loads from a YAML file; a missing {@code file} means "defaults and environment only". */
    public GatewayConfig load(Path file) throws InvalidConfigException {
        if (file == null) {
            return fromValues(Map.of(), "defaults");
        }
        String source = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException(
                    source, List.of(new ConfigError("--config", source, "is not a readable file")));
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidConfigException(
                    source,
                    List.of(new ConfigError("(yaml)", null, "is not valid YAML: " + firstLine(e.getMessage()))));
        }
        Map<String, String> values = new TreeMap<>();
        if (root != null && !root.isMissingNode() && !root.isNull()) {
            if (!root.isObject()) {
                throw new InvalidConfigException(
                        source, List.of(new ConfigError("(root)", null, "must be a mapping of keys")));
            }
            flatten("", root, values);
        }
        return fromValues(values, source);
    }

    GatewayConfig fromValues(Map<String, String> values, String source) throws InvalidConfigException {
        ConfigReader r = new ConfigReader(values, env);
        GatewayConfig config = read(r, hostName);
        List<ConfigError> errors = r.finish();
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(source, errors);
        }
        return config;
    }

    /**
     * Every key the gateway reads, in the order of the docs' tables. It is the list of settings the
     * loader asks for, so a key cannot be read without being documented.
     */
    public static List<Setting<?>> catalogue() {
        ConfigReader r = new ConfigReader(Map.of(), Map.of());
        read(r, () -> "gateway-1");
        return r.settings();
    }

    /** Each feature reads its own keys and checks its own rules across them; this is only the order. */
    private static GatewayConfig read(ConfigReader r, Supplier<String> hostName) {
        var identity = IdentitySettings.read(r, hostName);
        var mqtt = MqttSettings.read(r);
        var store = StoreSettings.read(r);
        var http = MqttSettings.readHttp(r, store.dataDir());
        var intake = IntakeSettings.read(r, mqtt);
        var redis = RedisSettings.read(r);
        var nats = NatsSettings.read(r);
        var forward = ForwardSettings.read(r);
        var attest = AttestSettings.read(r);
        var federation = FederationSettings.read(r, identity);
        var auditVolume = AuditVolumeSettings.read(r);
        var healthCheck = HealthCheckSettings.read(r);
        var commands = CommandsSettings.read(r);
        var mqttsn = MqttSnSettings.read(r);
        var dtls = DtlsSettings.read(r);
        return new GatewayConfig(
                identity,
                mqtt,
                http,
                store,
                intake,
                redis,
                nats,
                forward,
                attest,
                federation,
                auditVolume,
                healthCheck,
                commands,
                mqttsn,
                dtls,
                r.effective());
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isNull()) {
            out.put(prefix, "");
        } else {
            out.put(prefix, node.isValueNode() ? node.asText() : node.toString());
        }
    }

    private static String firstLine(@Nullable String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
