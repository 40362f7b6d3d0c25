package aurora.edge.gateway.console;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@link #WINDOW_SAMPLES} pipeline samples (15 minutes at one every
 * {@link Console#SAMPLE_INTERVAL}), in memory: what the console's live charts draw. The ingest
 * rate is the difference of the accepted count between two samples.
 */
final class PipelineHistory {
    static final int WINDOW_SAMPLES = 180;

    /** A sample with the ingest rate since the one before it. */
    record Point(PipelineSample sample, double ingestPerSecond) {}

    private final ArrayDeque<Point> ring = new ArrayDeque<>(WINDOW_SAMPLES);
    private PipelineSample last;

    synchronized void add(PipelineSample s) {
        double rate = 0;
        if (last != null && s.atMillis() > last.atMillis() && s.accepted() >= last.accepted()) {
            rate = (s.accepted() - last.accepted()) * 1000.0 / (s.atMillis() - last.atMillis());
        }
        last = s;
        if (ring.size() == WINDOW_SAMPLES) {
            ring.removeFirst();
        }
        ring.addLast(new Point(s, rate));
    }

    /** Oldest first. */
    synchronized List<Point> points() {
        return new ArrayList<>(ring);
    }
}
