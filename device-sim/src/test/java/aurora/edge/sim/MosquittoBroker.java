package aurora.edge.sim;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Debian {@code mosquitto} as a child process: its own temp dir and config, a password file, persistence on
 * (so a stop/launch keeps sessions and subscriptions, like a broker restart), a fixture-chosen loopback port that is
 * kept across restarts (picked again if it was taken meanwhile), readiness by deadline.
 */
final class MosquittoBroker implements AutoCloseable {
    private static final Duration START_DEADLINE = Duration.ofSeconds(10);
    private static final List<Path> SEARCH = List.of(
            Path.of("/usr/sbin/mosquitto"),
            Path.of("/usr/bin/mosquitto"),
            Path.of("/usr/local/sbin/mosquitto"),
            Path.of("/usr/local/bin/mosquitto"));

    private final Path binary;
    private final Path dir;
    private final Path log;
    private int port;
    private Process process;

    private MosquittoBroker(Path binary, Path dir) {
        this.binary = binary;
        this.dir = dir;
        this.log = dir.resolve("mosquitto.log");
    }

    /** Starts a broker that admits exactly {@code users} (username → password). */
    static MosquittoBroker start(Map<String, String> users) {
        Path binary = requireInstalled();
        try {
            MosquittoBroker broker = new MosquittoBroker(binary, Files.createTempDirectory("aurora-mosquitto-"));
            broker.writePasswords(users);
            for (int attempt = 1; ; attempt++) {
                broker.port = freeLoopbackPort();
                broker.writeConfig();
                try {
                    broker.launch();
                    return broker;
                } catch (IllegalStateException e) {
                    if (attempt == 5 || !broker.logText().contains("Address already in use")) {
                        broker.close();
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare mosquitto", e);
        }
    }

    int port() {
        return port;
    }

    /** SIGTERM, as a clean broker shutdown: mosquitto saves sessions and subscriptions. */
    synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** While stopped: deletes the saved sessions, so the next launch is a broker that forgot every client. */
    synchronized void forgetSessions() {
        try {
            Files.deleteIfExists(dir.resolve("mosquitto.db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts again on the same port and dir, and waits until it accepts connections. */
    synchronized void launch() {
        try {
            Files.writeString(
                    log,
                    "----- fixture: launching on port " + port + "\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(
                            binary.toString(),
                            "-c",
                            dir.resolve("mosquitto.conf").toString())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch " + binary, e);
        }
        Process p = process;
        try {
            await("mosquitto accepting on port " + port)
                    .atMost(START_DEADLINE)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException(
                                    "mosquitto exited with " + p.exitValue() + ":\n" + logText());
                        }
                        return accepts();
                    });
        } catch (ConditionTimeoutException e) {
            p.destroyForcibly();
            throw new IllegalStateException(
                    "mosquitto did not accept connections within " + START_DEADLINE + ":\n" + logText(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir
        }
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void writePasswords(Map<String, String> users) throws IOException {
        Path file = dir.resolve("passwd");
        Path tool = binary.resolveSibling("mosquitto_passwd");
        if (!Files.isExecutable(tool)) {
            tool = Path.of("/usr/bin/mosquitto_passwd");
        }
        boolean first = true;
        for (Map.Entry<String, String> user : users.entrySet()) {
            List<String> command = new ArrayList<>(List.of(tool.toString()));
            if (first) {
                command.add("-c");
            }
            command.addAll(List.of("-b", file.toString(), user.getKey(), user.getValue()));
            first = false;
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("mosquitto_passwd failed: " + output);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private void writeConfig() throws IOException {
        String config = "listener " + port + " 127.0.0.1\n"
                + "allow_anonymous false\n"
                + "password_file " + dir.resolve("passwd") + "\n"
                + "persistence true\n"
                + "persistence_location " + dir + "/\n"
                + "max_queued_messages 100000\n"
                + "log_dest stdout\n"
                + "log_type error\nlog_type warning\nlog_type notice\n"
                // as root, mosquitto would switch to the 'mosquitto' user, who cannot read this temp dir
                + ("root".equals(System.getProperty("user.name")) ? "user root\n" : "");
        Files.writeString(dir.resolve("mosquitto.conf"), config, StandardCharsets.UTF_8);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path requireInstalled() {
        String path = System.getenv().getOrDefault("PATH", "");
        List<Path> candidates = new ArrayList<>();
        for (String entry : path.split(":")) {
            if (!entry.isEmpty()) {
                candidates.add(Path.of(entry, "mosquitto"));
            }
        }
        candidates.addAll(SEARCH);
        return candidates.stream()
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "this test needs the mosquitto broker (Debian package 'mosquitto'; `make deps` installs it), "
                                + "found none on PATH or in /usr/sbin"));
    }
}
