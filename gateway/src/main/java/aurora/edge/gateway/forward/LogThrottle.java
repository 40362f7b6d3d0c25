package aurora.edge.gateway.forward;

import java.time.Duration;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Lets a repeated event through at most once per interval and counts what it held back. Client
 * libraries report the same failure on every reconnect attempt; one line per interval is enough.
 */
final class LogThrottle {
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private boolean armed = true;
    private long lastNanos;
    private long suppressed;

    LogThrottle(Duration interval) {
        this(interval, System::nanoTime);
    }

    LogThrottle(Duration interval, LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Calls {@code log} with the number of events suppressed since the last call, or counts this one. */
    synchronized void maybeLog(LongConsumer log) {
        long now = nanoTime.getAsLong();
        if (armed || now - lastNanos >= intervalNanos) {
            long held = suppressed;
            armed = false;
            suppressed = 0;
            lastNanos = now;
            log.accept(held);
        } else {
            suppressed++;
        }
    }

    /** After a recovery: the next event is logged at once. */
    synchronized void reset() {
        armed = true;
        suppressed = 0;
    }
}
