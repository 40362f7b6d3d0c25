package aurora.edge.sim;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The fleet-wide counters every device adds to; O(1) to snapshot whatever the fleet size. */
final class FleetCounters {
    final AtomicInteger connected = new AtomicInteger();
    final LongAdder sent = new LongAdder();
    final LongAdder resent = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder unacked = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder publishFailures = new LongAdder();
    final LongAdder commandsReceived = new LongAdder();
    final LongAdder commandsRefused = new LongAdder();
    final LongAdder malformedAcks = new LongAdder();
    final LongAdder connects = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder connectionLosses = new LongAdder();

    FleetStats snapshot(int deviceCount, double messagesPerSecond) {
        return new FleetStats(deviceCount, connected.get(), sent.sum(), resent.sum(), acked.sum(), unacked.sum(),
                dropped.sum(), publishFailures.sum(), commandsReceived.sum(), commandsRefused.sum(),
                malformedAcks.sum(), connects.sum(), connectFailures.sum(), connectionLosses.sum(), messagesPerSecond);
    }
}
