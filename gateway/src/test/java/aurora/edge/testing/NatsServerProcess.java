package aurora.edge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real {@code nats-server} (Debian's 2.9.10) with JetStream as a child process on fixture-chosen
 * loopback ports, with its own temp dir, config file ({@code nats.conf}) and JetStream store
 * ({@code store_dir}). {@link #restart()} keeps the ports and the store, so clients reconnect to
 * the same {@link #url()} and streams survive.
 *
 * <pre>{@code
 * try (var nats = NatsServerProcess.start()) { ... }
 * try (var nats = NatsServerProcess.builder().domain("site1").start()) { ... }
 * }</pre>
 */
public final class NatsServerProcess implements AutoCloseable {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final String READY = "Server is ready";

    private final ServerProcess server;
    private final Builder spec;

    private NatsServerProcess(ServerProcess server, Builder spec) {
        this.server = server;
        this.spec = spec;
    }

    /** A standalone JetStream server without domain and without authentication. */
    public static NatsServerProcess start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What the config file says besides ports and store dir. */
    public static final class Builder {
        private String serverName = "aurora-test-" + NAMES.incrementAndGet();
        private String domain;
        private boolean leafnodeListener;
        private String leafRemoteUrl;
        private String leafRemoteAccount;
        private volatile boolean leafRemoteEnabled = true;
        private String accounts;
        private String user;
        private String password;

        private Builder() {}

        public Builder serverName(String name) {
            this.serverName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The JetStream domain ({@code jetstream { domain: ... }}). */
        public Builder domain(String domain) {
            this.domain = domain;
            return this;
        }

        /** Also listen for leaf node connections on a second fixture-chosen port ({@link #leafnodePort()}). */
        public Builder leafnodeListener() {
            this.leafnodeListener = true;
            return this;
        }

        /** Connect to a hub as a leaf node: {@code url} like {@code nats-leaf://user:pw@127.0.0.1:port}. */
        public Builder leafRemote(String url, String localAccount) {
            this.leafRemoteUrl = Objects.requireNonNull(url, "url");
            this.leafRemoteAccount = Objects.requireNonNull(localAccount, "localAccount");
            return this;
        }

        /** Whether the next (re)start writes the leaf remote into the config (see {@link NatsHubLeaf#cutLink()}). */
        Builder leafRemoteEnabled(boolean enabled) {
            this.leafRemoteEnabled = enabled;
            return this;
        }

        /** Raw config appended to the file, for example an {@code accounts { ... }} block and {@code system_account}. */
        public Builder accounts(String rawConfig) {
            this.accounts = rawConfig;
            return this;
        }

        /** Credentials {@link #url()} carries (needed when {@link #accounts} defines users). */
        public Builder user(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        public NatsServerProcess start() {
            Builder spec = this;
            int portCount = leafnodeListener ? 2 : 1;
            ServerProcess server = ServerProcess.start(
                    "nats-server " + serverName,
                    "nats-server",
                    portCount,
                    (dir, ports) -> {
                        Path conf = dir.resolve("nats.conf");
                        Files.writeString(conf, spec.config(dir, ports), StandardCharsets.UTF_8);
                        return List.of("-c", conf.toString());
                    },
                    (ports, output) -> output.contains(READY) && sendsInfo(ports[0]));
            return new NatsServerProcess(server, spec);
        }

        private String config(Path dir, int[] ports) {
            StringBuilder c = new StringBuilder();
            c.append("server_name: \"").append(serverName).append("\"\n");
            c.append("listen: \"127.0.0.1:").append(ports[0]).append("\"\n");
            c.append("jetstream {\n  store_dir: \"")
                    .append(dir.resolve("jetstream"))
                    .append("\"\n");
            if (domain != null && !domain.isEmpty()) {
                c.append("  domain: \"").append(domain).append("\"\n");
            }
            c.append("}\n");
            boolean remote = leafRemoteUrl != null && leafRemoteEnabled;
            if (leafnodeListener || remote) {
                c.append("leafnodes {\n");
                if (leafnodeListener) {
                    c.append("  listen: \"127.0.0.1:").append(ports[1]).append("\"\n");
                }
                if (remote) {
                    c.append("  remotes: [ { urls: [\"")
                            .append(leafRemoteUrl)
                            .append("\"], account: \"")
                            .append(leafRemoteAccount)
                            .append("\" } ]\n");
                }
                c.append("}\n");
            }
            if (accounts != null) {
                c.append(accounts).append('\n');
            }
            return c.toString();
        }
    }

    /** {@code nats://[user:password@]127.0.0.1:<port>} */
    public String url() {
        String credentials = spec.user == null ? "" : spec.user + ":" + spec.password + "@";
        return "nats://" + credentials + "127.0.0.1:" + port();
    }

    public int port() {
        return server.port(0);
    }

    /** The leaf node listener port; only with {@link Builder#leafnodeListener()}. */
    public int leafnodePort() {
        if (!spec.leafnodeListener) {
            throw new IllegalStateException(spec.serverName + " was started without a leaf node listener");
        }
        return server.port(1);
    }

    public String serverName() {
        return spec.serverName;
    }

    /** The JetStream domain, or null. */
    public String domain() {
        return spec.domain;
    }

    /** The server's temp dir: {@code nats.conf}, {@code server.log} and the {@code jetstream} store. */
    public Path dir() {
        return server.dir();
    }

    public Path storeDir() {
        return server.dir().resolve("jetstream");
    }

    /** SIGKILL and wait for the exit. */
    public void kill() {
        server.kill();
    }

    /** SIGTERM (the server flushes its store) and wait for the exit. */
    public void stop() {
        server.stop();
    }

    /** Stops if running, then starts on the same ports with the same store and waits until it is ready. */
    public void restart() {
        server.restart();
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** A probe on this server's own JetStream. */
    public NatsProbe probe() {
        return new NatsProbe(url(), null);
    }

    /** A probe on the given JetStream domain, reached through this server. */
    public NatsProbe probe(String jetStreamDomain) {
        return new NatsProbe(url(), jetStreamDomain);
    }

    /** Kills the server and deletes its temp dir. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "nats-server " + spec.serverName + " 127.0.0.1:" + port() + " dir=" + dir();
    }

    private static boolean sendsInfo(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(1000);
            InputStream in = socket.getInputStream();
            byte[] info = new byte[4];
            return in.readNBytes(info, 0, 4) == 4 && "INFO".equals(new String(info, StandardCharsets.US_ASCII));
        }
    }
}
