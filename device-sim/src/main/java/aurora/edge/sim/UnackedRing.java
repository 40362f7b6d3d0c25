package aurora.edge.sim;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A device's bounded RAM ring of unacknowledged messages, oldest first, seq strictly increasing. Not thread-safe:
 * its device guards it.
 */
final class UnackedRing {
    private final int capacity;
    private final ArrayDeque<PendingMessage> messages;

    UnackedRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, found: " + capacity);
        }
        this.capacity = capacity;
        this.messages = new ArrayDeque<>(Math.min(capacity, 16));
    }

    /** Appends {@code message}; when the ring is full, first removes and returns the oldest, else returns null. */
    PendingMessage add(PendingMessage message) {
        PendingMessage last = messages.peekLast();
        if (last != null && message.seq <= last.seq) {
            throw new IllegalArgumentException("seq must increase, last " + last.seq + ", found: " + message.seq);
        }
        PendingMessage dropped = messages.size() == capacity ? messages.pollFirst() : null;
        messages.addLast(message);
        return dropped;
    }

    /** Removes every message with {@code seq <= watermark}; returns how many. */
    int ackThrough(long watermark) {
        return ackThrough(watermark, m -> {});
    }

    /** Removes every message with {@code seq <= watermark}, handing each to {@code removed}; returns how many. */
    int ackThrough(long watermark, Consumer<PendingMessage> removed) {
        int count = 0;
        while (!messages.isEmpty() && messages.peekFirst().seq <= watermark) {
            removed.accept(messages.pollFirst());
            count++;
        }
        return count;
    }

    /** Empties the ring (the device lost its RAM); returns how many messages were lost. */
    int clear() {
        int lost = messages.size();
        messages.clear();
        return lost;
    }

    /** Visits the messages oldest first. */
    void forEach(Consumer<PendingMessage> action) {
        messages.forEach(action);
    }

    int size() {
        return messages.size();
    }

    int capacity() {
        return capacity;
    }
}
