package aurora.edge.sim;

import java.util.function.LongSupplier;

/**
 * The fleet's simulated time: nanoseconds since the fleet started, running {@code acceleration} times faster than
 * real time. Devices live in virtual time only (when they wake, what they sample, what their battery drew), so the
 * simulated part of a run is the same for the same seed however late the real scheduler runs; only the network
 * (acks, latencies, reconnects) stays real.
 */
final class VirtualClock {
    private final long startEpochMillis;
    private final long realStartNanos;
    private final double acceleration;
    private final LongSupplier nanoTime;

    VirtualClock(long startEpochMillis, double acceleration, LongSupplier nanoTime) {
        if (!(acceleration > 0) || Double.isInfinite(acceleration)) {
            throw new IllegalArgumentException("acceleration must be > 0, found: " + acceleration);
        }
        this.startEpochMillis = startEpochMillis;
        this.acceleration = acceleration;
        this.nanoTime = nanoTime;
        this.realStartNanos = nanoTime.getAsLong();
    }

    /** Virtual nanoseconds since the start. */
    long now() {
        return (long) ((nanoTime.getAsLong() - realStartNanos) * acceleration);
    }

    /** Real nanoseconds from now until virtual time {@code virtualNanos} (0 if it is past). */
    long realDelayUntil(long virtualNanos) {
        long realTarget = realStartNanos + (long) (virtualNanos / acceleration);
        return Math.max(0, realTarget - nanoTime.getAsLong());
    }

    /** Epoch milliseconds of virtual time {@code virtualNanos}: what a device puts in {@code ts}. */
    long epochMillis(long virtualNanos) {
        return startEpochMillis + virtualNanos / 1_000_000;
    }

    double acceleration() {
        return acceleration;
    }

    long realNanos() {
        return nanoTime.getAsLong();
    }
}
