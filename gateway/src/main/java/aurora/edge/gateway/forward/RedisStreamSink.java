package aurora.edge.gateway.forward;

import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.config.RedisSettings;
import aurora.edge.gateway.config.Secrets;
import aurora.edge.gateway.outbox.OutboxRecord;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards outbox records to the site bus: {@code XADD} with approximate {@code MAXLEN} into
 * {@code aurora:cps:alerts}, {@code aurora:cps:telemetry} and {@code aurora:audit}, effectively once
 * through {@link RedisHighWaterMark}. Attestation records are not forwarded.
 *
 * <p>lettuce's buffers are off: commands are rejected while disconnected, the request queue is
 * bounded, written-but-unanswered commands are not replayed after a reconnect, and every command
 * times out. The sink owns one dedicated connection with autoflush off; a batch goes as script calls
 * of up to {@link #CHUNK} records each (one high-water-mark check, many XADDs), pipelined and
 * awaited. Construction never blocks on Redis: the first connection is made in the background and
 * retried until it succeeds; after that lettuce reconnects by itself.
 */
public final class RedisStreamSink implements Sink {
    /** The sink's name: its cursor, metric tag and log key. */
    public static final String NAME = "redis";

    private static final Logger log = LoggerFactory.getLogger(RedisStreamSink.class);
    /**
     * Records per script call: large enough that the round trip and the script invocation are spread
     * thin, small enough that one call holds Redis (single-threaded) for about a millisecond.
     */
    static final int CHUNK = 250;
    /** Calls issued before awaiting their answers; with {@code forward.batch_size} at most 10,000, 40. */
    private static final int CALLS_PER_PIPELINE = 64;

    private static final int REQUEST_QUEUE = 2 * CALLS_PER_PIPELINE;
    private static final Delay RECONNECT_DELAY =
            Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(5), 2, TimeUnit.MILLISECONDS);
    private static final Duration QUIET_LOG = Duration.ofSeconds(60);

    /**
     * How {@link RedisStreamSink} reaches the site bus.
     *
     * @param uri             {@code redis://[:password@]host:port[/db]}
     * @param alertsStream    stream for ALERT records
     * @param telemetryStream stream for TELEMETRY records
     * @param auditStream     stream for AUDIT records
     * @param maxLen          approximate MAXLEN applied to each stream, entries ({@code redis.maxlen})
     * @param commandTimeout  bound of one connect attempt and of one pipelined chunk ({@code redis.timeout});
     *                        every value is checked with the {@link RedisSettings} rule of its key
     * @param gatewayId       part of the high-water-mark key
     * @param outboxEpoch     identifies this outbox database; its seq restarts when the database is recreated
     */
    public record Settings(
            URI uri,
            String alertsStream,
            String telemetryStream,
            String auditStream,
            long maxLen,
            Duration commandTimeout,
            String gatewayId,
            String outboxEpoch) {
        public Settings {
            // The same rules as the configuration file's redis.* keys: one model, so the two cannot disagree.
            Objects.requireNonNull(uri, "uri");
            RedisSettings.URL.require(uri);
            RedisSettings.ALERTS.require(alertsStream);
            RedisSettings.TELEMETRY.require(telemetryStream);
            RedisSettings.AUDIT.require(auditStream);
            RedisSettings.MAXLEN.require(maxLen);
            RedisSettings.TIMEOUT.require(commandTimeout);
            requireText("gatewayId", gatewayId);
            requireText("outboxEpoch", outboxEpoch);
        }

        /** The sink as the configuration file sets it up, for this gateway and outbox epoch. */
        public static Settings of(GatewayConfig.Redis r, String gatewayId, String outboxEpoch) {
            return new Settings(
                    r.url(),
                    r.alertsStream(),
                    r.telemetryStream(),
                    r.auditStream(),
                    r.maxLen(),
                    r.timeout(),
                    gatewayId,
                    outboxEpoch);
        }

        /** The documented defaults for everything but where Redis is and who is writing. */
        public static Settings defaults(URI uri, String gatewayId, String outboxEpoch) {
            return new Settings(
                    uri,
                    RedisSettings.ALERTS.fallback(),
                    RedisSettings.TELEMETRY.fallback(),
                    RedisSettings.AUDIT.fallback(),
                    RedisSettings.MAXLEN.fallback(),
                    RedisSettings.TIMEOUT.fallback(),
                    gatewayId,
                    outboxEpoch);
        }

        public Settings withStreams(String alerts, String telemetry, String audit) {
            return new Settings(uri, alerts, telemetry, audit, maxLen, commandTimeout, gatewayId, outboxEpoch);
        }

        public Settings withMaxLen(long value) {
            return new Settings(
                    uri, alertsStream, telemetryStream, auditStream, value, commandTimeout, gatewayId, outboxEpoch);
        }

        public Settings withCommandTimeout(Duration value) {
            return new Settings(uri, alertsStream, telemetryStream, auditStream, maxLen, value, gatewayId, outboxEpoch);
        }

        public Settings withOutboxEpoch(String value) {
            return new Settings(
                    uri, alertsStream, telemetryStream, auditStream, maxLen, commandTimeout, gatewayId, value);
        }

        private static void requireText(String field, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(field + " must not be blank, found \"" + value + "\"");
            }
        }
    }

    private final Settings settings;
    private final String maskedUri;
    private final RedisHighWaterMark marks;
    private final ClientResources resources;
    private final SleepingTimer timer = new SleepingTimer("lettuce-timer");
    private final RedisClient client;
    private final RedisURI redisUri;
    private final LogThrottle connectFailures = new LogThrottle(QUIET_LOG);
    private final AtomicLong duplicatesSkipped = new AtomicLong();
    private volatile @Nullable StatefulRedisConnection<byte[], byte[]> connection;
    private volatile boolean closed;
    private final AtomicInteger connectAttempts = new AtomicInteger();

    public RedisStreamSink(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.maskedUri = Secrets.maskUserInfo(settings.uri().toString());
        this.marks = new RedisHighWaterMark(settings);
        this.redisUri = RedisURI.create(settings.uri());
        redisUri.setTimeout(settings.commandTimeout());
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(DefaultClientResources.MIN_IO_THREADS)
                .computationThreadPoolSize(DefaultClientResources.MIN_COMPUTATION_THREADS)
                .reconnectDelay(RECONNECT_DELAY)
                .timer(timer)
                .build();
        this.client = RedisClient.create(resources, redisUri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(REQUEST_QUEUE)
                .replayFilter(command -> true)
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(settings.commandTimeout())
                        .keepAlive(true)
                        .build())
                .build());
        client.addListener(new RedisConnectionLog(maskedUri, () -> closed));
        log.info(
                "redis sink starting uri={} streams={},{},{} max_len={} timeout={} gateway={} epoch={} hwm_key={}",
                maskedUri,
                settings.alertsStream(),
                settings.telemetryStream(),
                settings.auditStream(),
                settings.maxLen(),
                settings.commandTimeout(),
                settings.gatewayId(),
                settings.outboxEpoch(),
                RedisHighWaterMark.HASH_KEY);
        connectInBackground();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean isConnected() {
        StatefulRedisConnection<byte[], byte[]> c = connection;
        return !closed && c != null && c.isOpen();
    }

    /** Records the high-water mark skipped because Redis already had them (retries after a lost answer). */
    public long duplicatesSkipped() {
        return duplicatesSkipped.get();
    }

    @Override
    public synchronized void deliver(List<OutboxRecord> batch) throws SinkUnavailableException {
        if (closed) {
            throw new SinkUnavailableException("redis sink is closed");
        }
        StatefulRedisConnection<byte[], byte[]> c = connection;
        if (c == null || !c.isOpen()) {
            throw new SinkUnavailableException("redis not connected uri=" + maskedUri);
        }
        List<RedisHighWaterMark.Call> calls = marks.calls(batch, CHUNK);
        for (int from = 0; from < calls.size(); from += CALLS_PER_PIPELINE) {
            List<RedisHighWaterMark.Call> group =
                    calls.subList(from, Math.min(calls.size(), from + CALLS_PER_PIPELINE));
            try {
                pipeline(c, group);
            } catch (RedisNoScriptException e) {
                loadScript(c);
                try {
                    pipeline(c, group);
                } catch (RedisNoScriptException again) {
                    throw new SinkUnavailableException("redis lost the dedup script again uri=" + maskedUri, again);
                }
            }
        }
    }

    /** Issues the calls on the connection (autoflush is off), flushes once, awaits every answer in order. */
    private void pipeline(StatefulRedisConnection<byte[], byte[]> c, List<RedisHighWaterMark.Call> group)
            throws SinkUnavailableException {
        List<RedisFuture<Long>> futures = new ArrayList<>(group.size());
        for (RedisHighWaterMark.Call call : group) {
            futures.add(c.async().evalsha(RedisHighWaterMark.SHA, ScriptOutputType.INTEGER, call.keys(), call.args()));
        }
        c.flushCommands();
        long deadline = System.nanoTime() + settings.commandTimeout().toNanos();
        long skipped = 0;
        Throwable failure = null;
        RedisHighWaterMark.Call failed = null;
        for (int i = 0; i < futures.size(); i++) {
            try {
                Long written = futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (written != null) {
                    skipped += group.get(i).records() - written;
                }
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                    failed = group.get(i);
                }
            } catch (TimeoutException e) {
                futures.forEach(f -> f.cancel(false));
                RedisHighWaterMark.Call at = group.get(i);
                throw new SinkUnavailableException(
                        "redis did not answer within " + settings.commandTimeout() + " uri=" + maskedUri + " seqs="
                                + at.firstSeq() + ".." + at.lastSeq(),
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(f -> f.cancel(false));
                throw new SinkUnavailableException("interrupted while waiting for redis", e);
            }
        }
        duplicatesSkipped.addAndGet(skipped);
        if (failure instanceof RedisNoScriptException noScript) {
            throw noScript;
        }
        if (failure != null) {
            // the script names the stream and seq it stopped at (AURORA_REJECTED / AURORA_GAP stream=.. seq=..)
            RedisHighWaterMark.Call at = Objects.requireNonNull(failed, "failed is set with failure");
            throw new SinkUnavailableException(
                    "redis rejected a record uri=" + maskedUri + " seqs=" + at.firstSeq() + ".." + at.lastSeq()
                            + " error=" + failure.getMessage(),
                    failure);
        }
        if (skipped > 0) {
            log.info(
                    "redis sink skipped records already written count={} gateway={} epoch={}",
                    skipped,
                    settings.gatewayId(),
                    settings.outboxEpoch());
        }
    }

    private void loadScript(StatefulRedisConnection<byte[], byte[]> c) throws SinkUnavailableException {
        RedisFuture<String> sha = c.async().scriptLoad(RedisHighWaterMark.SCRIPT);
        c.flushCommands();
        try {
            String loaded = sha.get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!RedisHighWaterMark.SHA.equals(loaded)) {
                throw new SinkUnavailableException(
                        "redis returned sha " + loaded + " for the dedup script, expected " + RedisHighWaterMark.SHA);
            }
            log.info("redis sink loaded dedup script uri={} sha={}", maskedUri, loaded);
        } catch (ExecutionException | TimeoutException e) {
            throw new SinkUnavailableException("redis could not load the dedup script uri=" + maskedUri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkUnavailableException("interrupted while loading the dedup script", e);
        }
    }

    /** First connection: retried in the background with backoff until it succeeds or the sink closes. */
    private void connectInBackground() {
        if (closed) {
            return;
        }
        client.connectAsync(ByteArrayCodec.INSTANCE, redisUri).whenComplete((c, error) -> {
            if (error != null) {
                int attempt = connectAttempts.incrementAndGet();
                Duration delay = RECONNECT_DELAY.createDelay(attempt);
                connectFailures.maybeLog(suppressed -> log.warn(
                        "redis sink cannot connect uri={} attempt={} retry_in={} suppressed={} error={}",
                        maskedUri,
                        attempt,
                        delay,
                        suppressed,
                        error.toString()));
                if (!closed) {
                    resources
                            .eventExecutorGroup()
                            .schedule(this::connectInBackground, delay.toMillis(), TimeUnit.MILLISECONDS);
                }
                return;
            }
            c.setAutoFlushCommands(false);
            connection = c;
            if (closed) {
                c.closeAsync();
                return;
            }
            log.info("redis sink connected uri={} attempts={}", maskedUri, connectAttempts.get() + 1);
        });
    }

    @Override
    public void close() {
        closed = true;
        StatefulRedisConnection<byte[], byte[]> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
        timer.stop(); // given to the resources, so not stopped by them
        log.info("redis sink closed uri={} duplicates_skipped={}", maskedUri, duplicatesSkipped.get());
    }
}
