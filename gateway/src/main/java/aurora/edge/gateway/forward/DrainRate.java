package aurora.edge.gateway.forward;

import java.util.ArrayDeque;

/**
 * Events per second a sink acknowledged over the last window, from samples of its running total.
 * Written by the forwarder thread, read by status and metrics.
 */
final class DrainRate {
    private static final long WINDOW_MILLIS = 10_000;

    private record Sample(long atMillis, long total) {}

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private volatile double perSecond;

    synchronized void sample(long nowMillis, long deliveredTotal) {
        Sample last = samples.peekLast();
        if (last != null && nowMillis - last.atMillis() < 1000) {
            return;
        }
        samples.addLast(new Sample(nowMillis, deliveredTotal));
        while (samples.size() > 2 && nowMillis - samples.peekFirst().atMillis() > WINDOW_MILLIS) {
            samples.pollFirst();
        }
        Sample first = samples.peekFirst();
        long span = nowMillis - first.atMillis();
        perSecond = span <= 0 ? 0 : (deliveredTotal - first.total()) * 1000.0 / span;
    }

    double perSecond() {
        return perSecond;
    }
}
