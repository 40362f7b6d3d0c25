package aurora.edge.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * The mechanics shared by the server fixtures: one child process of a Debian binary, its own temp
 * dir, fixture-chosen loopback ports kept across restarts, output captured in {@code server.log},
 * readiness by deadline, and failures that quote the log's tail.
 */
final class ServerProcess implements AutoCloseable {
    static final Duration START_DEADLINE = Duration.ofSeconds(20);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final int PORT_ATTEMPTS = 5;
    private static final int TAIL_LINES = 30;

    /** Builds the command line once the ports are known (a config file may be written here too). */
    interface Launcher {
        List<String> command(Path dir, int[] ports) throws IOException;
    }

    /** Whether the server answers; may throw while it does not. */
    interface Readiness {
        boolean answers(int[] ports, String outputOfThisRun) throws Exception;
    }

    private final String name;
    private final Path binary;
    private final Path dir;
    private final Path log;
    private final Launcher launcher;
    private final Readiness readiness;
    private int[] ports;
    private Process process;
    private long logOffset;
    private boolean closed;

    private ServerProcess(String name, Path binary, Path dir, Launcher launcher, Readiness readiness) {
        this.name = name;
        this.binary = binary;
        this.dir = dir;
        this.log = dir.resolve("server.log");
        this.launcher = launcher;
        this.readiness = readiness;
    }

    /** Starts on {@code portCount} free loopback ports; picks new ones if a port was taken meanwhile. */
    static ServerProcess start(String name, String binaryName, int portCount, Launcher launcher, Readiness readiness) {
        Path binary = requireBinary(binaryName);
        Path dir;
        try {
            dir = Files.createTempDirectory("aurora-" + binaryName + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp dir for " + name, e);
        }
        ServerProcess server = new ServerProcess(name, binary, dir, launcher, readiness);
        try {
            server.startOnFreePorts(portCount);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void startOnFreePorts(int portCount) {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            ports = freePorts(portCount);
            try {
                launch();
                return;
            } catch (IllegalStateException e) {
                if (!outputOfThisRun().toLowerCase(Locale.ROOT).contains("address already in use")) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /** (Re)starts the process on the ports and in the dir it already has, and waits until it answers. */
    synchronized void launch() {
        if (isRunning()) {
            throw new IllegalStateException(name + " is already running on ports " + Arrays.toString(ports));
        }
        try {
            List<String> command = new ArrayList<>();
            command.add(binary.toString());
            command.addAll(launcher.command(dir, ports));
            logOffset = Files.exists(log) ? Files.size(log) : 0;
            Files.writeString(
                    log,
                    "----- fixture: starting " + String.join(" ", command) + System.lineSeparator(),
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw failure("could not be launched", e);
        }
        awaitAnswering();
    }

    private void awaitAnswering() {
        Process p = process;
        try {
            await(String.format(Locale.ROOT, "%s answering on ports %s", name, Arrays.toString(ports)))
                    .atMost(START_DEADLINE)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(25))
                    .ignoreExceptions()
                    .failFast(name + " exited", () -> !p.isAlive())
                    .until(() -> readiness.answers(ports, outputOfThisRun()));
        } catch (TerminalFailureException e) {
            waitFor(p, Duration.ofSeconds(2));
            throw failure("exited during start-up (exit code " + exitCode(p) + ")", null);
        } catch (ConditionTimeoutException e) {
            p.destroyForcibly();
            throw failure("did not answer within " + START_DEADLINE, e);
        }
    }

    /** SIGKILL: no shutdown work, as on a power cut or OOM kill. */
    synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(process, STOP_GRACE);
        }
    }

    /** SIGTERM, then SIGKILL if it has not exited within the grace period. */
    synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitFor(process, STOP_GRACE)) {
                kill();
            }
        }
    }

    /**
     * SIGSTOP: the process keeps its sockets open but answers nothing, like a hung server or a
     * link that silently drops traffic. {@link #thaw()} lets it go on.
     */
    synchronized void freeze() {
        signal("-STOP");
    }

    synchronized void thaw() {
        signal("-CONT");
    }

    private void signal(String signal) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid()))
                    .inheritIO()
                    .start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot signal " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops (if running) and starts again on the same ports with the same data dir. */
    synchronized void restart() {
        stop();
        launch();
    }

    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    int port(int index) {
        return ports[index];
    }

    Path dir() {
        return dir;
    }

    Path log() {
        return log;
    }

    /** Kills the process and deletes its temp dir. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        kill();
        deleteRecursively(dir);
    }

    /** The last lines of the server's output, for failure messages. */
    String logTail() {
        try {
            if (!Files.exists(log)) {
                return "(no output)";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(
                    System.lineSeparator(), lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private String outputOfThisRun() {
        try {
            byte[] all = Files.readAllBytes(log);
            int from = (int) Math.min(logOffset, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private IllegalStateException failure(String what, Throwable cause) {
        String message = String.format(
                Locale.ROOT,
                "%s %s (ports %s, dir %s). Last output of %s:%n%s",
                name,
                what,
                Arrays.toString(ports),
                dir,
                log,
                logTail());
        return new IllegalStateException(message, cause);
    }

    static Path requireBinary(String binaryName) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin:/sbin";
        for (String entry : path.split(":")) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, binaryName);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(binaryName + " is not installed (searched PATH, /usr/sbin). "
                + "Run `make test`, which installs it (Debian package "
                + (binaryName.startsWith("redis") ? "redis-server" : "nats-server") + ").");
    }

    private static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot probe a free loopback port", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // probe socket only
                }
            }
        }
    }

    private static boolean waitFor(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String exitCode(Process p) {
        return p.isAlive() ? "none yet" : String.valueOf(p.exitValue());
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
