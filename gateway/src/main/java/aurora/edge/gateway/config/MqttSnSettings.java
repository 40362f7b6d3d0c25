package aurora.edge.gateway.config;

import java.time.Duration;

/** The MQTT-SN 1.2 gateway on UDP ({@code mqttsn.*}); it listens on {@code mqtt.host}. */
final class MqttSnSettings {
    static final Setting<Boolean> ENABLED = Setting.bool(
            "mqttsn.enabled", false, "the MQTT-SN 1.2 gateway on UDP (DTLS 1.2 PSK unless plaintext is allowed)");
    static final Setting<Integer> PORT = Setting.integer(
            "mqttsn.port",
            "port",
            1884,
            0,
            65535,
            "UDP port of the MQTT-SN gateway; 0 = any free port (reported in the log)");
    static final Setting<Boolean> ALLOW_PLAINTEXT = Setting.bool(
            "mqttsn.allow_plaintext",
            false,
            "plain UDP MQTT-SN without DTLS, lab only: a client id is then a mere claim (a loud warning at start)");
    static final Setting<Integer> MAX_SESSIONS = Setting.integer(
            "mqttsn.max_sessions",
            "sessions",
            10_000,
            1,
            1_000_000,
            "MQTT-SN sessions (awake and asleep) in all; a CONNECT beyond is refused `SN_SESSION_LIMIT`");
    static final Setting<Integer> MAX_SESSIONS_PER_ADDRESS = Setting.integer(
            "mqttsn.max_sessions_per_address",
            "sessions",
            64,
            1,
            1_000_000,
            "awake MQTT-SN sessions from one source address (a relay counts once); more are refused `SN_SESSION_LIMIT`");
    static final Setting<Integer> MAX_PACKET_BYTES = Setting.integer(
            "mqttsn.max_packet_bytes",
            "bytes",
            4096,
            64,
            65_535,
            "largest MQTT-SN datagram decoded; a larger one is refused `SN_MALFORMED`");
    static final Setting<Integer> SLEEP_QUEUE_MAX = Setting.integer(
            "mqttsn.sleep_queue_max",
            "messages",
            16,
            1,
            10_000,
            "messages queued for one sleeping device (acks collapse to the newest); the oldest go first beyond it");
    static final Setting<Duration> MIN_KEEP_ALIVE = Setting.duration(
            "mqttsn.min_keep_alive",
            Duration.ofSeconds(10),
            Duration.ofSeconds(1),
            Duration.ofHours(1),
            "a CONNECT's keep-alive below this is raised to it (a session is closed after 1.5x its keep-alive of silence)");
    static final Setting<Duration> MAX_KEEP_ALIVE = Setting.duration(
            "mqttsn.max_keep_alive",
            Duration.ofHours(1),
            Duration.ofSeconds(1),
            Duration.ofDays(1),
            "a CONNECT's keep-alive above this (or 0, none) is lowered to it");
    static final Setting<Duration> RETRY_INTERVAL = Setting.duration(
            "mqttsn.retry_interval",
            Duration.ofSeconds(5),
            Duration.ofMillis(100),
            Duration.ofMinutes(5),
            "an unacknowledged QoS 1 message to an awake MQTT-SN device is sent again this often, 3 times at most");

    private MqttSnSettings() {}

    static GatewayConfig.MqttSn read(ConfigReader r) {
        var sn = new GatewayConfig.MqttSn(
                r.get(ENABLED),
                r.get(PORT),
                r.get(ALLOW_PLAINTEXT),
                r.get(MAX_SESSIONS),
                r.get(MAX_SESSIONS_PER_ADDRESS),
                r.get(MAX_PACKET_BYTES),
                r.get(SLEEP_QUEUE_MAX),
                r.get(MIN_KEEP_ALIVE),
                r.get(MAX_KEEP_ALIVE),
                r.get(RETRY_INTERVAL));
        if (sn.minKeepAlive().compareTo(sn.maxKeepAlive()) > 0) {
            r.error(
                    MIN_KEEP_ALIVE,
                    Durations.format(sn.minKeepAlive()),
                    "is above mqttsn.max_keep_alive (" + Durations.format(sn.maxKeepAlive()) + ")");
        }
        if (sn.maxSessionsPerAddress() > sn.maxSessions()) {
            r.error(
                    MAX_SESSIONS_PER_ADDRESS,
                    String.valueOf(sn.maxSessionsPerAddress()),
                    "is above mqttsn.max_sessions (" + sn.maxSessions() + ")");
        }
        return sn;
    }
}
