package aurora.edge.gateway.mqttsn;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * A token bucket per source address for DTLS handshakes ({@code mqttsn.dtls.handshakes_per_minute_per_address}).
 * Only addresses that returned a cookie reach it, so its keys are real addresses; it forgets
 * full buckets when it holds too many, so its memory stays bounded all the same.
 */
final class DtlsHandshakeRate {
    private static final int MAX_TRACKED = 10_000;

    private final double tokensPerNano;
    private final double burst;
    private final Map<InetAddress, double[]> buckets = new HashMap<>();

    /** Each bucket is {tokens, refilledAtNanos}. */
    DtlsHandshakeRate(int perMinute) {
        this.tokensPerNano = perMinute / 60e9;
        this.burst = perMinute;
    }

    synchronized boolean tryAcquire(InetAddress source, long nowNanos) {
        if (buckets.size() >= MAX_TRACKED) {
            buckets.values().removeIf(b -> refill(b, nowNanos) >= burst);
            if (buckets.size() >= MAX_TRACKED) {
                buckets.clear();
            }
        }
        double[] b = buckets.computeIfAbsent(source, a -> new double[] {burst, nowNanos});
        if (refill(b, nowNanos) < 1) {
            return false;
        }
        b[0] -= 1;
        return true;
    }

    private double refill(double[] b, long nowNanos) {
        b[0] = Math.min(burst, b[0] + (nowNanos - (long) b[1]) * tokensPerNano);
        b[1] = nowNanos;
        return b[0];
    }
}
