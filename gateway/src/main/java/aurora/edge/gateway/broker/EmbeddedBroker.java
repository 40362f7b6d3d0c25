package aurora.edge.gateway.broker;

import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.audit.AuditLog;
import aurora.edge.gateway.audit.RejectionReporter;
import aurora.edge.gateway.command.CommandSender;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.intake.Intake;
import aurora.edge.gateway.intake.RateLimiter;
import aurora.edge.gateway.tls.RevokedDeviceWatch;
import aurora.edge.gateway.tls.RevokedDevices;
import aurora.edge.gateway.tls.ServerTls;
import io.micrometer.core.instrument.MeterRegistry;
import io.moquette.broker.ISslContextCreator;
import io.moquette.broker.RoutingResults;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
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
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Moquette 0.17 broker, and the only class that speaks Moquette's string config.
 * Telemetry (phone-home) off, anonymous access off, Moquette's own persistence off (the outbox is
 * the only durable buffer), message size and session queues bounded. Listens on the plaintext port
 * ({@code mqtt.port}, unless -1) and on the TLS port ({@code mqtt.tls_port}, when a server
 * certificate is configured; see {@link ServerTls}).
 */
public final class EmbeddedBroker implements AutoCloseable, CommandSender {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
    /** The client id the gateway's own publications (acks, commands) are attributed to. */
    private static final String GATEWAY_CLIENT = "aurora-gateway";

    private final Server server = new Server();
    private volatile boolean running;
    private final int boundPort;
    private final int boundTlsPort;
    private final @Nullable ServerTls tls;
    private final TlsSessions tlsSessions;
    private final RevokedDeviceWatch revokedList;

