package aurora.edge.gateway.outbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The outbox facts shared between the writer thread and the forwarders: how far commits have got
 * (with a signal forwarders wait on) and where each sink's cursor stands in memory and on disk.
 */
final class OutboxState {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition newCommit = lock.newCondition();
    private volatile long committedSeq;
    private volatile long purgedThrough;
    private final Map<String, Long> latestCursor = new ConcurrentHashMap<>();
    private final Map<String, Long> savedCursor = new ConcurrentHashMap<>();
    /** Cursors that hold rows back from purging (a sink's main cursor, not its priority lane). */
    private final java.util.Set<String> purgeBinding = ConcurrentHashMap.newKeySet();

    void committed(long seq) {
        lock.lock();
        try {
            committedSeq = seq;
            newCommit.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long committedSeq() {
        return committedSeq;
    }

    /** Waits until something after {@code seq} is committed; returns whether it was. */
    boolean awaitCommitAfter(long seq, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            while (committedSeq <= seq) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                newCommit.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    void registerSink(String sink, long savedSeq, boolean bindsPurge) {
        savedCursor.put(sink, savedSeq);
        latestCursor.put(sink, savedSeq);
        if (bindsPurge) {
            purgeBinding.add(sink);
        }
    }

    void advance(String sink, long seq) {
        latestCursor.merge(sink, seq, Math::max);
    }

    long cursor(String sink) {
        Long c = latestCursor.get(sink);
        if (c == null) {
            throw new IllegalArgumentException("unknown sink " + sink + ", registered: " + latestCursor.keySet());
        }
        return c;
    }

    Map<String, Long> cursors() {
        return Map.copyOf(latestCursor);
    }

    boolean cursorsDirty() {
        for (Map.Entry<String, Long> e : latestCursor.entrySet()) {
            if (e.getValue() > savedCursor.getOrDefault(e.getKey(), 0L)) {
                return true;
            }
        }
        return false;
    }

    Map<String, Long> cursorsToSave() {
        Map<String, Long> dirty = new java.util.HashMap<>();
        latestCursor.forEach((sink, seq) -> {
            if (seq > savedCursor.getOrDefault(sink, 0L)) {
                dirty.put(sink, seq);
            }
        });
        return dirty;
    }

    void cursorsSaved(Map<String, Long> saved) {
        saved.forEach((sink, seq) -> savedCursor.merge(sink, seq, Math::max));
    }

    /** The highest seq every registered sink has durably passed; 0 with no sinks registered. */
    long lowestSavedCursor() {
        return purgeBinding.stream()
                .mapToLong(s -> savedCursor.getOrDefault(s, 0L))
                .min()
                .orElse(0);
    }

    long purgedThrough() {
        return purgedThrough;
    }

    void purged(long seq) {
        purgedThrough = seq;
    }
}
