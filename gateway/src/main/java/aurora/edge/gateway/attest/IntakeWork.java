package aurora.edge.gateway.attest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work intake hands to the attestation thread (registrations, observed boot or firmware
 * changes, answers), bounded: what does not fit is refused at once and counted per task, so a
 * flood never grows the thread's queue without limit and never blocks intake. Each refusal is
 * safe to lose: a refused registration is undone (the next message registers again), a refused
 * answer expires and is retried, an observation is repeated by the device's next message.
 */
final class IntakeWork {
    private static final Logger log = LoggerFactory.getLogger(IntakeWork.class);

    private final Executor thread;
    private final int capacity;
    private final AtomicInteger queued = new AtomicInteger();
    private final MeterRegistry meters;
    private final Map<String, Counter> overflow = new ConcurrentHashMap<>();

    IntakeWork(Executor thread, int capacity, MeterRegistry meters) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, found " + capacity);
        }
        this.thread = thread;
        this.capacity = capacity;
        this.meters = meters;
        Gauge.builder("aurora_attest_queue_depth", queued, AtomicInteger::get)
                .description("intake work waiting for the attestation thread")
                .register(meters);
    }

    /** Queues {@code work}; false (counted under {@code task}) when the queue is full or the thread stopped. */
    boolean offer(String task, Runnable work) {
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            refused(task);
            return false;
        }
        try {
            thread.execute(() -> {
                queued.decrementAndGet();
                work.run();
            });
            return true;
        } catch (RejectedExecutionException e) {
            queued.decrementAndGet();
            refused(task);
            return false;
        }
    }

    private void refused(String task) {
        overflow.computeIfAbsent(
                        task,
                        t -> Counter.builder("aurora_attest_queue_overflow")
                                .description("intake work refused because the attestation queue was full")
                                .tag("task", t)
                                .register(meters))
                .increment();
        log.debug("attestation queue full, work refused task={} capacity={}", task, capacity);
    }
}
