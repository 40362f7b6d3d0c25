package aurora.edge.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/** The embedded broker ({@code mqtt.*}) and the ops endpoints ({@code http.*}). */
final class MqttSettings {
    static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:_-]{1,253}");
    private static final String HOST_PROBLEM = "is not a host name or address";

    static final Setting<String> HOST_NAME = Setting.string(
            "mqtt.host",
            "host",
            "0.0.0.0",
            HOST,
            "host name or address",
            HOST_PROBLEM,
            "where the device broker listens");
    static final Setting<Integer> PORT = Setting.integer(
            "mqtt.port",
            "port",
            1883,
            -1,
            65535,
            "device broker port (plaintext MQTT); 0 = any free port (reported in the log and `/status`), -1 = off (TLS only)");
    static final Setting<Boolean> PLAINTEXT = Setting.bool(
            "mqtt.plaintext",
            true,
            "the plaintext MQTT listener on `mqtt.port`; `false` turns it off, as `mqtt.port: -1` does (TLS only)");
    static final Setting<Integer> MAX_MESSAGE_BYTES = Setting.integer(
            "mqtt.max_message_bytes", "bytes", 65_536, 1024, 268_435_455, "largest MQTT packet the broker decodes");
    static final Setting<Integer> SESSION_QUEUE_SIZE = Setting.integer(
            "mqtt.session_queue_size",
            "commands",
            16_384,
            1024,
            1_048_576,
            "Moquette per-session-loop queue (too small drops publishes under bursts)");
    static final Setting<Duration> ACK_INTERVAL = Setting.duration(
            "mqtt.ack_interval",
            Duration.ofMillis(50),
            Duration.ofMillis(1),
            Duration.ofSeconds(10),
            "delivery acks: a device gets at most one ack per interval (the first right after its commit, the newest watermark coalesced for the next)");
    static final Setting<Integer> MAX_CONNECTS_PER_MINUTE = Setting.integer(
            "mqtt.max_connects_per_minute",
            "connects",
            30,
            1,
            100_000,
            "CONNECTs one device may make a minute (and in a burst); more are refused `CONNECT_RATE_LIMITED` (a connection storm)");
    static final Setting<Boolean> PUBACK_AFTER_COMMIT = Setting.bool(
            "mqtt.puback_after_commit",
            true,
            "a device's QoS 1 PUBLISH on its own topics is PUBACKed only after the outbox commit that stored it (stock firmware "
                    + "reads no other ack); `false` restores Moquette's PUBACK on receipt, which a kill -9 can make a lie");

    static final Setting<Integer> MAX_CONNECTIONS = Setting.integer(
            "mqtt.max_connections",
            "connections",
            20_000,
            1,
            1_000_000,
            "open MQTT connections in all; more are closed at once (`aurora_mqtt_refused_total{reason=\"max_connections\"}`)");
    static final Setting<Integer> MAX_PENDING_PER_ADDRESS = Setting.integer(
            "mqtt.max_pending_per_address",
            "connections",
            64,
            1,
            1_000_000,
            "connections from one source address that have not authenticated yet");
    static final Setting<Duration> CONNECT_TIMEOUT = Setting.duration(
            "mqtt.connect_timeout",
            Duration.ofSeconds(5),
            Duration.ofMillis(100),
            Duration.ofMinutes(5),
            "a connection must have authenticated this long after it opened, or it is closed");
    static final Setting<Integer> MAX_CONNECT_BYTES = Setting.integer(
            "mqtt.max_connect_bytes",
            "bytes",
            4096,
            128,
            65_536,
            "largest CONNECT packet (only PUBLISH may be up to `mqtt.max_message_bytes`)");
    static final Setting<Integer> MAX_INTERCEPTOR_BACKLOG = Setting.integer(
            "mqtt.max_interceptor_backlog",
            "events",
            20_000,
            100,
            10_000_000,
            "PUBLISHes waiting for intake before new ones are refused and their connection closed (the device resends)");

    static final Setting<Integer> TLS_PORT = Setting.integer(
            "mqtt.tls_port",
            "port",
            8883,
            -1,
            65535,
            "MQTT over TLS port, used when `mqtt.tls.cert` is set; 0 = any free port, -1 = off");
    static final Setting<Path> TLS_CERT = Setting.optionalPath(
            "mqtt.tls.cert",
            "the TLS listener's own certificate (PEM, leaf first, then any intermediates); unset = no TLS listener. "
                    + "Re-read when it changes on disk: new connections get the new certificate, open ones stay");
    static final Setting<Path> TLS_KEY = Setting.optionalPath(
            "mqtt.tls.key",
            "the private key of `mqtt.tls.cert` (PEM as openssl writes it: PKCS#8, EC or RSA, unencrypted; keep it 0600)");
    static final Setting<Path> TLS_CA = Setting.optionalPath(
            "mqtt.tls.ca", "the CA bundle (PEM) device certificates must chain to; re-read when it changes on disk");
    static final Setting<Path> TLS_CRL = Setting.optionalPath(
            "mqtt.tls.crl",
            "a CRL (PEM) signed by a CA of `mqtt.tls.ca`; re-read when it changes: sessions of revoked certificates are closed "
                    + "(`DEVICE_CERT_REVOKED`)");
    static final Setting<Boolean> TLS_REQUIRE_CLIENT_CERT = Setting.bool(
            "mqtt.tls.require_client_cert",
            true,
            "refuse a TLS handshake without a device certificate; `false` lets such a device log in with its password");
    static final Setting<Duration> TLS_RELOAD_INTERVAL = Setting.duration(
            "mqtt.tls.reload_interval",
            Duration.ofSeconds(1),
            Duration.ofMillis(100),
            Duration.ofMinutes(10),
            "how often the TLS files (and the revoked-device list) are checked for changes (mtime, size and hash)");

    static final Setting<String> HTTP_HOST = Setting.string(
            "http.host",
            "host",
            "127.0.0.1",
            HOST,
            "host name or address",
            HOST_PROBLEM,
            "ops endpoints listen address; keep loopback unless firewalled");
    static final Setting<Path> OPS_TOKEN_FILE = Setting.path(
                    "ops.token_file",
                    Path.of("data", "ops.token"),
                    "bearer token every operator write on the ops port must carry (`devices approve|quarantine|release|attest`, `iocs confirm`); "
                            + "created 0600 with 32 random bytes at first start; the CLI reads it through `--config` (or `--token-file`)")
            .defaultShownAs("`<data.dir>/ops.token`");
    static final Setting<Integer> HTTP_PORT =
            Setting.integer("http.port", "port", 9180, 0, 65535, "ops endpoints port; 0 = any free port");
    static final Setting<Boolean> CONSOLE_WRITES = Setting.bool(
            "http.console_writes",
            false,
            "whether the browser console at `/` may send operator commands (approve, quarantine, release, re-attest, start a trace), "
                    + "each with the ops token and the operator's name; when false it is read-only and the ops port refuses writes from "
                    + "a browser (a request with `Origin`); the command line is not affected");

    private MqttSettings() {}

    static GatewayConfig.Mqtt read(ConfigReader r) {
        String host = r.get(HOST_NAME);
        int port = r.get(PORT);
        boolean plaintextOn = r.get(PLAINTEXT);
        var mqtt = new GatewayConfig.Mqtt(
                host,
                plaintextOn ? port : -1,
                r.get(MAX_MESSAGE_BYTES),
                r.get(SESSION_QUEUE_SIZE),
                r.get(ACK_INTERVAL),
                r.get(MAX_CONNECTS_PER_MINUTE),
                readStrangers(r),
                readTls(r),
                r.get(PUBACK_AFTER_COMMIT));
        if (!mqtt.plaintext() && !mqtt.tls().enabled()) {
            String fix = "turns the only listener off: set mqtt.tls.cert (and mqtt.tls_port) for a TLS listener";
            if (plaintextOn) {
                r.error(PORT, "-1", fix);
            } else {
                r.error(PLAINTEXT, "false", fix);
            }
        }
        if (mqtt.plaintext()
                && mqtt.tls().enabled()
                && mqtt.port() != 0
                && mqtt.port() == mqtt.tls().port()) {
            r.error(TLS_PORT, String.valueOf(mqtt.tls().port()), "must differ from mqtt.port");
        }
        if (mqtt.strangers().maxConnectBytes() > mqtt.maxMessageBytes()) {
            r.error(
                    MAX_CONNECT_BYTES,
                    String.valueOf(mqtt.strangers().maxConnectBytes()),
                    "must not exceed mqtt.max_message_bytes (" + mqtt.maxMessageBytes() + ")");
        }
        return mqtt;
    }

    private static GatewayConfig.Tls readTls(ConfigReader r) {
        var tls = new GatewayConfig.Tls(
                r.get(TLS_PORT),
                r.get(TLS_CERT),
                r.get(TLS_KEY),
                r.get(TLS_CA),
                r.get(TLS_CRL),
                r.get(TLS_REQUIRE_CLIENT_CERT),
                r.get(TLS_RELOAD_INTERVAL));
        if (tls.cert() != null) {
            if (tls.key() == null) {
                r.error(TLS_KEY, null, "must be set when mqtt.tls.cert is set");
            }
            if (tls.ca() == null) {
                r.error(TLS_CA, null, "must be set when mqtt.tls.cert is set (the CA device certificates chain to)");
            }
        } else if (tls.key() != null || tls.ca() != null || tls.crl() != null) {
            r.error(
                    TLS_CERT,
                    null,
                    "must be set when mqtt.tls.key, mqtt.tls.ca or mqtt.tls.crl is (it turns the TLS listener on)");
        }
        return tls;
    }

    private static GatewayConfig.Strangers readStrangers(ConfigReader r) {
        return new GatewayConfig.Strangers(
                r.get(MAX_CONNECTIONS),
                r.get(MAX_PENDING_PER_ADDRESS),
                r.get(CONNECT_TIMEOUT),
                r.get(MAX_CONNECT_BYTES),
                r.get(MAX_INTERCEPTOR_BACKLOG));
    }

    /** Read after the store settings: the token file's default lives in {@code data.dir}. */
    static GatewayConfig.Http readHttp(ConfigReader r, Path dataDir) {
        return new GatewayConfig.Http(
                r.get(HTTP_HOST),
                r.get(HTTP_PORT),
                r.get(OPS_TOKEN_FILE, dataDir.resolve("ops.token")),
                r.get(CONSOLE_WRITES));
    }
}
