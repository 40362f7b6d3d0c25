package aurora.edge.bench.sidebyside;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link BareMoquette} in its own JVM with the gateway's heap and collector. */
final class BareMoquetteSystem implements SystemUnderTest {
    private final ChildProcess process;
    private final int port;

    private BareMoquetteSystem(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static BareMoquetteSystem start(Path dir, String heap) throws Exception {
        int port = ChildProcess.freePort();
        List<String> cmd = new ArrayList<>(List.of(
                ProcStat.javaBinary(),
                "-Xmx" + heap,
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                BareMoquette.class.getName(),
                String.valueOf(port),
                dir.resolve("data").toString()));
        ChildProcess p = ChildProcess.start("bare moquette", cmd, dir, Map.of());
        p.awaitPort(port, 60);
        return new BareMoquetteSystem(p, port);
    }

    @Override
    public String name() {
        return "bare Moquette 0.17 (counting interceptor)";
    }

    @Override
    public int mqttPort() {
        return port;
    }

    @Override
    public boolean credentials() {
        return true;
    }

    @Override
    public Map<String, Long> processes() {
        LinkedHashMap<String, Long> m = new LinkedHashMap<>();
        m.put("moquette", process.pid());
        return m;
    }

    @Override
    public void close() {
        process.close();
    }
}
