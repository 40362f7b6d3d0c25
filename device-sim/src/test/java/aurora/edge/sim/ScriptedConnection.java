package aurora.edge.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A broker-less {@link DeviceConnection} whose outcomes a test scripts; records what the device did. */
final class ScriptedConnection implements DeviceConnection {
    record Published(String topic, String payload) {
        long seq() {
            int at = payload.indexOf("\"seq\":") + 6;
            return Long.parseLong(payload.substring(at, payload.indexOf(',', at)));
        }
    }

    final DeviceCredentials credentials;
    final Events events;
    private final List<Published> published = new ArrayList<>();
    private final List<List<String>> subscriptions = new ArrayList<>();
    private final ArrayDeque<CompletableFuture<Boolean>> connectOutcomes = new ArrayDeque<>();
    private final ArrayDeque<Throwable> subscribeFailures = new ArrayDeque<>();
    private boolean connected;
    private int connects;
    private int disconnects;

    ScriptedConnection(DeviceCredentials credentials, Events events) {
        this.credentials = credentials;
        this.events = events;
    }

    /** The next CONNECT completes with {@code outcome} (by default: at once, session present false). */
    synchronized void nextConnect(CompletableFuture<Boolean> outcome) {
        connectOutcomes.addLast(outcome);
    }

    synchronized void nextSubscribeFails(Throwable error) {
        subscribeFailures.addLast(error);
    }

    /** The network drops the connection. */
    void drop() {
        synchronized (this) {
            connected = false;
        }
        events.connectionLost(new IOException("connection reset"));
    }

    synchronized List<Published> published() {
        return List.copyOf(published);
    }

    synchronized List<Long> publishedSeqs() {
        return published.stream().map(Published::seq).toList();
    }

    synchronized List<List<String>> subscriptions() {
        return List.copyOf(subscriptions);
    }

    synchronized int connects() {
        return connects;
    }

    synchronized int disconnects() {
        return disconnects;
    }

    @Override
    public synchronized CompletableFuture<Boolean> connect() {
        connects++;
        CompletableFuture<Boolean> outcome =
                connectOutcomes.isEmpty() ? CompletableFuture.completedFuture(false) : connectOutcomes.pollFirst();
        return outcome.whenComplete((sessionPresent, error) -> {
            if (error == null) {
                synchronized (this) {
                    connected = true;
                }
            }
        });
    }

    @Override
    public synchronized CompletableFuture<Void> subscribe(List<String> topics) {
        subscriptions.add(List.copyOf(topics));
        Throwable failure = subscribeFailures.pollFirst();
        return failure == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(failure);
    }

    @Override
    public synchronized CompletableFuture<Void> publish(String topic, byte[] payload) {
        if (!connected) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        }
        published.add(new Published(topic, new String(payload, StandardCharsets.UTF_8)));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized void publishAtMostOnce(String topic, byte[] payload) {
        if (connected) {
            published.add(new Published(topic, new String(payload, StandardCharsets.UTF_8)));
        }
    }

    @Override
    public synchronized CompletableFuture<Void> disconnect() {
        connected = false;
        disconnects++;
        return CompletableFuture.completedFuture(null);
    }
}
