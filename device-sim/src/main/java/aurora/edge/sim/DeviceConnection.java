package aurora.edge.sim;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A device's MQTT 3.1.1 session, as {@link SimDevice} needs it. {@link HiveMqConnection} is the real one; tests
 * drive the device state machine through a scripted one. Futures may complete on any thread: the device hops to
 * its own executor before acting on them.
 */
interface DeviceConnection {

    /** What the connection tells its device. Delivered on the fleet executor, never on a client thread. */
    interface Events {
        /** An established connection dropped (not reported for a failed CONNECT, nor after {@link #disconnect()}). */
        void connectionLost(Throwable cause);

        /** A message arrived on one of the subscribed topics. */
        void messageArrived(String topic, byte[] payload);
    }

    /** Opens connections; one per device. */
    @FunctionalInterface
    interface Factory {
        DeviceConnection open(DeviceCredentials credentials, Events events);
    }

    /** CONNECT with cleanSession=false; completes with CONNACK's session-present flag, or exceptionally. */
    CompletableFuture<Boolean> connect();

    /** SUBSCRIBE to {@code topics} at QoS 1; completes on a SUBACK granting all of them, else exceptionally. */
    CompletableFuture<Void> subscribe(List<String> topics);

    /**
     * PUBLISH at QoS 1; completes on PUBACK. Fails at once, without queueing or blocking, when not connected.
     */
    CompletableFuture<Void> publish(String topic, byte[] payload);

    /** PUBLISH at QoS 0 if connected (else nothing): fire and forget, never queued. */
    void publishAtMostOnce(String topic, byte[] payload);

    /** DISCONNECT if connected, without a {@link Events#connectionLost} report; {@link #connect()} may follow. */
    CompletableFuture<Void> disconnect();
}
