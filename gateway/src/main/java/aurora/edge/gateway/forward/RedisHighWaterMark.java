package aurora.edge.gateway.forward;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.outbox.IsoInstant;
import aurora.edge.gateway.outbox.OutboxRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The effectively-once XADD: a Lua script that, atomically, skips every record whose outbox seq is at
 * or below the high-water mark kept for (gateway, outbox epoch, stream), appends the others with
 * {@code MAXLEN ~} and raises the marks. Because a sink drains in outbox order, one number per
 * stream is enough, whatever the outage length.
 *
 * <p>One call carries a whole chunk of records (one mark read per stream, then one XADD per record),
 * so a batch costs a few round trips and script invocations instead of one per record. A record
 * Redis rejects stops the call: the marks are raised to what was appended before it, in the same
 * script run, so they always equal what the streams hold.
 *
 * <p>The script also refuses a record whose predecessor in the same batch and stream is not in the
 * stream yet ({@code AURORA_GAP}): when the chunks of a batch are pipelined and one fails, the
 * chunks after it cannot raise a mark past the failed record, so the retried batch writes it.
 */
final class RedisHighWaterMark {
    /** Hash holding every mark; field {@code <gatewayId>|<epoch>|<stream>}, value the last seq written. */
    static final String HASH_KEY = "aurora:forward:hwm";

    /** Values per record in a call, after the header (see {@link #SCRIPT}). */
    static final int PER_RECORD = 9;

    // KEYS[1] mark hash, KEYS[2..1+k] the streams of this call
    // ARGV[1] approximate MAXLEN, ARGV[2..1+k] the mark field of each stream (same order as KEYS[2..]),
    // then per record: stream number (1..k), seq, seq of the previous record of this stream in this batch
    // (0: none), id, timestamp, data, severity, source, category.
    // Marks are kept and stored as the decimal text of the seq: Lua numbers print as 1e+14 once large.
    // Returns how many records were appended (the others were at or below their mark).
    static final String SCRIPT = """
            local k = #KEYS - 1
            local marks, markText, raised = {}, {}, {}
            for s = 1, k do
              markText[s] = redis.call('HGET', KEYS[1], ARGV[1 + s]) or '0'
              marks[s] = tonumber(markText[s])
            end
            local function save()
              for s = 1, k do
                if raised[s] then redis.call('HSET', KEYS[1], ARGV[1 + s], markText[s]) end
              end
            end
            local written = 0
            for i = 2 + k, #ARGV, 9 do
              local s = tonumber(ARGV[i])
              local seq = tonumber(ARGV[i + 1])
              if seq > marks[s] then
                if tonumber(ARGV[i + 2]) > marks[s] then
                  save()
                  return redis.error_reply('AURORA_GAP record ' .. ARGV[i + 2] .. ' of this batch is not in '
                    .. KEYS[1 + s] .. ' stream=' .. KEYS[1 + s] .. ' seq=' .. ARGV[i + 1])
                end
                local r = redis.pcall('XADD', KEYS[1 + s], 'MAXLEN', '~', ARGV[1], '*',
                  'id', ARGV[i + 3], 'timestamp', ARGV[i + 4], 'data', ARGV[i + 5],
                  'severity', ARGV[i + 6], 'source', ARGV[i + 7], 'category', ARGV[i + 8])
                if type(r) == 'table' and r.err then
                  save()
                  return redis.error_reply('AURORA_REJECTED stream=' .. KEYS[1 + s] .. ' seq=' .. ARGV[i + 1]
                    .. ' error=' .. r.err)
                end
                marks[s], markText[s], raised[s] = seq, ARGV[i + 1], true
                written = written + 1
              end
            end
            save()
            return written
            """;

    static final String SHA = sha1Hex(SCRIPT);

    private static final byte[] HASH_KEY_BYTES = bytes(HASH_KEY);
    /** The stream numbers a call can use, and 0 for "no previous record of this stream in the batch". */
    private static final byte[][] NUMBERS = {bytes("0"), bytes("1"), bytes("2"), bytes("3")};

