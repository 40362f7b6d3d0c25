package aurora.edge.sim;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

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
    final LongAdder produced = new LongAdder();
    final LongAdder attestationsAnswered = new LongAdder();
    final LongAdder reboots = new LongAdder();
    final LongAdder brownOuts = new LongAdder();
    final AtomicInteger devicesBrownedOut = new AtomicInteger();
    final AtomicInteger devicesDead = new AtomicInteger();
    final LongAdder lostOnReboot = new LongAdder();
    final LongAdder hostileInjected = new LongAdder();
    final LongAdder[] injectedBy = adders(Behaviour.values().length);
    final LongAdder[] alertsBySeverity = adders(AlertKind.count());
    /** Publish → ack watermark, microseconds; up to an hour, 3 significant digits. */
    final Recorder ackLatencyMicros = new Recorder(3_600_000_000L, 3);

    FleetStats snapshot(int deviceCount, double messagesPerSecond) {
        return new FleetStats(
                deviceCount,
                connected.get(),
                sent.sum(),
                resent.sum(),
                acked.sum(),
                unacked.sum(),
                dropped.sum(),
                publishFailures.sum(),
                commandsReceived.sum(),
                commandsRefused.sum(),
                malformedAcks.sum(),
                connects.sum(),
                connectFailures.sum(),
                connectionLosses.sum(),
                messagesPerSecond,
                produced.sum(),
                attestationsAnswered.sum(),
                reboots.sum(),
                brownOuts.sum(),
                devicesBrownedOut.get(),
                devicesDead.get(),
                lostOnReboot.sum(),
                hostileInjected.sum());
    }

    void injected(Behaviour behaviour) {
        hostileInjected.increment();
        injectedBy[behaviour.ordinal()].increment();
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }
}
