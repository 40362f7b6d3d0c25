package aurora.edge.gateway.mqttsn;

/**
 * One token bucket for all HelloVerifyRequests ({@code mqttsn.dtls.hello_verify_per_second}, a
 * burst of as many). The cookie exchange keeps no state per source, so its source addresses may
 * all be spoofed: a bucket per address would not bound what the gateway reflects at a victim, one
 * bucket for the whole listener does.
 */
final class DtlsHelloVerifyBudget {
    private final double tokensPerNano;
    private final double burst;
    private double tokens;
    private long refilledAtNanos;

    DtlsHelloVerifyBudget(int perSecond, long nowNanos) {
        this.tokensPerNano = perSecond / 1e9;
        this.burst = perSecond;
        this.tokens = perSecond;
        this.refilledAtNanos = nowNanos;
    }

    /** Whether one more HelloVerifyRequest may be sent now; takes its token if so. */
    synchronized boolean tryAcquire(long nowNanos) {
        tokens = Math.min(burst, tokens + Math.max(0, nowNanos - refilledAtNanos) * tokensPerNano);
        refilledAtNanos = nowNanos;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
