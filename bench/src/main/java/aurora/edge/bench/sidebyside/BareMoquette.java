package aurora.edge.bench.sidebyside;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.InterceptHandler;
import io.moquette.interception.messages.InterceptPublishMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * The side-by-side bench's baseline: embedded Moquette 0.17 with the gateway's broker settings
 * (the properties {@code EmbeddedBroker} sets, copied here: that class keeps them private) and one
 * interceptor that counts and releases each PUBLISH, nothing else: no gates, no intake, no outbox.
 * Every CONNECT is accepted. Runs in its own JVM; prints the count when it is stopped.
 *
 * <p>Usage: {@code BareMoquette <port> <dataDir>}
 */
public final class BareMoquette {
    private BareMoquette() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path data = Path.of(args[1]);
        Files.createDirectories(data);
        LongAdder published = new LongAdder();
        InterceptHandler counter = new AbstractInterceptHandler() {
            @Override
            public String getID() {
                return "bench-counter";
            }

            @Override
            public void onPublish(InterceptPublishMessage msg) {
                published.increment();
                msg.getPayload().release();
            }

            @Override
            public void onSessionLoopError(Throwable error) {
                System.err.println("session loop error " + error);
            }
        };
        IAuthenticator acceptAll = (clientId, username, password) -> true;
        Server server = new Server();
        server.startServer(new MemoryConfig(properties(port, data)), List.of(counter), null, acceptAll, null);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stopServer();
            System.out.println("published " + published.sum());
            System.out.flush();
            stopped.countDown();
        }));
        System.out.println("READY port=" + port);
        System.out.flush();
        stopped.await();
    }

    /** What {@code aurora.edge.gateway.broker.EmbeddedBroker#properties} sets with the default config. */
    static Properties properties(int port, Path data) {
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", String.valueOf(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("allow_anonymous", "false");
        p.setProperty("allow_zero_byte_client_id", "false");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("data_path", data.resolve("broker").toAbsolutePath().toString());
        p.setProperty("netty.mqtt.message_size", "65536");
        p.setProperty("session_queue_size", "16384");
        p.setProperty("persistent_client_expiration", "14d");
        p.setProperty("intercept.thread_pool.size", "1");
        return p;
    }
}
