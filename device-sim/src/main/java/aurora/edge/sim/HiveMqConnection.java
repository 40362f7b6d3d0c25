package aurora.edge.sim;

import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscribe;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscription;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import io.reactivex.disposables.Disposable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only class that touches the HiveMQ client (libraries.md §B): an {@link Mqtt3AsyncClient} on the fleet's
 * shared {@link MqttClientExecutorConfig}, no automatic reconnect (the device decides, through the fleet's
 * connect gate), cleanSession=false, and no publish unless connected, so the client's unbounded offline queue
 * stays empty and a publish never blocks waiting for a CONNACK.
 */
final class HiveMqConnection implements DeviceConnection {
    static final int KEEP_ALIVE_SECONDS = 60;
    private static final Logger log = LoggerFactory.getLogger(HiveMqConnection.class);

    private final Mqtt3AsyncClient client;
    private final Executor executor;
    private final AtomicBoolean connected = new AtomicBoolean();
    private final String deviceId;
    /** The current inbound flow; replaced whenever the broker starts a fresh session. */
    private final AtomicReference<Disposable> inbound = new AtomicReference<>();

    private volatile boolean sessionPresent;
    /** Set by {@link #disconnect()}, cleared by {@link #connect()}: a CONNECT still in flight is undone on CONNACK. */
    private volatile boolean disconnectRequested;

    private final Events events;

