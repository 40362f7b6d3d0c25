package aurora.edge.bench.sidebyside;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Debian's {@code mosquitto}, persistence off, anonymous, TCP_NODELAY (as Netty and nats-server set it). */
final class MosquittoSystem implements SystemUnderTest {
    private final ChildProcess process;
    private final int port;

    private MosquittoSystem(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static MosquittoSystem start(Path dir) throws Exception {
        int port = ChildProcess.freePort();
        Files.createDirectories(dir);
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "listener " + port + " 127.0.0.1",
                        "allow_anonymous true",
                        "persistence false",
                        "max_connections -1",
                        "set_tcp_nodelay true",
                        "log_type error",
                        "log_type warning",
                        "log_dest stdout",
                        ""),
                StandardCharsets.UTF_8);
        ChildProcess p = ChildProcess.start(
                "mosquitto", List.of(Tools.binary("mosquitto"), "-c", conf.toString()), dir, Map.of());
        p.awaitPort(port, 20);
        return new MosquittoSystem(p, port);
    }

    @Override
    public String name() {
        return "Mosquitto (no persistence)";
    }

    @Override
    public int mqttPort() {
        return port;
    }

    @Override
    public Map<String, Long> processes() {
        LinkedHashMap<String, Long> m = new LinkedHashMap<>();
        m.put("mosquitto", process.pid());
        return m;
    }

    @Override
    public void close() {
        process.close();
    }
}
