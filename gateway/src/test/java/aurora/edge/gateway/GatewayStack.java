package aurora.edge.gateway;

import aurora.edge.testing.NatsServerProcess;
import aurora.edge.testing.RedisProbe;
import aurora.edge.testing.RedisServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The set-up most gateway ITs share, as a JUnit extension: before each test a real
 * {@code redis-server} and {@code nats-server} (child processes on free ports) and an in-process
 * {@link TestGateway} on them in a fresh directory; after it, whatever the test handed to
 * {@link #closeAfter}, then the gateway, NATS and Redis, in that order.
 *
 * <pre>{@code @RegisterExtension final GatewayStack stack = GatewayStack.with(Map.of("AURORA_…", "…"));}</pre>
 */
public final class GatewayStack implements BeforeEachCallback, AfterEachCallback {
    private final Map<String, String> settings;
    private final RedisServerProcess.Persistence persistence;
    private final Deque<AutoCloseable> closeFirst = new ArrayDeque<>();
    private Path dir;
    private RedisServerProcess redis;
    private NatsServerProcess nats;
    private TestGateway gateway;
    private RedisProbe redisProbe;

    private GatewayStack(Map<String, String> settings, RedisServerProcess.Persistence persistence) {
        this.settings = Map.copyOf(settings);
        this.persistence = persistence;
    }

    /** A gateway with these {@code AURORA_*} settings on top of {@link TestGateway}'s. */
    public static GatewayStack with(Map<String, String> settings) {
        return new GatewayStack(settings, RedisServerProcess.Persistence.NONE);
    }

    /** The same stack with a Redis that fsyncs every write to its append-only file (survives its own restarts). */
    public GatewayStack withDurableRedis() {
        return new GatewayStack(settings, RedisServerProcess.Persistence.AOF);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("aurora-it-");
        redis = RedisServerProcess.start(persistence);
        nats = NatsServerProcess.start();
        gateway = new TestGateway(dir.resolve("gw"), redis.url(), nats.url(), settings).start();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        while (!closeFirst.isEmpty()) {
            try {
                closeFirst.pop().close();
            } catch (Exception e) {
                throw new IllegalStateException("closing a test resource failed", e);
            }
        }
        redisProbe = null;
        gateway.close();
        nats.close();
        redis.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Closes {@code resource} after the test, before the gateway and the servers (a fleet, a probe). */
    public <T extends AutoCloseable> T closeAfter(T resource) {
        closeFirst.push(resource);
        return resource;
    }

    public TestGateway gateway() {
        return gateway;
    }

    public RedisServerProcess redis() {
        return redis;
    }

    public NatsServerProcess nats() {
        return nats;
    }

    /** The gateway's data directory. */
    public Path dataDir() {
        return dir.resolve("gw");
    }

    /** A Redis client for assertions, the same one for the whole test, closed after it. */
    public RedisProbe redisProbe() {
        if (redisProbe == null) {
            redisProbe = closeAfter(new RedisProbe(redis.url()));
        }
        return redisProbe;
    }
}
