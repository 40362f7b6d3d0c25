package aurora.edge.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's mosquitto_pub, a client nobody here wrote, to prove interoperability. */
final class MosquittoClients {
    private MosquittoClients() {}

    record Result(int exitCode, String output) {}

    static Result publish(int port, String clientId, String password, String topic, String message, int qos) {
        List<String> cmd = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(port), "-V", "mqttv311",
                "-i", clientId, "-u", clientId, "-P", password, "-q", String.valueOf(qos), "-t", topic, "-m", message));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("mosquitto_pub is not installed: run `make test`, which installs mosquitto-clients", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
