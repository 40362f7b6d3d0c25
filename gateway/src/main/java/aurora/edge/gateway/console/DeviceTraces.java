package aurora.edge.gateway.console;

import aurora.edge.gateway.device.TraceEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live traces of single devices, EMQX-style: an operator starts one for {@link #DURATION}; while it
 * runs, each message of the device and what was decided about it go into a ring of the last
 * {@link #RING} events. Bounded: at most {@link #MAX_TRACES} devices at once (a finished trace stays
 * readable until its place is needed), so tracing costs at most a few megabytes; when nothing is
 * traced, asking costs one look at an empty map.
 */
final class DeviceTraces {
    static final Duration DURATION = Duration.ofMinutes(10);
    static final int RING = 200;
    static final int MAX_TRACES = 32;

    /** One device's trace. */
    static final class Trace {
        final String deviceId;
        final Instant startedAt;
        final Instant until;
        final String operator;
        private final ArrayDeque<TraceEvent> ring = new ArrayDeque<>(RING);
        private long recorded;

        Trace(String deviceId, Instant startedAt, String operator) {
            this.deviceId = deviceId;
            this.startedAt = startedAt;
            this.until = startedAt.plus(DURATION);
            this.operator = operator;
        }

        synchronized void add(TraceEvent e) {
            if (ring.size() == RING) {
                ring.removeFirst();
            }
            ring.addLast(e);
            recorded++;
        }

        /** The kept events, newest first, and how many were recorded in all. */
        synchronized List<TraceEvent> newestFirst() {
            List<TraceEvent> out = new java.util.ArrayList<>(ring);
            java.util.Collections.reverse(out);
            return out;
        }

        synchronized long recorded() {
            return recorded;
        }

        boolean activeAt(long millis) {
            return millis < until.toEpochMilli();
        }
    }

    /** The outcome of a request to start a trace. */
    sealed interface Start {
        record Started(Trace trace) implements Start {}

        record Full(int max) implements Start {}
    }

    private final Clock clock;
    private final Map<String, Trace> traces = new ConcurrentHashMap<>();

    DeviceTraces(Clock clock) {
        this.clock = clock;
    }

    boolean tracing(String deviceId) {
        if (traces.isEmpty()) {
            return false;
        }
        Trace t = traces.get(deviceId);
        return t != null && t.activeAt(clock.millis());
    }

    void record(String deviceId, TraceEvent event) {
        Trace t = traces.get(deviceId);
        if (t != null && t.activeAt(clock.millis())) {
            t.add(event);
        }
    }

    /** Starts (or restarts, with an empty ring) the device's trace, unless {@link #MAX_TRACES} other devices are traced now. */
    synchronized Start start(String deviceId, String operator) {
        long now = clock.millis();
        if (!traces.containsKey(deviceId) && traces.size() >= MAX_TRACES) {
            traces.values().removeIf(t -> !t.activeAt(now));
            if (traces.size() >= MAX_TRACES) {
                return new Start.Full(MAX_TRACES);
            }
        }
        Trace trace = new Trace(deviceId, clock.instant(), operator);
        traces.put(deviceId, trace);
        return new Start.Started(trace);
    }

    Optional<Trace> find(String deviceId) {
        return Optional.ofNullable(traces.get(deviceId));
    }

    boolean active(Trace t) {
        return t.activeAt(clock.millis());
    }
}
