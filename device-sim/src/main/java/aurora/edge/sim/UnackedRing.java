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
        int removed = 0;
        while (!messages.isEmpty() && messages.peekFirst().seq <= watermark) {
            messages.pollFirst();
            removed++;
        }
        return removed;
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
