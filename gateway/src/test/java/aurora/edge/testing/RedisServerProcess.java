package aurora.edge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian's) as a child process on a fixture-chosen loopback port, in
 * its own temp dir. {@link #restart()} keeps the port and the dir, so a client reconnects to the same
 * {@link #url()}; whether data survives depends on {@link Persistence}.
 *
 * <pre>{@code
 * try (var redis = RedisServerProcess.start()) {
 *     redis.kill();      // SIGKILL
 *     redis.restart();   // same port, empty again (no persistence)
 * }
 * }</pre>
 */
public final class RedisServerProcess implements AutoCloseable {

    /** What survives a restart. */
    public enum Persistence {
        /** {@code --save "" --appendonly no}: every restart starts empty (a lost Redis). */
        NONE,
        /** {@code --appendonly yes --appendfsync always}: every write survives kill and restart. */
        AOF
    }

    private final ServerProcess server;

    private RedisServerProcess(ServerProcess server) {
        this.server = server;
    }

    /** Starts a Redis without persistence. */
    public static RedisServerProcess start() {
        return start(Persistence.NONE);
    }

    public static RedisServerProcess start(Persistence persistence) {
        return new RedisServerProcess(ServerProcess.start(
                "redis-server",
                "redis-server",
                1,
                (dir, ports) -> command(dir, ports[0], persistence),
                (ports, output) -> ping(ports[0])));
    }

    private static List<String> command(Path dir, int port, Persistence persistence) {
        List<String> args = new ArrayList<>(List.of(
                "--port", String.valueOf(port),
                "--bind", "127.0.0.1",
                "--dir", dir.toString(),
                "--daemonize", "no",
                "--logfile", "",
                "--save", ""));
        if (persistence == Persistence.AOF) {
            args.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        } else {
            args.addAll(List.of("--appendonly", "no"));
        }
        return args;
    }

    /** {@code redis://127.0.0.1:<port>} */
    public String url() {
        return "redis://127.0.0.1:" + port();
    }

    public int port() {
        return server.port(0);
    }

    /** The server's temp dir (also its {@code --dir}); its output is in {@code server.log} there. */
    public Path dir() {
        return server.dir();
    }

    /** SIGKILL and wait for the exit. */
    public void kill() {
        server.kill();
    }

    /** SIGTERM (Redis shuts down cleanly) and wait for the exit. */
    public void stop() {
        server.stop();
    }

    /** Stops if running, then starts on the same port and dir and waits until it answers PING. */
    public void restart() {
        server.restart();
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** SIGSTOP: connections stay open, nothing is answered. */
    public void freeze() {
        server.freeze();
    }

    /** SIGCONT after {@link #freeze()}. */
    public void thaw() {
        server.thaw();
    }

    /** A probe that reads what the server holds (streams, hashes). */
    public RedisProbe probe() {
        return new RedisProbe(url());
    }

    /**
     * Runs Debian's {@code redis-cli} (a client nobody here wrote) against this server, in raw
     * output mode, and returns its standard output.
     */
    public String cli(String... args) {
        List<String> command = new ArrayList<>(List.of(
                ServerProcess.requireBinary("redis-cli").toString(),
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(port()),
                "--raw"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(
                        "redis-cli " + String.join(" ", args) + " failed: " + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run redis-cli", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running redis-cli", e);
        }
    }

    /** Kills the server and deletes its temp dir. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "redis-server " + url() + " dir=" + dir();
    }

    /** True once the server answers {@code PING} with {@code +PONG} (not {@code -LOADING}). */
    private static boolean ping(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[64];
            int n = in.read(reply);
            return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        }
    }
}
