package aurora.edge.gateway.audit;

import java.time.Clock;

/**
 * A token bucket for the gateway's own audit events: {@code perMinute} tokens a minute, a minute's
 * worth at most in hand. Thread-safe.
 */
final class AuditBudget {
    private final double perMilli;
    private final double capacity;
    private final Clock clock;
    private double tokens;
    private long last;

    AuditBudget(int perMinute, Clock clock) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be >= 1, found " + perMinute);
        }
        this.perMilli = perMinute / 60_000.0;
        this.capacity = perMinute;
        this.clock = clock;
        this.tokens = perMinute;
        this.last = clock.millis();
    }

    synchronized boolean tryAcquire() {
        long now = clock.millis();
        tokens = Math.min(capacity, tokens + Math.max(0, now - last) * perMilli);
        last = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
