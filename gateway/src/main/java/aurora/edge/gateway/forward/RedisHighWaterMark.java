package aurora.edge.gateway.forward;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.outbox.OutboxRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The effectively-once XADD: a Lua script that, atomically, skips a record whose outbox seq is at
 * or below the high-water mark kept for (gateway, outbox epoch, stream), otherwise appends it with
 * {@code MAXLEN ~} and raises the mark. Because a sink drains in outbox order, one number per
 * stream is enough, whatever the outage length.
 *
 * <p>The script also refuses a record whose predecessor in the same batch and stream is not in
 * the stream yet ({@code AURORA_GAP}): if a command in the middle of a pipeline failed, the ones
 * after it cannot raise the mark past it, so the retried batch writes it.
 */
final class RedisHighWaterMark {
    /** Hash holding every mark; field {@code <gatewayId>|<epoch>|<stream>}, value the last seq written. */
    static final String HASH_KEY = "aurora:forward:hwm";

    // KEYS[1] stream, KEYS[2] mark hash
    // ARGV[1] mark field, ARGV[2] seq, ARGV[3] seq of the previous record of this stream in this batch (0: none),
    // ARGV[4] approximate MAXLEN, ARGV[5..] entry field/value pairs
    static final String SCRIPT = """
            local hwm = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
            local seq = tonumber(ARGV[2])
            if seq <= hwm then return 0 end
            if tonumber(ARGV[3]) > hwm then
              return redis.error_reply('AURORA_GAP record ' .. ARGV[3] .. ' of this batch is not in ' .. KEYS[1])
            end
            redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], '*', unpack(ARGV, 5))
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
            return 1
            """;

    static final String SHA = sha1Hex(SCRIPT);

    private static final byte[] HASH_KEY_BYTES = bytes(HASH_KEY);

    /** One EVALSHA call, ready to issue. */
    record Call(long seq, String stream, byte[][] keys, byte[][] args) {}

    private final RedisStreamSink.Settings settings;

    RedisHighWaterMark(RedisStreamSink.Settings settings) {
        this.settings = settings;
    }

    /** The calls for the records this sink forwards, in batch order; attestation is not forwarded. */
    List<Call> calls(List<OutboxRecord> batch) {
        List<Call> calls = new ArrayList<>(batch.size());
        Map<String, Long> previousInBatch = new HashMap<>();
        for (OutboxRecord record : batch) {
            String stream = streamFor(record.channel());
            if (stream == null) {
                continue;
            }
            long previous = previousInBatch.getOrDefault(stream, 0L);
            previousInBatch.put(stream, record.seq());
            calls.add(new Call(
                    record.seq(),
                    stream,
                    new byte[][] {bytes(stream), HASH_KEY_BYTES},
                    args(record, stream, previous)));
        }
        return calls;
    }

    /** The hash field of a stream's mark for this gateway and outbox epoch. */
    String markField(String stream) {
        return settings.gatewayId() + "|" + settings.outboxEpoch() + "|" + stream;
    }

    private @Nullable String streamFor(Channel channel) {
        return switch (channel) {
            case TELEMETRY -> settings.telemetryStream();
            case ALERT -> settings.alertsStream();
            case AUDIT, HELD -> settings.auditStream();
            case ATTESTATION -> null;
        };
    }

    private byte[][] args(OutboxRecord record, String stream, long previous) {
        FlatFields flat = FlatFields.of(record);
        return new byte[][] {
            bytes(markField(stream)),
            bytes(Long.toString(record.seq())),
            bytes(Long.toString(previous)),
            bytes(Long.toString(settings.maxLen())),
            bytes("id"),
            bytes(record.messageId()),
            bytes("timestamp"),
            bytes(DateTimeFormatter.ISO_INSTANT.format(record.acceptedAt())),
            bytes("data"),
            record.event(),
            bytes("severity"),
            bytes(flat.severity()),
            bytes("source"),
            bytes(flat.source()),
            bytes("category"),
            bytes(flat.category()),
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String sha1Hex(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes(script)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every JRE", e);
        }
    }
}
