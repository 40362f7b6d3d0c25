package aurora.edge.gateway.config;

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

    static final Setting<String> HTTP_HOST = Setting.string("http.host", "host", "127.0.0.1", HOST, "host name or address", HOST_PROBLEM,
            "ops endpoints listen address; keep loopback unless firewalled");
    static final Setting<Integer> HTTP_PORT = Setting.integer("http.port", "port", 9180, 0, 65535, "ops endpoints port; 0 = any free port");

    private MqttSettings() {}

    static GatewayConfig.Mqtt read(ConfigReader r) {
        return new GatewayConfig.Mqtt(r.get(HOST_NAME), r.get(PORT), r.get(MAX_MESSAGE_BYTES), r.get(SESSION_QUEUE_SIZE),
                r.get(ACK_INTERVAL), r.get(MAX_CONNECTS_PER_MINUTE));
    }

    static GatewayConfig.Http readHttp(ConfigReader r) {
        return new GatewayConfig.Http(r.get(HTTP_HOST), r.get(HTTP_PORT));
    }
}
