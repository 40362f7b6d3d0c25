package aurora.edge.gateway;

import aurora.edge.gateway.broker.DeviceCredentials;
import aurora.edge.gateway.broker.SiteKey;
import aurora.edge.gateway.config.ConfigLoader;
import aurora.edge.gateway.config.GatewayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A real gateway for tests: in-process, MQTT and HTTP on port 0, its own data directory, talking
 * to the given Redis and NATS. Restartable on the same data directory, like a service restart.
 */
public final class TestGateway implements AutoCloseable {
    private final Path dataDir;
    private final Map<String, String> settings;
    private Gateway gateway;

    public TestGateway(Path dataDir, String redisUrl, String natsUrl, Map<String, String> extra) {
        this.dataDir = dataDir;
        this.settings = new HashMap<>(Map.of(
                "AURORA_GATEWAY_ID", "gw-test",
                "AURORA_SITE_ID", "site-test",
                "AURORA_MQTT_HOST", "127.0.0.1",
                "AURORA_MQTT_PORT", "0",
                "AURORA_HTTP_PORT", "0",
                "AURORA_DATA_DIR", dataDir.toString(),
                "AURORA_REDIS_URL", redisUrl,
                "AURORA_NATS_URL", natsUrl,
                "AURORA_FORWARD_BACKOFF_MAX", "1s"));
        // Tests of the pipeline use ad-hoc device ids; attestation tests set the policy back to endorsed.
        this.settings.put("AURORA_DEVICES_REGISTRATION_POLICY", "open");
        this.settings.put("AURORA_MQTTSN_PORT", "0"); // off unless a test enables it; never a fixed port
        // Every simulated device of a test handshakes from 127.0.0.1, like devices behind one NAT address.
        this.settings.put("AURORA_MQTTSN_DTLS_MAX_HANDSHAKES_PER_ADDRESS", "64");
        this.settings.putAll(extra);
    }

    public TestGateway start() {
        try {
            GatewayConfig config = new ConfigLoader(settings).load(null);
            gateway = Gateway.start(config, Clock.systemUTC());
            return this;
        } catch (Exception e) {
            throw new IllegalStateException("test gateway failed to start", e);
        }
    }

    public Gateway gateway() {
        return gateway;
    }

    public int httpPort() {
        return gateway.httpPort();
    }

    public int mqttPort() {
        return gateway.mqttPort();
    }

    /** The MQTT-SN UDP port, -1 when the MQTT-SN gateway is off. */
    public int mqttSnPort() {
        return gateway.mqttSnPort();
    }

    /** The MQTT over TLS port, -1 when the gateway has no TLS listener. */
    public int mqttTlsPort() {
        return gateway.mqttTlsPort();
    }

    public Path siteKeyFile() {
        return dataDir.resolve("site-device.key");
    }

    /** The site key devices derive their passwords from, as the simulator takes it. */
    public byte[] siteKey() {
        try {
            return java.util.Base64.getDecoder()
                    .decode(java.nio.file.Files.readString(siteKeyFile()).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String passwordFor(String deviceId) {
        try {
            return new DeviceCredentials(SiteKey.load(siteKeyFile())).passwordFor(deviceId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public double metric(String name, String tag, String value) {
        var counter = gateway.metrics().registry().find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    /** The sum of a counter over all its tags. */
    public double metric(String name) {
        return gateway.metrics().registry().find(name).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    /** A graceful stop and a start on the same data directory and MQTT port, as a service restart does. */
    public void restartOnPort(int mqttPort) {
        gateway.close();
        settings.put("AURORA_MQTT_PORT", String.valueOf(mqttPort));
        start();
    }

    /** A graceful stop and a start on the same data directory, MQTT and MQTT-SN ports (devices keep their addresses). */
    public void restartOnSamePorts() {
        restartOnSamePorts(dir -> {});
    }

    /** As {@link #restartOnSamePorts()}, telling {@code whileStopped} the data directory between the stop and the start. */
    public void restartOnSamePorts(Consumer<Path> whileStopped) {
        int mqtt = mqttPort();
        int sn = mqttSnPort();
        gateway.close();
        whileStopped.accept(dataDir);
        settings.put("AURORA_MQTT_PORT", String.valueOf(mqtt));
        if (sn > 0) {
            settings.put("AURORA_MQTTSN_PORT", String.valueOf(sn));
        }
        start();
    }

    @Override
    public void close() {
        if (gateway != null) {
            gateway.close();
        }
    }
}
