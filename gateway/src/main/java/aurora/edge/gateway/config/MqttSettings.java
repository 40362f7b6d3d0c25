package aurora.edge.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/** The embedded broker ({@code mqtt.*}) and the ops endpoints ({@code http.*}). */
final class MqttSettings {
    static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:_-]{1,253}");
    private static final String HOST_PROBLEM = "is not a host name or address";

    static final Setting<String> HOST_NAME = Setting.string("mqtt.host", "host", "0.0.0.0", HOST, "host name or address", HOST_PROBLEM,
            "where the device broker listens");
    static final Setting<Integer> PORT = Setting.integer("mqtt.port", "port", 1883, 0, 65535,
            "device broker port; 0 = any free port (reported in the log and `/status`)");
    static final Setting<Integer> MAX_MESSAGE_BYTES = Setting.integer("mqtt.max_message_bytes", "bytes", 65_536, 1024, 268_435_455,
            "largest MQTT packet the broker decodes");
    static final Setting<Integer> SESSION_QUEUE_SIZE = Setting.integer("mqtt.session_queue_size", "commands", 16_384, 1024, 1_048_576,
            "Moquette per-session-loop queue (too small drops publishes under bursts)");
    static final Setting<Duration> ACK_INTERVAL = Setting.duration("mqtt.ack_interval", Duration.ofMillis(50), Duration.ofMillis(1),
            Duration.ofSeconds(10), "how often coalesced delivery acks are published to devices");
    static final Setting<Integer> MAX_CONNECTS_PER_MINUTE = Setting.integer("mqtt.max_connects_per_minute", "connects", 30, 1, 100_000,
            "CONNECTs one device may make a minute (and in a burst); more are refused `CONNECT_RATE_LIMITED` (a connection storm)");
    static final Setting<Boolean> PUBACK_AFTER_COMMIT = Setting.bool("mqtt.puback_after_commit", true,
            "a device's QoS 1 PUBLISH on its own topics is PUBACKed only after the outbox commit that stored it (stock firmware "
                    + "reads no other ack); `false` restores Moquette's PUBACK on receipt, which a kill -9 can make a lie");

    static final Setting<Integer> MAX_CONNECTIONS = Setting.integer("mqtt.max_connections", "connections", 20_000, 1, 1_000_000,
            "open MQTT connections in all; more are closed at once (`aurora_mqtt_refused_total{reason=\"max_connections\"}`)");
    static final Setting<Integer> MAX_PENDING_PER_ADDRESS = Setting.integer("mqtt.max_pending_per_address", "connections", 64, 1,
            1_000_000, "connections from one source address that have not authenticated yet");
    static final Setting<Duration> CONNECT_TIMEOUT = Setting.duration("mqtt.connect_timeout", Duration.ofSeconds(5),
            Duration.ofMillis(100), Duration.ofMinutes(5), "a connection must have authenticated this long after it opened, or it is closed");
    static final Setting<Integer> MAX_CONNECT_BYTES = Setting.integer("mqtt.max_connect_bytes", "bytes", 4096, 128, 65_536,
            "largest CONNECT packet (only PUBLISH may be up to `mqtt.max_message_bytes`)");
    static final Setting<Integer> MAX_INTERCEPTOR_BACKLOG = Setting.integer("mqtt.max_interceptor_backlog", "events", 20_000, 100,
            10_000_000, "PUBLISHes waiting for intake before new ones are refused and their connection closed (the device resends)");

    static final Setting<String> HTTP_HOST = Setting.string("http.host", "host", "127.0.0.1", HOST, "host name or address", HOST_PROBLEM,
            "ops endpoints listen address; keep loopback unless firewalled");
    static final Setting<Path> OPS_TOKEN_FILE = Setting.path("ops.token_file", Path.of("data", "ops.token"),
            "bearer token every operator write on the ops port must carry (`devices approve|quarantine|release|attest`, `iocs confirm`); "
                    + "created 0600 with 32 random bytes at first start; the CLI reads it through `--config` (or `--token-file`)")
            .defaultShownAs("`<data.dir>/ops.token`");
    static final Setting<Integer> HTTP_PORT = Setting.integer("http.port", "port", 9180, 0, 65535, "ops endpoints port; 0 = any free port");
    static final Setting<Boolean> CONSOLE_WRITES = Setting.bool("http.console_writes", false,
            "whether the browser console at `/` may send operator commands (approve, quarantine, release, re-attest, start a trace), "
                    + "each with the ops token and the operator's name; when false it is read-only and the ops port refuses writes from "
                    + "a browser (a request with `Origin`); the command line is not affected");

    private MqttSettings() {}

    static GatewayConfig.Mqtt read(ConfigReader r) {
        var mqtt = new GatewayConfig.Mqtt(r.get(HOST_NAME), r.get(PORT), r.get(MAX_MESSAGE_BYTES), r.get(SESSION_QUEUE_SIZE),
                r.get(ACK_INTERVAL), r.get(MAX_CONNECTS_PER_MINUTE), readStrangers(r), r.get(PUBACK_AFTER_COMMIT));
        if (mqtt.strangers().maxConnectBytes() > mqtt.maxMessageBytes()) {
            r.error(MAX_CONNECT_BYTES, String.valueOf(mqtt.strangers().maxConnectBytes()),
                    "must not exceed mqtt.max_message_bytes (" + mqtt.maxMessageBytes() + ")");
        }
        return mqtt;
    }

    private static GatewayConfig.Strangers readStrangers(ConfigReader r) {
        return new GatewayConfig.Strangers(r.get(MAX_CONNECTIONS), r.get(MAX_PENDING_PER_ADDRESS), r.get(CONNECT_TIMEOUT),
                r.get(MAX_CONNECT_BYTES), r.get(MAX_INTERCEPTOR_BACKLOG));
    }

    /** Read after the store settings: the token file's default lives in {@code data.dir}. */
    static GatewayConfig.Http readHttp(ConfigReader r, Path dataDir) {
        return new GatewayConfig.Http(r.get(HTTP_HOST), r.get(HTTP_PORT), r.get(OPS_TOKEN_FILE, dataDir.resolve("ops.token")),
                r.get(CONSOLE_WRITES));
    }
}
