package aurora.edge.gateway.forward;

/**
 * Paces how fast a sink works off its backlog: at most {@code maxPerSecond} events per second
 * <em>faster than live traffic arrives</em>. Pacing exists so a drain after a long outage does not
 * take the CPU, disk and sink bandwidth that live intake needs; it must not hold a sink that is
 * merely behind a live burst below the rate the burst arrives at, or the backlog grows without end
 * (the cap used to be {@code maxPerSecond} in all, below what intake commits in a burst).
 *
 * <p>The live rate is measured from the outbox's committed sequence over windows of {@link #WINDOW_NANOS};
 * each batch costs {@code size / (live rate + maxPerSecond)} seconds, and the next batch may start when
 * the previous cost has elapsed. Idle time earns no credit, so a drain never starts with a burst beyond
 * one batch; events stored before the rate was first measured (the outage's backlog) earn none either.
 * Zero means unpaced. Used by one forwarder thread only.
 */
final class DrainPacer {
    /** Long enough to smooth group commits (a few ms apart), short enough to follow a burst that starts. */
    static final long WINDOW_NANOS = 250_000_000L;

    private final int maxPerSecond;
    private long nextStartNanos = Long.MIN_VALUE;
    private long windowStartNanos;
    private long windowStartCommitted = -1;
    private double livePerSecond;

    DrainPacer(int maxPerSecond) {
        if (maxPerSecond < 0) {
            throw new IllegalArgumentException("maxPerSecond must be >= 0, found " + maxPerSecond);
        }
        this.maxPerSecond = maxPerSecond;
    }

    /**
     * Tells the pacer how far the outbox has committed, so it can measure the live rate. Called on every
     * pass of the forwarder, paced or not.
     *
     * @param committedSeq the outbox's last committed seq
     * @param nowNanos a monotonic clock reading ({@link System#nanoTime()})
     */
    void observeCommitted(long committedSeq, long nowNanos) {
        if (windowStartCommitted < 0) {
            windowStartCommitted = committedSeq;
            windowStartNanos = nowNanos;
            return;
        }
        long elapsed = nowNanos - windowStartNanos;
        if (elapsed >= WINDOW_NANOS) {
            livePerSecond = Math.max(0, committedSeq - windowStartCommitted) * 1e9 / elapsed;
            windowStartCommitted = committedSeq;
            windowStartNanos = nowNanos;
        }
    }

    /** Events per second committed over the last complete window. */
    double livePerSecond() {
        return livePerSecond;
    }

    /**
     * Books a batch of {@code events} and returns how many nanoseconds to wait before delivering it.
     *
     * @param nowNanos a monotonic clock reading ({@link System#nanoTime()})
     */
    long book(int events, long nowNanos) {
        if (maxPerSecond == 0) {
            return 0;
        }
        long start = nextStartNanos == Long.MIN_VALUE || nowNanos - nextStartNanos > 0 ? nowNanos : nextStartNanos;
        nextStartNanos = start + (long) (events * 1e9 / (livePerSecond + maxPerSecond));
        return start - nowNanos;
    }
}
