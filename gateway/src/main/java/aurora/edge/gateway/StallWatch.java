package aurora.edge.gateway;

import java.time.Duration;
import java.util.Optional;

/**
 * Decides whether the outbox writer is stuck: work is waiting, yet the committed sequence has not
 * moved for longer than a bound. Pure, so the rule is tested without a stuck database.
 */
final class StallWatch {
    private final long boundMillis;
    private long lastSeq = -1;
    private long unchangedSinceMillis;

    StallWatch(Duration bound) {
        this.boundMillis = bound.toMillis();
    }

    synchronized Optional<String> check(long committedSeq, long waitingEvents, long nowMillis) {
        if (waitingEvents == 0 || committedSeq != lastSeq) {
            lastSeq = committedSeq;
            unchangedSinceMillis = nowMillis;
            return Optional.empty();
        }
        long stuckMillis = nowMillis - unchangedSinceMillis;
        if (stuckMillis < boundMillis) {
            return Optional.empty();
        }
        return Optional.of("outbox committed nothing for " + stuckMillis / 1000 + "s while " + waitingEvents
                + " events wait (last_seq " + committedSeq + ")");
    }
}