    /**
     * One EVALSHA call, ready to issue.
     *
     * @param records how many records it carries (the script answers how many it appended)
     * @param firstSeq the seq of its first record, for error messages
     * @param lastSeq the seq of its last record, for error messages
     */
    record Call(int records, long firstSeq, long lastSeq, byte[][] keys, byte[][] args) {}

    private final RedisStreamSink.Settings settings;
    private final byte[] maxLen;
    private final String[] streams;
    private final byte[][] streamKeys;
    private final byte[][] markFields;

    RedisHighWaterMark(RedisStreamSink.Settings settings) {
        this.settings = settings;
        this.maxLen = bytes(Long.toString(settings.maxLen()));
        // Streams are numbered in this fixed order; a call lists only the ones it uses.
        this.streams = new String[] {settings.telemetryStream(), settings.alertsStream(), settings.auditStream()};
        this.streamKeys = new byte[streams.length][];
        this.markFields = new byte[streams.length][];
        for (int s = 0; s < streams.length; s++) {
            streamKeys[s] = bytes(streams[s]);
            markFields[s] = bytes(markField(streams[s]));
        }
    }

    /**
     * The calls for the records this sink forwards, in batch order, at most {@code chunk} records each;
     * attestation is not forwarded, so a batch of only attestation makes no call.
     */
    List<Call> calls(List<OutboxRecord> batch, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, found " + chunk);
        }
        List<Call> calls = new ArrayList<>(batch.size() / chunk + 1);
        long[] previousInBatch = new long[streams.length];
        List<OutboxRecord> pending = new ArrayList<>(Math.min(chunk, batch.size()));
        for (OutboxRecord record : batch) {
            if (streamIndex(record.channel()) >= 0) {
                pending.add(record);
                if (pending.size() == chunk) {
                    calls.add(call(pending, previousInBatch));
                    pending.clear();
                }
            }
        }
        if (!pending.isEmpty()) {
            calls.add(call(pending, previousInBatch));
        }
        return calls;
    }

    /** The hash field of a stream's mark for this gateway and outbox epoch. */
    String markField(String stream) {
        return settings.gatewayId() + "|" + settings.outboxEpoch() + "|" + stream;
    }

    private static int streamIndex(Channel channel) {
        return switch (channel) {
            case TELEMETRY -> 0;
            case ALERT -> 1;
            case AUDIT, HELD -> 2;
            case ATTESTATION -> -1;
        };
    }

    private Call call(List<OutboxRecord> records, long[] previousInBatch) {
        // number the streams this call uses 1..k, in first-use order
        int[] numberOf = new int[streams.length];
        int used = 0;
        for (OutboxRecord r : records) {
            int s = streamIndex(r.channel());
            if (numberOf[s] == 0) {
                numberOf[s] = ++used;
            }
        }
        byte[][] keys = new byte[1 + used][];
        byte[][] args = new byte[1 + used + PER_RECORD * records.size()][];
        keys[0] = HASH_KEY_BYTES;
        args[0] = maxLen;
        for (int s = 0; s < streams.length; s++) {
            if (numberOf[s] > 0) {
                keys[numberOf[s]] = streamKeys[s];
                args[numberOf[s]] = markFields[s];
            }
        }
        int a = 1 + used;
        for (OutboxRecord r : records) {
            int s = streamIndex(r.channel());
            FlatFields flat = FlatFields.of(r);
            args[a++] = NUMBERS[numberOf[s]];
            args[a++] = bytes(Long.toString(r.seq()));
            args[a++] = previousInBatch[s] == 0 ? NUMBERS[0] : bytes(Long.toString(previousInBatch[s]));
            args[a++] = bytes(r.messageId());
            args[a++] = IsoInstant.bytes(r.acceptedAt()); // = ISO_INSTANT, without its formatter per entry
            args[a++] = r.event();
            args[a++] = bytes(flat.severity());
            args[a++] = bytes(flat.source());
            args[a++] = bytes(flat.category());
            previousInBatch[s] = r.seq();
        }
        return new Call(
                records.size(),
                records.get(0).seq(),
                records.get(records.size() - 1).seq(),
                keys,
                args);
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
