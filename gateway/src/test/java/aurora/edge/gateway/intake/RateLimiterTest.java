package aurora.edge.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final AtomicLong now = new AtomicLong();
    private final RateLimiter limiter = new RateLimiter(10, 20, now::get);

    @Test
    void aBurstIsAllowedThenTheRateHolds() {
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            if (limiter.tryAcquire("flood")) allowed++;
        }
        assertThat(allowed).isEqualTo(20);
        now.addAndGet(1_000_000_000L);
        allowed = 0;
        for (int i = 0; i < 100; i++) {
            if (limiter.tryAcquire("flood")) allowed++;
        }
        assertThat(allowed).isEqualTo(10);
    }

    @Test
    void oneDevicesFloodDoesNotTouchAnother() {
        for (int i = 0; i < 100; i++) limiter.tryAcquire("flood");
        assertThat(limiter.tryAcquire("honest")).isTrue();
    }
}
