package aurora.edge.sim;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect delays: {@code initial} doubled per failed attempt up to {@code max}, each with ±25 % jitter so a
 * fleet that lost its broker does not come back in lock-step.
 */
public record Backoff(Duration initial, Duration max) {
    /** 200 ms doubling to 5 s: a simulator for tests and demos, where a restarted gateway should be found fast. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial must be > 0, found: " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max must be >= initial (" + initial + "), found: " + max);
        }
    }

    /** The delay before attempt number {@code failedAttempts + 1}, in nanoseconds, jitter included. */
    long delayNanos(int failedAttempts) {
        long base = initial.toNanos();
        long cap = max.toNanos();
        long delay = failedAttempts >= 62 ? cap : Math.min(cap, base << Math.min(failedAttempts, 30));
        if (delay < 0) {
            delay = cap;
        }
        double jitter = 0.75 + 0.5 * ThreadLocalRandom.current().nextDouble();
        return Math.max(1, (long) (delay * jitter));
    }
}