    /**
     * Starts the broker; with {@code mqtt.port = 0} (or {@code mqtt.tls_port = 0}) it binds a free port, see {@link #port()}.
     *
     * @param sessions  kept up to date with which device listens on which topics
     * @param listening told when a device subscribed (something queued for it may go out now)
     */
    public EmbeddedBroker(
            GatewayConfig.Mqtt config,
            Path dataDir,
            DeviceCredentials credentials,
            Intake intake,
            RejectionReporter rejections,
            AuditLog audit,
            DeviceSessions sessions,
            Consumer<String> listening,
            RevokedDeviceWatch revokedList,
            Clock clock,
            MeterRegistry registry)
            throws IOException {
        this.revokedList = revokedList;
        PublishListener listener = new PublishListener(intake, clock);
        tls = config.tls().enabled() ? ServerTls.start(config.tls(), RevokedDevices.file(dataDir)) : null;
        tlsSessions = new TlsSessions(tls, audit);
        DeviceAuthenticator authenticator = new DeviceAuthenticator(
                credentials,
                rejections,
                new RateLimiter(config.maxConnectsPerMinute() / 60.0, config.maxConnectsPerMinute(), System::nanoTime),
                this::deviceRevoked);
        boundPort =
                !config.plaintext() ? GatewayConfig.OFF : config.port() != 0 ? config.port() : freePort(config.host());
        boundTlsPort = tls == null
                ? GatewayConfig.OFF
                : config.tls().port() != 0 ? config.tls().port() : freePort(config.host());
        ISslContextCreator sslContexts = tls == null ? null : tls::sslContext;
        try {
            server.startServer(
                    new MemoryConfig(properties(config, dataDir, boundPort, boundTlsPort)),
                    List.of(listener, new SessionListener(sessions, listening)),
                    sslContexts,
                    authenticator,
                    new TopicPolicy(rejections, intake.relays()));
        } catch (IOException | RuntimeException e) {
            closeTls();
            throw e;
        }
        running = true;
        try {
            guard(config, rejections, registry, config.pubackAfterCommit() ? intake : null, clock);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        for (int port : new int[] {boundPort, boundTlsPort}) {
            if (port != GatewayConfig.OFF && !listening(config.host(), port)) {
                close();
                throw new IOException(
                        "mqtt broker is not listening on " + config.host() + ":" + port + " (port taken?)");
            }
        }
        if (tls != null) {
            tls.onReload(reload -> revoked(reload, audit));
        } else {
            // Without the TLS listener nothing else watches the list: devices with passwords are cut off here.
            revokedList.onNewlyRevoked(ids -> ids.forEach(id -> cutOff(id, revokedList.revokedBy(id), audit)));
        }
        log.info(
                "mqtt broker listening host={} port={} tls_port={} max_message_bytes={} puback_after_commit={}",
                config.host(),
                boundPort,
                boundTlsPort,
                config.maxMessageBytes(),
                config.pubackAfterCommit());
    }

    /** After a TLS reload: sessions the new trust refuses are closed; a device newly on the revoked-device list is cut off everywhere. */
    private void revoked(ServerTls.Reload reload, AuditLog audit) {
        tlsSessions.recheck();
        reload.newlyRevokedDevices().forEach((deviceId, operator) -> cutOff(deviceId, operator, audit));
    }

    /** A device newly on the revoked-device list: its session is closed now and every later CONNECT refused. */
    private void cutOff(String deviceId, String operator, AuditLog audit) {
        disconnect(deviceId);
        audit.record(
                AuditCode.DEVICE_CERT_REVOKED,
                deviceId,
                "device revoked: refused on every listener",
                Map.of("action", "device_revoked", "source", "revoked-device list", "operator", operator));
    }

    /**
     * Puts the gateway's gates in front of Moquette on every connection (see {@link FrameGate},
     * {@link PacketGate}, and with {@code mqtt.puback_after_commit} {@link DurablePublishes}).
     * Until this returns, connections are refused by the authenticator.
     */
    private void guard(
            GatewayConfig.Mqtt config,
            RejectionReporter rejections,
            MeterRegistry registry,
            @Nullable Intake pubackAfterCommit,
            Clock clock) {
        GatewayConfig.Strangers limits = config.strangers();
        ConnectionLimits connections =
                new ConnectionLimits(limits.maxConnections(), limits.maxPendingPerAddress(), registry);
        BrokerBacklog backlog = new BrokerBacklog(
                MoquetteInternals.interceptorQueue(server),
                MoquetteInternals.sessionQueues(server),
                limits.maxInterceptorBacklog(),
                config.sessionQueueSize(),
                registry);
        DurablePublishes durable = pubackAfterCommit == null
                ? null
                : new DurablePublishes(
                        pubackAfterCommit, clock, MoquetteInternals.interceptorThread(server), connections);
        MoquetteInternals.installFrontHandler(
                server,
                new GateInstaller(
                        () -> new FrameGate(connections, limits.connectTimeout(), limits.maxConnectBytes(), rejections),
                        () -> new PacketGate(connections, backlog, rejections, tlsSessions, durable),
                        () -> new ConnackGate(MoquetteInternals::moquetteConnected, limits.connectTimeout())));
    }

    private static Properties properties(GatewayConfig.Mqtt config, Path dataDir, int port, int tlsPort) {
        Properties p = new Properties();
        p.setProperty("host", config.host());
        p.setProperty("port", port == GatewayConfig.OFF ? "disabled" : String.valueOf(port));
        if (tlsPort != GatewayConfig.OFF) {
            // Moquette builds the TLS listener's pipeline with our context (ServerTls) and sets need_client_auth on
            // each engine.
            p.setProperty("ssl_port", String.valueOf(tlsPort));
            p.setProperty("need_client_auth", String.valueOf(config.tls().requireClientCert()));
        }
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

    /** The plaintext port the broker listens on (chosen at start when the configured one was 0), -1 when off. */
    public int port() {
        return boundPort;
    }

    /** The TLS port (chosen at start when the configured one was 0), -1 when there is no TLS listener. */
    public int tlsPort() {
        return boundTlsPort;
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

    /** Whether {@code deviceId} is revoked (the revoked-device list or the CRL of the TLS listener); refused on every listener. */
    public boolean deviceRevoked(String deviceId) {
        return revokedList.revoked(deviceId) || (tls != null && tls.deviceRevoked(deviceId));
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
        closeTls();
    }

    private void closeTls() {
        if (tls != null) {
            tls.close();
        }
    }
}
