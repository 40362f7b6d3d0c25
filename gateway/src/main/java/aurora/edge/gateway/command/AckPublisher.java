package aurora.edge.gateway.command;

import aurora.edge.gateway.device.DeviceTopic;
import aurora.edge.gateway.outbox.Watermark;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each device its cumulative application-level acknowledgement, {@code {"boot":b,"seq":n}}
 * on {@code aurora/command/{id}/ack}, after the outbox has committed. This, not Moquette's PUBACK
 * (sent before any interceptor runs), is what tells a stock-broker device a message is on disk.
 *
 * <p>A commit wakes the publisher: a device not acked in the current interval gets its ack right
 * away (a low-rate device waits for its commit only, not for a timer). Watermarks are coalesced per
 * device, and a device already acked in the current interval waits for the next one, so a busy
 * device still gets about one ack per interval, not one per commit. Nothing runs while nothing is
 * due: no timer ticks on an idle fleet.
 */
public final class AckPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AckPublisher.class);

    private final Map<String, Watermark> due = new ConcurrentHashMap<>();
    private final Supplier<? extends CommandSender> broker;
    private final ScheduledExecutorService scheduler;
    private final long intervalNanos;
    private final Counter sent;
    private final Counter failed;
    /** A pass is queued on the scheduler and has not started yet: further commits need not queue another. */
    private final AtomicBoolean passQueued = new AtomicBoolean();
    /** A pass is booked for the start of the next interval (devices deferred or refused in this one). */
    private final AtomicBoolean passBooked = new AtomicBoolean();
    /** Devices acked in the current interval; guarded by this (passes run on the scheduler, the last one on close). */
    private final Set<String> ackedThisInterval = new HashSet<>();

    private long intervalStart = System.nanoTime();
    private volatile boolean closed;

    /** @param broker supplies the broker once it is started (the outbox, and so acks, start before it). */
    public AckPublisher(
            Supplier<? extends CommandSender> broker,
            ScheduledExecutorService scheduler,
            Duration interval,
            MeterRegistry registry) {
        this.broker = broker;
        this.scheduler = scheduler;
        this.intervalNanos = interval.toNanos();
        this.sent = Counter.builder("aurora_acks_sent")
                .description("cumulative acks published to devices")
                .register(registry);
        this.failed = Counter.builder("aurora_acks_failed")
                .description("acks a full session queue refused (retried)")
                .register(registry);
    }

    /** Called on the outbox writer thread after a commit: records, and wakes the scheduler; never publishes. */
    public void acknowledge(Iterable<Watermark> watermarks) {
        record(watermarks);
        if (!closed && passQueued.compareAndSet(false, true)) {
            try {
                scheduler.execute(this::pass);
            } catch (RejectedExecutionException stopping) {
                passQueued.set(false); // the gateway is stopping; close() sends what is due
            }
        }
    }

    private void record(Iterable<Watermark> watermarks) {
        for (Watermark w : watermarks) {
            due.merge(
                    w.deviceId(),
                    w,
                    (old, neu) -> neu.boot() > old.boot() || (neu.boot() == old.boot() && neu.seq() >= old.seq())
                            ? neu
                            : old);
        }
    }

    private void pass() {
        passQueued.set(false); // before reading what is due: a commit from now on queues another pass
        flush();
    }

    private void bookedPass() {
        passBooked.set(false);
        flush();
    }

    /**
     * One pass over the devices with a watermark due, on the scheduler thread. A device acked in
     * this interval, or whose ack the broker refuses, stays due and a pass is booked for the next
     * interval. The pass walks a snapshot of the keys, so a refused one put back is not met again
     * in the same pass (a stopped broker refuses everything, and a live iterator would then go
     * round for ever).
     */
    synchronized void flush() {
        long now = System.nanoTime();
        if (now - intervalStart >= intervalNanos) {
            intervalStart = now;
            ackedThisInterval.clear();
        }
        CommandSender b = broker.get();
        boolean leftDue = false;
        if (b == null) {
            leftDue = !due.isEmpty();
        } else {
            try {
                for (String deviceId : List.copyOf(due.keySet())) {
                    if (ackedThisInterval.contains(deviceId)) {
                        leftDue = true;
                        continue;
                    }
                    Watermark w = due.get(deviceId);
                    if (w == null || !due.remove(deviceId, w)) {
                        continue; // a newer watermark arrived meanwhile; it is sent on the next pass
                    }
                    byte[] body =
                            ("{\"boot\":" + w.boot() + ",\"seq\":" + w.seq() + "}").getBytes(StandardCharsets.US_ASCII);
                    if (b.publish(DeviceTopic.ackTopic(w.deviceId()), body)) {
                        sent.increment();
                        ackedThisInterval.add(deviceId);
                    } else {
                        failed.increment();
                        record(List.of(w));
                        leftDue = true;
                    }
                }
            } catch (RuntimeException e) {
                log.warn("ack flush failed error={}", e.toString());
                leftDue = true;
            }
        }
        if (leftDue) {
            bookNextInterval(now);
        }
    }

    private void bookNextInterval(long now) {
        if (closed || !passBooked.compareAndSet(false, true)) {
            return;
        }
        long delay = Math.max(1, intervalStart + intervalNanos - now);
        try {
            scheduler.schedule(this::bookedPass, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            passBooked.set(false);
        }
    }

    /** Sends what is still due, then stops. */
    @Override
    public synchronized void close() {
        closed = true;
        ackedThisInterval.clear(); // a last pass: nothing waits for another interval
        flush();
    }
}
