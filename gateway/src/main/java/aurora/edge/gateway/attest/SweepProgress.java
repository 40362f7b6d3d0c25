package aurora.edge.gateway.attest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * How far the sweep of a replaced manifest has come. Written by the attestation thread only (the
 * set of devices still to answer is its own); read from any thread as an immutable
 * {@link ManifestStatus} published through a volatile field, so {@code /status} needs no lock.
 */
final class SweepProgress {
    /** How a device still waiting for its re-attestation stands now. */
    enum Standing {
        OUTSTANDING,
        ANSWERED,
        UNRESPONSIVE
    }

    private final Clock clock;
    private final Set<String> outstanding = new LinkedHashSet<>();
    private volatile ManifestStatus current = ManifestStatus.none();

    private long fromSequence;
    private long toSequence;
    private @Nullable Instant startedAt;
    private @Nullable Instant completedAt;
    private int toEvaluate;
    private int evaluated;
    private int quarantined;
    private int issued;
    private int answered;
    private int unresponsive;

    SweepProgress(Clock clock) {
        this.clock = clock;
    }

    /** The state as of the last change; safe from any thread. */
    ManifestStatus snapshot() {
        return current;
    }

    /** The manifest read at start (no sweep: the devices were judged by it already). */
    void inForce(long sequence) {
        current = new ManifestStatus(sequence, null, current.lastRefused());
    }

    /** A replacement was taken: a new sweep over {@code devices} registered devices (an older one is abandoned). */
    void started(long from, long to, int devices) {
        outstanding.clear();
        fromSequence = from;
        toSequence = to;
        startedAt = clock.instant();
        completedAt = null;
        toEvaluate = devices;
        evaluated = 0;
        quarantined = 0;
        issued = 0;
        answered = 0;
        unresponsive = 0;
        publish();
    }

    /** One device re-evaluated and left as it was. */
    void unchanged() {
        evaluated++;
        publish();
    }

    /** One device re-evaluated and quarantined at once. */
    void quarantined() {
        evaluated++;
        quarantined++;
        publish();
    }

    /** One device re-evaluated and challenged again; the sweep waits for it to settle. */
    void reattesting(String deviceId) {
        evaluated++;
        issued++;
        outstanding.add(deviceId);
        publish();
    }

    /** A replacement refused; the sequence in force stays. */
    void refused(String problem, String detail) {
        ManifestStatus was = current;
        current = new ManifestStatus(
                was.sequence(),
                was.sweep(),
                new ManifestStatus.Refusal(problem, detail, clock.instant().toString()));
    }

    /** Asks how each device still outstanding stands (on the attestation thread, each sweep tick). */
    void refresh(Function<String, Standing> standing) {
        boolean changed = false;
        for (Iterator<String> it = outstanding.iterator(); it.hasNext(); ) {
            switch (standing.apply(it.next())) {
                case OUTSTANDING -> {
                    continue;
                }
                case ANSWERED -> answered++;
                case UNRESPONSIVE -> unresponsive++;
            }
            it.remove();
            changed = true;
        }
        if (changed) {
            publish();
        }
    }

    private void publish() {
        Instant started = startedAt;
        if (started == null) {
            return;
        }
        Instant now = clock.instant();
        boolean complete = evaluated == toEvaluate && outstanding.isEmpty();
        if (complete && completedAt == null) {
            completedAt = now;
        }
        Instant end = completedAt == null ? now : completedAt;
        double seconds = Math.max(0.001, Duration.between(started, end).toMillis() / 1000.0);
        Instant done = completedAt;
        current = new ManifestStatus(
                toSequence,
                new ManifestStatus.Sweep(
                        fromSequence,
                        toSequence,
                        started.toString(),
                        done == null ? null : done.toString(),
                        toEvaluate,
                        evaluated,
                        quarantined,
                        issued,
                        answered,
                        unresponsive,
                        outstanding.size(),
                        (answered + unresponsive) / seconds,
                        complete),
                current.lastRefused());
    }
}
