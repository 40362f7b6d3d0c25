package aurora.edge.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** A broker-less connection that acknowledges every sequenced message right away, as a healthy gateway would. */
final class LoopbackConnection implements DeviceConnection {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DeviceCredentials credentials;
    private final Events events;
    private final Executor executor;
    private volatile boolean connected;

    LoopbackConnection(DeviceCredentials credentials, Events events, Executor executor) {
        this.credentials = credentials;
        this.events = events;
        this.executor = executor;
    }

    @Override
    public CompletableFuture<Boolean> connect() {
        connected = true;
        return CompletableFuture.completedFuture(false);
    }

    @Override
    public CompletableFuture<Void> subscribe(List<String> topics) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload) {
        if (!connected) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        }
        try {
            JsonNode node = JSON.readTree(payload);
            if (node.has("seq") && node.has("boot")) {
                byte[] ack = ("{\"boot\":" + node.get("boot").asLong() + ",\"seq\":"
                                + node.get("seq").asLong() + "}")
                        .getBytes(StandardCharsets.UTF_8);
                executor.execute(() -> events.messageArrived(WireFormat.ackTopic(credentials.deviceId()), ack));
            }
        } catch (IOException e) {
            // not ours to acknowledge
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void publishAtMostOnce(String topic, byte[] payload) {}

    @Override
    public CompletableFuture<Void> disconnect() {
        connected = false;
        return CompletableFuture.completedFuture(null);
    }
}
