package aurora.edge.gateway.broker;

import aurora.edge.gateway.command.CommandSender;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.intake.Intake;
import aurora.edge.gateway.intake.RateLimiter;
import aurora.edge.gateway.audit.RejectionReporter;
import io.moquette.broker.RoutingResults;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Moquette 0.17 broker, and the only class that speaks Moquette's string config.
 * Telemetry (phone-home) off, anonymous access off, Moquette's own persistence off (the outbox is
 * the only durable buffer), message size and session queues bounded.
 */
public final class EmbeddedBroker implements AutoCloseable, CommandSender {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
    /** The client id the gateway's own publications (acks, commands) are attributed to. */
    private static final String GATEWAY_CLIENT = "aurora-gateway";

    private final Server server = new Server();
    private volatile boolean running;
    private final int boundPort;

    /** Starts the broker; with {@code mqtt.port = 0} it binds a free port, see {@link #port()}. */
    /**
     * @param sessions  kept up to date with which device listens on which topics
     * @param listening told when a device subscribed (something queued for it may go out now)
     */
    public EmbeddedBroker(GatewayConfig.Mqtt config, Path dataDir, DeviceCredentials credentials, Intake intake,
                          RejectionReporter rejections, DeviceSessions sessions, Consumer<String> listening, Clock clock,
                          MeterRegistry registry) throws IOException {
        PublishListener listener = new PublishListener(intake, clock);
        DeviceAuthenticator authenticator = new DeviceAuthenticator(credentials, rejections,
                new RateLimiter(config.maxConnectsPerMinute() / 60.0, config.maxConnectsPerMinute(), System::nanoTime));
        boundPort = config.port() != 0 ? config.port() : freePort(config.host());
        server.startServer(new MemoryConfig(properties(config, dataDir, boundPort)), List.of(listener, new SessionListener(sessions, listening)), null, authenticator,
                new TopicPolicy(rejections));
        running = true;
        try {
            guard(config.strangers(), config.sessionQueueSize(), rejections, registry);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        if (!listening(config.host(), boundPort)) {
            close();
            throw new IOException("mqtt broker is not listening on " + config.host() + ":" + boundPort + " (port taken?)");
        }
        log.info("mqtt broker listening host={} port={} max_message_bytes={}", config.host(), boundPort, config.maxMessageBytes());
    }

    /**
     * Puts the gateway's gates in front of Moquette on every connection (see {@link FrameGate},
     * {@link PacketGate}). Until this returns, connections are refused by the authenticator.
     */
    private void guard(GatewayConfig.Strangers limits, int sessionQueueSize, RejectionReporter rejections, MeterRegistry registry) {
        ConnectionLimits connections = new ConnectionLimits(limits.maxConnections(), limits.maxPendingPerAddress(), registry);
        BrokerBacklog backlog = new BrokerBacklog(MoquetteInternals.interceptorQueue(server), MoquetteInternals.sessionQueues(server),
                limits.maxInterceptorBacklog(), sessionQueueSize, registry);
        MoquetteInternals.installFrontHandler(server, new GateInstaller(
                () -> new FrameGate(connections, limits.connectTimeout(), limits.maxConnectBytes()),
                () -> new PacketGate(connections, backlog, rejections)));
    }

    private static Properties properties(GatewayConfig.Mqtt config, Path dataDir, int port) {
        Properties p = new Properties();
        p.setProperty("host", config.host());
        p.setProperty("port", String.valueOf(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("allow_anonymous", "false");
        p.setProperty("allow_zero_byte_client_id", "false");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("data_path", dataDir.resolve("broker").toAbsolutePath().toString());
        p.setProperty("netty.mqtt.message_size", String.valueOf(config.maxMessageBytes()));
        p.setProperty("session_queue_size", String.valueOf(config.sessionQueueSize()));
        // Sessions of devices that never come back are dropped; Moquette 0.17 overflows above ~24 days.
        p.setProperty("persistent_client_expiration", "14d");
        p.setProperty("intercept.thread_pool.size", "1");
        return p;
    }

    /**
     * For {@code mqtt.port = 0} the port is chosen here, not read back from Moquette: 0.17 records
     * the bound port in a plain HashMap from a Netty thread, and reading it early races that write
     * (it was seen to stay 0, or to throw ConcurrentModificationException).
     */
    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        }
    }

    /** Moquette logs a failed bind instead of throwing; a TCP connect tells whether it listens. */
    private static boolean listening(String host, int port) {
        String target = "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(target, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The port the broker listens on (chosen at start when the configured one was 0). */
    public int port() {
        return boundPort;
    }

    public int connectedClients() {
        return running ? server.listConnectedClients().size() : 0;
    }

    /**
     * Publishes a QoS 1 message from the gateway itself; persistent sessions of sleeping devices
     * queue it. Returns false when a subscriber's session queue was full (the caller may retry).
     */
    @Override
    public boolean publish(String topic, byte[] payload) {
        if (!running) {
            return false;
        }
        MqttPublishMessage msg = MqttMessageBuilders.publish()
                .topicName(topic)
                .qos(MqttQoS.AT_LEAST_ONCE)
                .retained(false)
                .messageId(1)
                .payload(Unpooled.wrappedBuffer(payload))
                .build();
        RoutingResults results = server.internalPublish(msg, GATEWAY_CLIENT);
        return results.isAllSuccess();
    }

    public void disconnect(String clientId) {
        if (running) {
            server.disconnectClient(clientId);
        }
    }

    /** Stops accepting connections; queued interceptor work (up to Moquette's 10 s) completes first. */
    @Override
    public void close() {
        if (running) {
            running = false;
            server.stopServer();
            log.info("mqtt broker stopped");
        }
    }
}
