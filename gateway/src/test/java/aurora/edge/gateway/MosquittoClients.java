package aurora.edge.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's mosquitto_pub, a client nobody here wrote, to prove interoperability. */
final class MosquittoClients {
    private MosquittoClients() {}

    record Result(int exitCode, String output) {}

    static Result publish(int port, String clientId, String password, String topic, String message, int qos) {
        return run(new ArrayList<>(List.of(
                "mosquitto_pub",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(port),
                "-V",
                "mqttv311",
                "-i",
                clientId,
                "-u",
                clientId,
                "-P",
                password,
                "-q",
                String.valueOf(qos),
                "-t",
                topic,
                "-m",
                message)));
    }

    /**
     * mosquitto_pub over TLS: trusts {@code caFile} for the gateway's certificate (and checks its
     * name, 127.0.0.1), authenticates with {@code cert}/{@code key} when given, sends no username or
     * password unless {@code password} is given.
     */
    static Result publishTls(
            int port,
            Path caFile,
            Path cert,
            Path key,
            String clientId,
            String password,
            String topic,
            String message) {
        List<String> cmd = new ArrayList<>(List.of(
                "mosquitto_pub",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(port),
                "-V",
                "mqttv311",
                "--cafile",
                caFile.toString(),
                "-i",
                clientId,
                "-q",
                "1",
                "-t",
                topic,
                "-m",
                message));
        if (cert != null) {
            cmd.addAll(List.of("--cert", cert.toString(), "--key", key.toString()));
        }
        if (password != null) {
            cmd.addAll(List.of("-u", clientId, "-P", password));
        }
        return run(cmd);
    }

    /** Runs a command (mosquitto, openssl) to its end, at most 20 s; its output and exit code. */
    static Result run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(
                    cmd.get(0) + " is not installed: run `make test`, which installs mosquitto-clients", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
