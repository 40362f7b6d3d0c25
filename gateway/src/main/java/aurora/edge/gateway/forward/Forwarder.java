package aurora.edge.gateway.forward;

import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.outbox.Outbox;
import aurora.edge.gateway.outbox.OutboxReader;
import aurora.edge.gateway.outbox.OutboxRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox to one sink on its own thread: reads a batch after the sink's cursor, delivers
 * it, and moves the cursor only once the sink has acknowledged the whole batch. On failure it backs
 * off exponentially with full jitter and retries the same batch. One sink being down never blocks
 * another: each has its own forwarder, cursor and reader.
 */
public final class Forwarder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);
    private static final Duration IDLE_WAIT = Duration.ofMillis(500);
    private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(30);

    private final Outbox outbox;
    private final Sink sink;
    private final Clock clock;
    private final GatewayConfig.Forward config;
    private final Thread thread;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Counter delivered;
    private final Counter failures;
    private final Timer latency;
    private volatile long oldestPendingMillis;
    private volatile boolean healthy = true;
    private volatile Instant lastProgress;
    private long lastFailureLog;

    public Forwarder(Outbox outbox, Sink sink, GatewayConfig.Forward config, Clock clock, MeterRegistry registry) {
        this.outbox = outbox;
        this.sink = sink;
        this.config = config;
        this.clock = clock;
        this.lastProgress = clock.instant();
        String name = sink.name();
        this.delivered = Counter.builder("aurora_forward_delivered").tag("sink", name).description("events acknowledged by the sink").register(registry);
        this.failures = Counter.builder("aurora_forward_failures").tag("sink", name).description("batches the sink failed to acknowledge").register(registry);
        this.latency = Timer.builder("aurora_forward_latency").tag("sink", name).description("acceptance to sink acknowledgement")
                .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("aurora_forward_backlog", this, Forwarder::backlog).tag("sink", name).description("events not yet acknowledged by the sink").register(registry);
        Gauge.builder("aurora_forward_oldest_age_seconds", this, f -> f.oldestPendingAge().toMillis() / 1000.0).tag("sink", name)
                .description("age of the oldest event the sink does not have yet").register(registry);
        Gauge.builder("aurora_forward_connected", sink, s -> s.isConnected() ? 1 : 0).tag("sink", name).register(registry);
        this.thread = new Thread(this::run, "forwarder-" + name);
    }

    public void start() {
        thread.start();
    }

    public String sinkName() {
        return sink.name();
    }

    public boolean sinkConnected() {
        return sink.isConnected();
    }

    /** Events committed to the outbox that this sink has not acknowledged. */
    public long backlog() {
        return Math.max(0, outbox.lastCommittedSeq() - outbox.cursor(sink.name()));
    }

    /** How long the oldest event this sink lacks has been waiting; zero with no backlog. */
    public Duration oldestPendingAge() {
        long oldest = oldestPendingMillis;
        return oldest == 0 || backlog() == 0 ? Duration.ZERO : Duration.ofMillis(Math.max(0, clock.millis() - oldest));
    }

    /** False while the last delivery attempt failed. */
    public boolean healthy() {
        return healthy;
    }

    private void run() {
        Duration backoff = config.backoffMin();
        try (OutboxReader reader = outbox.openReader()) {
            while (stop.getCount() > 0) {
                long cursor = outbox.cursor(sink.name());
                if (!outbox.awaitCommitAfter(cursor, IDLE_WAIT)) {
                    oldestPendingMillis = 0;
                    continue;
                }
                List<OutboxRecord> batch = reader.after(cursor, config.batchSize());
                if (batch.isEmpty()) {
                    // Everything after the cursor was purged or evicted: jump to what is committed.
                    outbox.advanceCursor(sink.name(), outbox.lastCommittedSeq());
                    continue;
                }
                oldestPendingMillis = batch.get(0).acceptedAt().toEpochMilli();
                if (deliver(batch)) {
                    backoff = config.backoffMin();
                } else {
                    stop.await(jittered(backoff).toMillis(), TimeUnit.MILLISECONDS);
                    backoff = backoff.multipliedBy(2).compareTo(config.backoffMax()) > 0 ? config.backoffMax() : backoff.multipliedBy(2);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("forwarder stopped by an unexpected error sink={} error={}", sink.name(), e.toString(), e);
            healthy = false;
        }
    }

    private boolean deliver(List<OutboxRecord> batch) {
        try {
            sink.deliver(batch);
        } catch (SinkUnavailableException e) {
            failures.increment();
            healthy = false;
            long now = clock.millis();
            if (now - lastFailureLog >= FAILURE_LOG_INTERVAL.toMillis()) {
                lastFailureLog = now;
                log.warn("sink unavailable sink={} backlog={} error={}", sink.name(), backlog(), e.getMessage());
            }
            return false;
        }
        long last = batch.get(batch.size() - 1).seq();
        outbox.advanceCursor(sink.name(), last);
        long now = clock.millis();
        for (OutboxRecord r : batch) {
            latency.record(Math.max(0, now - r.acceptedAt().toEpochMilli()), TimeUnit.MILLISECONDS);
        }
        delivered.increment(batch.size());
        if (!healthy) {
            log.info("sink recovered sink={} backlog={}", sink.name(), backlog());
        }
        healthy = true;
        lastProgress = clock.instant();
        return true;
    }

    /** Equal jitter: a random delay in [backoff/2, backoff], so gateways that failed together do not retry in step. */
    private static Duration jittered(Duration backoff) {
        long ms = Math.max(1, backoff.toMillis());
        return Duration.ofMillis(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
    }

    public Instant lastProgress() {
        return lastProgress;
    }

    /** Stops after the batch in flight; the sink itself is closed by its owner. */
    @Override
    public void close() {
        stop.countDown();
        try {
            thread.join(Duration.ofSeconds(15).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