    HiveMqConnection(
            DeviceCredentials credentials,
            String host,
            int port,
            MqttClientExecutorConfig clientExecutors,
            Executor executor,
            Events events,
            MqttClientSslConfig tls) {
        this.executor = executor;
        MqttClientTransportConfigBuilder transport = MqttClientTransportConfig.builder()
                .serverHost(host)
                .serverPort(port)
                .socketConnectTimeout(5, TimeUnit.SECONDS)
                .mqttConnectTimeout(10, TimeUnit.SECONDS);
        if (tls != null) {
            // inside the transport config: HiveMQ 1.4 drops a client-level sslConfig set after transportConfig
            transport = transport.sslConfig(tls);
        }
        Mqtt3ClientBuilder builder = Mqtt3Client.builder()
                .identifier(credentials.deviceId())
                .executorConfig(clientExecutors)
                .transportConfig(transport.build());
        if (tls == null) { // with TLS the certificate is the credential: no password
            builder = builder.simpleAuth()
                    .username(credentials.username())
                    .password(credentials.password().getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        this.client = builder.addConnectedListener(context -> connected.set(true))
                .addDisconnectedListener(context -> {
                    if (connected.getAndSet(false) && context.getSource() != MqttDisconnectSource.USER) {
                        Throwable cause = context.getCause();
                        dispatch(() -> events.connectionLost(cause));
                    }
                })
                .buildAsync();
        this.deviceId = credentials.deviceId();
        this.events = events;
        replaceInbound();
    }

    /** Builds one per device on a shared client executor config and fleet executor. */
    static Factory factory(String host, int port, MqttClientExecutorConfig clientExecutors, Executor executor) {
        return (credentials, events) ->
                new HiveMqConnection(credentials, host, port, clientExecutors, executor, events, null);
    }

    /**
     * Over TLS, each device with its own certificate from {@code tls}. A device whose certificate cannot be read
     * gets a connection whose every CONNECT fails with the reason (the device retries with backoff, as on a
     * refused CONNECT), so one missing file does not stop the fleet.
     */
    static Factory tlsFactory(
            String host, int port, DeviceTls tls, MqttClientExecutorConfig clientExecutors, Executor executor) {
        return (credentials, events) -> {
            MqttClientSslConfig ssl;
            try {
                ssl = tls.forDevice(credentials.deviceId());
            } catch (java.io.IOException e) {
                return new Unusable(e);
            }
            return new HiveMqConnection(credentials, host, port, clientExecutors, executor, events, ssl);
        };
    }

    /** A device that cannot connect at all (its certificate is missing): every CONNECT fails with why. */
    private record Unusable(Exception why) implements DeviceConnection {
        @Override
        public CompletableFuture<Boolean> connect() {
            return CompletableFuture.failedFuture(why);
        }

        @Override
        public CompletableFuture<Void> subscribe(List<String> topics) {
            return CompletableFuture.failedFuture(why);
        }

        @Override
        public CompletableFuture<Void> publish(String topic, byte[] payload) {
            return CompletableFuture.failedFuture(why);
        }

        @Override
        public void publishAtMostOnce(String topic, byte[] payload) {}

        @Override
        public CompletableFuture<Void> disconnect() {
            return CompletableFuture.completedFuture(null);
        }
    }

    @Override
    public CompletableFuture<Boolean> connect() {
        disconnectRequested = false;
        return client.connectWith()
                .cleanSession(false)
                .keepAlive(KEEP_ALIVE_SECONDS)
                .send()
                .thenApply(connAck -> {
                    if (disconnectRequested) { // closed while connecting (a fleet closed during start-up)
                        disconnect();
                        throw new IllegalStateException("disconnected while connecting");
                    }
                    sessionPresent = connAck.isSessionPresent();
                    return sessionPresent;
                });
    }

    @Override
    public CompletableFuture<Void> subscribe(List<String> topics) {
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("topics must not be empty");
        }
        Disposable current = inbound.get();
        if (!sessionPresent || current == null || current.isDisposed()) {
            replaceInbound(); // a fresh session ended the old flow, or is about to (see replaceInbound)
        }
        Mqtt3Subscribe subscribe = Mqtt3Subscribe.builder()
                .addSubscriptions(topics.stream()
                        .map(topic -> Mqtt3Subscription.builder()
                                .topicFilter(topic)
                                .qos(MqttQos.AT_LEAST_ONCE)
                                .build()))
                .build();
        return client.subscribe(subscribe).thenAccept(subAck -> {
            if (subAck.getReturnCodes().contains(Mqtt3SubAckReturnCode.FAILURE)) {
                throw new IllegalStateException(
                        "broker refused a subscription of " + topics + ": " + subAck.getReturnCodes());
            }
        });
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload) {
        if (!client.getState().isConnected()) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        }
        return client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload)
                .send()
                .thenApply(publish -> null);
    }

    @Override
    public void publishAtMostOnce(String topic, byte[] payload) {
        if (client.getState().isConnected()) {
            client.publishWith()
                    .topic(topic)
                    .qos(MqttQos.AT_MOST_ONCE)
                    .payload(payload)
                    .send();
        }
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        disconnectRequested = true;
        connected.set(false);
        if (!client.getState().isConnectedOrReconnect()) {
            return CompletableFuture.completedFuture(null);
        }
        return client.disconnect().exceptionally(e -> null);
    }

    /**
     * Routes every incoming PUBLISH to the device, on the fleet executor, through one global flow. It is registered
     * before the first CONNECT so that messages queued in a persistent session (commands sent while the device was
     * away) are not dropped with "No publish flow registered". HiveMQ ends every flow when a CONNACK arrives without
     * session present (Moquette in the gateway keeps no sessions across a restart), and that end may be signalled
     * after {@link #connect()} completes. So before subscribing on a fresh session a new flow is registered: the
     * broker holds nothing for a fresh session until we subscribe, so nothing can be missed. The old flow is not
     * disposed here: HiveMQ is ending it, and disposing it first would leave its end signal undeliverable.
     */
    private void replaceInbound() {
        Disposable fresh = client.toRx()
                .publishes(MqttGlobalPublishFilter.ALL)
                .subscribe(
                        publish -> {
                            String topic = publish.getTopic().toString();
                            byte[] payload = publish.getPayloadAsBytes();
                            dispatch(() -> events.messageArrived(topic, payload));
                        },
                        sessionEnded ->
                                log.debug("inbound flow ended device={} cause={}", deviceId, sessionEnded.toString()));
        inbound.set(fresh);
    }

    private void dispatch(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            // the fleet is shutting down; nobody is left to tell
        }
    }
}
