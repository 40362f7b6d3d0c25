package aurora.edge.bench.sidebyside;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debian's {@code nats-server} with its MQTT listener, and a JetStream file stream capturing
 * {@code aurora.sensors.>} (the MQTT topics {@code aurora/sensors/...}). Its PUBACK is not gated on
 * the stream store, and the store fsyncs every two minutes (2.9 has no {@code sync_interval}).
 */
final class NatsMqttSystem implements SystemUnderTest {
    private static final String STREAM = "BENCH_SENSORS";
    private final ChildProcess process;
    private final int mqttPort;
    private final int clientPort;

    private NatsMqttSystem(ChildProcess process, int mqttPort, int clientPort) {
        this.process = process;
        this.mqttPort = mqttPort;
        this.clientPort = clientPort;
    }

    @SuppressWarnings("try") // jnats' Connection.close() declares InterruptedException
    static NatsMqttSystem start(Path dir) throws Exception {
        int clientPort = ChildProcess.freePort();
        int mqttPort = ChildProcess.freePort();
        Files.createDirectories(dir);
        Path conf = dir.resolve("nats.conf");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "server_name: \"bench-mqtt\"",
                        "listen: \"127.0.0.1:" + clientPort + "\"",
                        "jetstream { store_dir: \"" + dir.resolve("jetstream") + "\" }",
                        "mqtt { listen: \"127.0.0.1:" + mqttPort + "\" }",
                        ""),
                StandardCharsets.UTF_8);
        ChildProcess p = ChildProcess.start(
                "nats-server", List.of(Tools.binary("nats-server"), "-c", conf.toString()), dir, Map.of());
        p.awaitPort(clientPort, 20);
        p.awaitPort(mqttPort, 20);
        try (Connection nc = Nats.connect("nats://127.0.0.1:" + clientPort)) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder()
                    .name(STREAM)
                    .subjects("aurora.sensors.>")
                    .storageType(StorageType.File)
                    .build());
        }
        return new NatsMqttSystem(p, mqttPort, clientPort);
    }

    @Override
    public String name() {
        return "nats-server MQTT -> JetStream file";
    }

    @Override
    public int mqttPort() {
        return mqttPort;
    }

    @Override
    public Map<String, Long> processes() {
        LinkedHashMap<String, Long> m = new LinkedHashMap<>();
        m.put("nats-server", process.pid());
        return m;
    }

    /** How many messages the stream holds (all scenarios so far), to compare with the PUBACKs. */
    @Override
    @SuppressWarnings("try")
    public Map<String, Object> afterScenario(
            String scenario, String idPrefix, long fromEpochMillis, long measureFromEpochMillis, long pubacked)
            throws Exception {
        try (Connection nc = Nats.connect("nats://127.0.0.1:" + clientPort)) {
            long stored = nc.jetStreamManagement()
                    .getStreamInfo(STREAM)
                    .getStreamState()
                    .getMsgCount();
            return Map.of("streamMessagesTotal", stored);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
