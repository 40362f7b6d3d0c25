package aurora.edge.gateway.forward;

/**
 * Paces the delivery of a backlog to at most {@code maxPerSecond} events per second, so a drain
 * after a long outage does not take the CPU, disk and sink bandwidth that live traffic needs. Each
 * batch costs {@code size / maxPerSecond} seconds; the next batch may start when the previous cost
 * has elapsed. Idle time earns no credit, so a drain never starts with a burst beyond one batch.
 * Zero means unpaced. Used by one forwarder thread only.
 */
final class DrainPacer {
    private final double nanosPerEvent;
    private long nextStartNanos = Long.MIN_VALUE;

    DrainPacer(int maxPerSecond) {
        if (maxPerSecond < 0) {
            throw new IllegalArgumentException("maxPerSecond must be >= 0, found " + maxPerSecond);
        }
        this.nanosPerEvent = maxPerSecond == 0 ? 0 : 1e9 / maxPerSecond;
    }

    /**
     * Books a batch of {@code events} and returns how many nanoseconds to wait before delivering it.
     *
     * @param nowNanos a monotonic clock reading ({@link System#nanoTime()})
     */
    long book(int events, long nowNanos) {
        if (nanosPerEvent == 0) {
            return 0;
        }
        long start = nextStartNanos == Long.MIN_VALUE || nowNanos - nextStartNanos > 0 ? nowNanos : nextStartNanos;
        nextStartNanos = start + (long) (events * nanosPerEvent);
        return start - nowNanos;
    }
}
