package aurora.edge.testing;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads what a Redis holds, for assertions. Every call opens and closes its own connection, so a
 * probe keeps working across server kills and restarts (a call while the server is down throws;
 * wrap it in Awaitility with {@code ignoreExceptions()}). Close the probe to release its threads.
 */
public final class RedisProbe implements AutoCloseable {
    // Generous: the probe reads whole streams while the gateway, the servers and a fleet share two cores.
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final int PAGE = 10_000;
    private final RedisClient client;

    public RedisProbe(String url) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(TIMEOUT);
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).build())
                .build());
    }

    /** One stream entry: its id and its fields in order. */
    public record Entry(String id, Map<String, String> fields) {}

    /** {@code XLEN} (0 for a missing key). */
    public long xlen(String stream) {
        return call(r -> r.xlen(stream));
    }

    /** Every entry with its fields, oldest first: {@code XRANGE} in pages, so a large stream does not time out. */
    public List<Entry> entries(String stream) {
        return call(r -> {
            List<Entry> all = new java.util.ArrayList<>();
            String from = "-";
            while (true) {
                var page = r.xrange(stream, Range.create(from, "+"), io.lettuce.core.Limit.from(PAGE));
                for (var m : page) {
                    if (!m.getId().equals(from)) {
                        all.add(new Entry(m.getId(), m.getBody()));
                    }
                }
                if (page.size() < PAGE) {
                    return all;
                }
                from = page.get(page.size() - 1).getId();
            }
        });
    }

    /** The entries whose {@code id} field (the gateway's message id) is {@code messageId}: one, when delivery is exactly once. */
    public List<Entry> entriesWithId(String stream, String messageId) {
        return entries(stream).stream()
                .filter(e -> messageId.equals(e.fields().get("id")))
                .toList();
    }

    /** {@code HGETALL}. */
    public Map<String, String> hash(String key) {
        return call(r -> r.hgetall(key));
    }

    /** {@code DEL}. */
    public long delete(String... keys) {
        return call(r -> r.del(keys));
    }

    /** {@code SCRIPT FLUSH}: what a restarted Redis looks like to a client holding a script SHA. */
    public void flushScripts() {
        call(RedisCommands::scriptFlush);
    }

    /** Answers {@code PING} right now. */
    public boolean pings() {
        try {
            return "PONG".equals(call(RedisCommands::ping));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private <T> T call(Function<RedisCommands<String, String>, T> call) {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return call.apply(connection.sync());
        }
    }

    @Override
    public void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
