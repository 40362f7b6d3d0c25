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
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox to one sink on its own thread: reads a batch after the sink's cursor, delivers
 * it, and moves the cursor only once the sink has acknowledged the whole batch. On failure it backs
 * off exponentially with jitter and retries the same batch. One sink being down never blocks
 * another: each has its own forwarder, cursor and reader.
 *
 * <p>A sink that says it is connected but has not advanced for {@code forward.stall_timeout} while
 * there is a backlog is stalled (a server that hangs, a link that silently drops): the forwarder
 * replaces it with a fresh connection from its factory, logs, counts and reports it.
 *
 * <p>While a backlog drains, the main lane works it off at most {@code forward.drain_max_rate} events
 * per second faster than live traffic arrives (when set; see {@link DrainPacer}): a sink behind a live
 * burst keeps up with it, a drain after an outage leaves room for live intake. The priority lane
 * (alerts, attestation, audit) is not paced.
 */
public final class Forwarder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);
    /**
     * With nothing after the cursor, how long the forwarder waits for a commit before it looks at the
     * sink again ({@link #observe}, itself once a second): a commit wakes it at once.
     */
    private static final Duration IDLE_WAIT = Duration.ofSeconds(1);

    private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(30);

    private final Outbox outbox;
    private final String name;
    private final Supplier<Sink> connect;
    private final Consumer<Stall> onStall;
    private volatile Sink sink;
    private final Clock clock;
    private final GatewayConfig.Forward config;
    private final Thread thread;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Counter delivered;
    private final Counter failures;
    private final Timer latency;
    private final Counter stalls;
    private final DrainRate drainRate = new DrainRate();
    private final DrainPacer pacer;
    /** The last exact count of the backlog, and the last committed seq read just before it was taken. */
    private record Count(long events, long committedBefore) {}

    private volatile @Nullable Count lastCount;
    private volatile boolean stalled;
    private volatile long oldestPendingMillis;
    private volatile boolean healthy = true;
    private volatile Instant lastProgress;
    private long lastFailureLog;
    private long lastObservation;
    private long nextExactCount;
    private long lastSeenDisconnected;

    /** A sink found connected but not advancing: which, and why it counts as stalled. */
    public record Stall(String sink, String reason) {}

    /**
     * @param connect makes a sink with a fresh connection: once at start, and again to replace a stalled one
     * @param onStall told each time the sink is found stalled
     */
    public Forwarder(
            Outbox outbox,
            Supplier<Sink> connect,
            GatewayConfig.Forward config,
            Clock clock,
            MeterRegistry registry,
            Consumer<Stall> onStall) {
        this.outbox = outbox;
        this.connect = connect;
        this.onStall = onStall;
        this.sink = connect.get();
        this.name = sink.name();
        this.config = config;
        this.clock = clock;
        this.pacer = new DrainPacer(config.drainMaxRate());
        this.lastProgress = clock.instant();
        this.delivered = Counter.builder("aurora_forward_delivered")
                .tag("sink", name)
                .description("events acknowledged by the sink")
                .register(registry);
        this.failures = Counter.builder("aurora_forward_failures")
                .tag("sink", name)
                .description("batches the sink failed to acknowledge")
                .register(registry);
        this.latency = Timer.builder("aurora_forward_latency")
                .tag("sink", name)
                .description("acceptance to sink acknowledgement")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        this.stalls = Counter.builder("aurora_forward_stalls")
                .tag("sink", name)
                .description("times the sink was connected but made no progress for forward.stall_timeout")
                .register(registry);
        Gauge.builder("aurora_forward_drain_rate", this, Forwarder::drainRatePerSecond)
                .tag("sink", name)
                .description("events per second the sink acknowledged over the last 10 s")
                .register(registry);
        Gauge.builder(
                        "aurora_forward_eta_seconds",
                        this,
                        f -> f.estimatedTimeToEmpty()
                                .map(d -> (double) d.toSeconds())
                                .orElse(-1.0))
                .tag("sink", name)
                .description("backlog / drain rate; -1 when not draining")
                .register(registry);
        Gauge.builder("aurora_forward_backlog", this, Forwarder::backlog)
                .tag("sink", name)
                .description("events not yet acknowledged by the sink")
                .register(registry);
        Gauge.builder(
                        "aurora_forward_oldest_age_seconds",
                        this,
                        f -> f.oldestPendingAge().toMillis() / 1000.0)
                .tag("sink", name)
                .description("age of the oldest event the sink does not have yet")
                .register(registry);
        Gauge.builder("aurora_forward_connected", this, f -> f.sinkConnected() ? 1 : 0)
                .tag("sink", name)
                .register(registry);
        this.thread = new Thread(this::run, "forwarder-" + name);
    }

    public void start() {
        thread.start();
    }

    public String sinkName() {
        return name;
    }

    public boolean sinkConnected() {
        return sink.isConnected();
    }

    /** The 99th percentile of acceptance to acknowledgement by this sink over the recent past (micrometer's decaying window), in ms. */
    public double ackLatencyP99Millis() {
        for (var p : latency.takeSnapshot().percentileValues()) {
            if (p.percentile() == 0.99) {
                return p.value(TimeUnit.MILLISECONDS);
            }
        }
        return 0;
    }

    /**
     * Events stored that this sink has not acknowledged: the smaller of two upper bounds, the
     * sequence numbers after the cursor and the last exact count plus what was committed since (evicted
     * events leave holes in the sequence; the exact count is taken each second, less often while
     * counting a large backlog takes long).
     */
    public long backlog() {
        long committed = outbox.lastCommittedSeq();
        long bySeq = Math.max(0, committed - outbox.cursor(name));
        Count count = lastCount;
        return bySeq == 0 || count == null
                ? bySeq
                : Math.min(bySeq, count.events() + Math.max(0, committed - count.committedBefore()));
    }

    public double drainRatePerSecond() {
        return drainRate.perSecond();
    }

    /** How long the backlog takes at the current drain rate; empty when nothing drains. */
    public Optional<Duration> estimatedTimeToEmpty() {
        long left = backlog();
        double rate = drainRate.perSecond();
        if (left == 0) {
            return Optional.of(Duration.ZERO);
        }
        return rate <= 0 ? Optional.empty() : Optional.of(Duration.ofSeconds((long) Math.ceil(left / rate)));
    }

    /** True from the moment the sink is found stalled until it next advances. */
    public boolean stalled() {
        return stalled;
    }

    /** How long the oldest event this sink lacks has been waiting; zero with no backlog. */
    public Duration oldestPendingAge() {
        long oldest = oldestPendingMillis;
        return oldest == 0 || backlog() == 0 ? Duration.ZERO : Duration.ofMillis(Math.max(0, clock.millis() - oldest));
    }

    /** Events this sink acknowledged since start (also the counter {@code aurora_forward_delivered}). */
    public long delivered() {
        return (long) delivered.count();
    }

    /**
     * Waits, at most {@code bound}, until this sink has everything committed so far, while it stays
     * connected: a graceful stop gives each sink this chance before it is closed.
     */
    public void awaitCaughtUp(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (backlog() > 0 && sinkConnected() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** False while the last delivery attempt failed. */
    public boolean healthy() {
        return healthy;
    }

    private void run() {
        Duration backoff = config.backoffMin();
        try (OutboxReader reader = outbox.openReader()) {
            while (stop.getCount() > 0) {
                long cursor = outbox.cursor(name);
                observe(reader, cursor);
                if (!outbox.awaitCommitAfter(cursor, IDLE_WAIT)) {
                    oldestPendingMillis = 0;
                    continue;
                }
                boolean draining = backlog() > config.batchSize();
                // Read before the query: every event at or below it is committed, so none can be skipped unseen.
                long committed = outbox.lastCommittedSeq();
                pacer.observeCommitted(committed, System.nanoTime());
                DrainStep step = sink.takesNoTelemetry()
                        ? DrainStep.nextSkippingTelemetry(
                                reader, cursor, outbox.priorityCursor(name), config.batchSize(), committed)
                        : DrainStep.next(reader, cursor, outbox.priorityCursor(name), draining, config.batchSize());
                if (step == null) {
                    // Everything after the cursor was purged or evicted: jump to what is committed.
                    outbox.advanceCursor(name, outbox.lastCommittedSeq());
                    continue;
                }
                if (!step.priority()) {
                    oldestPendingMillis = reader.oldestAfter(cursor)
                            .map(java.time.Instant::toEpochMilli)
                            .orElse(0L);
                    if (draining
                            && stop.await(pacer.book(step.deliver().size(), System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        break;
                    }
                }
                if (deliver(step)) {
                    backoff = config.backoffMin();
                } else {
                    backOff(reader, jittered(backoff));
                    backoff = backoff.multipliedBy(2).compareTo(config.backoffMax()) > 0
                            ? config.backoffMax()
                            : backoff.multipliedBy(2);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("forwarder stopped by an unexpected error sink={} error={}", name, e.toString(), e);
            healthy = false;
        }
    }

    private boolean deliver(DrainStep step) {
        List<OutboxRecord> batch = step.deliver();
        try {
            if (!batch.isEmpty()) {
                sink.deliver(batch);
            }
        } catch (SinkUnavailableException e) {
            failures.increment();
            healthy = false;
            long now = clock.millis();
            if (now - lastFailureLog >= FAILURE_LOG_INTERVAL.toMillis()) {
                lastFailureLog = now;
                log.warn("sink unavailable sink={} backlog={} error={}", name, backlog(), e.getMessage());
            }
            return false;
        }
        if (step.priority()) {
            outbox.advancePriorityCursor(name, step.advanceTo());
        } else {
            outbox.advanceCursor(name, step.advanceTo());
            outbox.advancePriorityCursor(name, step.advanceTo()); // the lane never lags the main cursor
        }
        stalled = false;
        long now = clock.millis();
        for (OutboxRecord r : batch) {
            latency.record(Math.max(0, now - r.acceptedAt().toEpochMilli()), TimeUnit.MILLISECONDS);
        }
        delivered.increment(batch.size());
        if (!healthy) {
            log.info("sink recovered sink={} backlog={}", name, backlog());
        }
        healthy = true;
        lastProgress = clock.instant();
        return true;
    }

    /** Waits out a retry delay in slices, so backlog, rate and stall keep being observed meanwhile. */
    private void backOff(OutboxReader reader, Duration delay) throws InterruptedException {
        long until = clock.millis() + delay.toMillis();
        for (long left = delay.toMillis(); left > 0 && stop.getCount() > 0; left = until - clock.millis()) {
            if (stop.await(Math.min(left, 1000), TimeUnit.MILLISECONDS)) {
                return;
            }
            observe(reader, outbox.cursor(name));
        }
    }

    /** Once a second: the backlog count (see {@link #backlog()}), drain rate, and whether a connected sink has stopped advancing. */
    private void observe(OutboxReader reader, long cursor) {
        long now = clock.millis();
        if (now - lastObservation < 1000) {
            return;
        }
        lastObservation = now;
        if (now >= nextExactCount) {
            // The exact count walks the whole backlog (a million rows: a few hundred ms); at most ~2 % of
            // this thread's time goes to it, in between the sequence bound stands in (backlog()).
            long started = System.nanoTime();
            long committed = outbox.lastCommittedSeq();
            lastCount = new Count(reader.countAfter(cursor), committed);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            nextExactCount = now + Math.max(1000, 50 * tookMillis);
        }
        drainRate.sample(now, (long) delivered.count());
        if (!sink.isConnected()) {
            lastSeenDisconnected = now; // a sink that is down is not stalled; its clock starts when it is back
        }
        Duration sinceProgress = Duration.ofMillis(now - Math.max(lastProgress.toEpochMilli(), lastSeenDisconnected));
        long pending = backlog();
        if (pending > 0 && sink.isConnected() && sinceProgress.compareTo(config.stallTimeout()) > 0) {
            replaceStalledSink(sinceProgress, pending);
        }
    }

    private void replaceStalledSink(Duration sinceProgress, long pending) {
        stalled = true;
        stalls.increment();
        String reason =
                "connected but no progress for " + sinceProgress.toSeconds() + "s with " + pending + " events waiting";
        log.error("sink stalled, reconnecting sink={} reason=\"{}\"", name, reason);
        onStall.accept(new Stall(name, reason));
        Sink old = sink;
        try {
            old.close();
        } catch (RuntimeException e) {
            log.warn("closing stalled sink failed sink={} error={}", name, e.toString());
        }
        sink = connect.get();
        lastProgress = clock.instant(); // give the new connection a full stall timeout
    }

    /** Equal jitter: a random delay in [backoff/2, backoff], so gateways that failed together do not retry in step. */
    private static Duration jittered(Duration backoff) {
        long ms = Math.max(1, backoff.toMillis());
        return Duration.ofMillis(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
    }

    public Instant lastProgress() {
        return lastProgress;
    }

    /** Stops after the batch in flight and closes the sink. */
    @Override
    public void close() {
        stop.countDown();
        try {
            thread.join(Duration.ofSeconds(15).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sink.close();
    }
}
