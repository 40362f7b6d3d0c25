package aurora.edge.gateway.intake;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per device: {@code ratePerSecond} events a second on average, bursts up to
 * {@code burst}. Holds a flooding or reconnect-storming device to its share so it cannot slow the
 * others; a coin-cell sensor sends a handful of messages a minute and connects rarely, so an
 * honest device never meets the limit.
 */
public final class RateLimiter {
    private final double ratePerNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.refilledAt = at;
        }
    }

    public RateLimiter(double ratePerSecond, int burst, LongSupplier nanoTime) {
        if (ratePerSecond <= 0) throw new IllegalArgumentException("ratePerSecond must be > 0, found " + ratePerSecond);
        if (burst < 1) throw new IllegalArgumentException("burst must be >= 1, found " + burst);
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Takes one token for the device; false when it has none left (the message is refused). */
    public boolean tryAcquire(String deviceId) {
        long now = nanoTime.getAsLong();
        Bucket b = buckets.computeIfAbsent(deviceId, id -> new Bucket(burst, now));
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (now - b.refilledAt) * ratePerNano);
            b.refilledAt = now;
            if (b.tokens < 1) {
                return false;
            }
            b.tokens -= 1;
            return true;
        }
    }
}
