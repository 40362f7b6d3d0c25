package aurora.edge.gateway.soc;

import aurora.edge.gateway.config.GatewayConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The command stream on the site's Redis, read as a consumer group of its own per gateway (every
 * gateway of a site sees every command and carries out those for its devices). Entries are
 * acknowledged only after they are stored, so a crash in between re-reads them: the pending ones
 * are read first at every (re)connect. The only class here that speaks Redis.
 */
final class SiteBus implements AutoCloseable {
    private static final Duration BLOCK = Duration.ofSeconds(1);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    /** One entry: its stream id, the command bytes as signed, and the signature (null when absent). */
    record Entry(String id, byte[] data, byte[] signature) {}

    private final RedisClient client;
    private final GatewayConfig.Commands settings;
    private final String group;
    private final String consumer;
    /** Blocking reads and acks, on the reader thread only. */
    private @Nullable StatefulRedisConnection<String, byte[]> readConnection;
    /** Results, on the command thread only. */
    private @Nullable StatefulRedisConnection<String, byte[]> writeConnection;

    private boolean pendingRead;

    SiteBus(GatewayConfig.Redis redis, GatewayConfig.Commands settings, String gatewayId) {
        this.settings = settings;
        this.group = settings.group().isEmpty() ? "aurora-edge-" + gatewayId : settings.group();
        this.consumer = gatewayId;
        RedisURI uri = RedisURI.create(redis.url());
        uri.setTimeout(redis.timeout().plus(BLOCK));
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder().autoReconnect(false).build());
    }

    String group() {
        return group;
    }

    /** The next entries: first those read before and never acknowledged, then new ones (waits up to a second). */
    @SuppressWarnings(
            "unchecked") // lettuce's xreadgroup takes StreamOffset<K>... ; the one-element array is javac's, never
    // stored
    List<Entry> read() {
        RedisCommands<String, byte[]> redis = reader();
        XReadArgs args = XReadArgs.Builder.count(50);
        if (!pendingRead) {
            List<StreamMessage<String, byte[]>> pending = redis.xreadgroup(
                    Consumer.from(group, consumer), args, XReadArgs.StreamOffset.from(settings.stream(), "0"));
            if (!pending.isEmpty()) {
                return entries(pending);
            }
            pendingRead = true;
        }
        return entries(redis.xreadgroup(
                Consumer.from(group, consumer),
                args.block(BLOCK),
                XReadArgs.StreamOffset.lastConsumed(settings.stream())));
    }

    void ack(String entryId) {
        reader().xack(settings.stream(), group, entryId);
    }

    /** Appends one outcome to the results stream. */
    void publishResult(String id, Map<String, String> fields) {
        Map<String, byte[]> body = new LinkedHashMap<>();
        body.put("id", id.getBytes(StandardCharsets.UTF_8));
        fields.forEach((k, v) -> body.put(k, v.getBytes(StandardCharsets.UTF_8)));
        try {
            writer().xadd(
                            settings.resultsStream(),
                            XAddArgs.Builder.maxlen(settings.resultsMaxLen()).approximateTrimming(),
                            body);
        } catch (RuntimeException e) {
            if (writeConnection != null) {
                writeConnection.closeAsync();
                writeConnection = null;
            }
            throw e;
        }
    }

    /** Drops the reading connection after a failure; the next read connects again and re-reads what is pending. */
    void reset() {
        if (readConnection != null) {
            readConnection.closeAsync();
            readConnection = null;
        }
        pendingRead = false;
    }

    private RedisCommands<String, byte[]> reader() {
        StatefulRedisConnection<String, byte[]> c = readConnection;
        if (c == null) {
            c = client.connect(CODEC);
            readConnection = c;
            try {
                // From "$": commands issued before this gateway joined the site are not for it.
                c.sync()
                        .xgroupCreate(
                                XReadArgs.StreamOffset.from(settings.stream(), "$"),
                                group,
                                XGroupCreateArgs.Builder.mkstream());
            } catch (RedisBusyException e) {
                // BUSYGROUP: the group exists, its position is kept.
            }
        }
        return c.sync();
    }

    private RedisCommands<String, byte[]> writer() {
        StatefulRedisConnection<String, byte[]> c = writeConnection;
        if (c == null) {
            c = client.connect(CODEC);
            writeConnection = c;
        }
        return c.sync();
    }

    private static List<Entry> entries(List<StreamMessage<String, byte[]>> messages) {
        return messages.stream()
                .map(m -> {
                    Map<String, byte[]> body = m.getBody();
                    return new Entry(m.getId(), body.getOrDefault("data", new byte[0]), decode(body.get("signature")));
                })
                .toList();
    }

    /** Empty when the entry has no signature field (refused as unsigned, as an empty one is). */
    private static byte[] decode(byte @Nullable [] base64) {
        if (base64 == null) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return base64; // present but not base64: it will not verify, and is refused as an invalid signature
        }
    }

    @Override
    public void close() {
        reset();
        if (writeConnection != null) {
            writeConnection.closeAsync();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
