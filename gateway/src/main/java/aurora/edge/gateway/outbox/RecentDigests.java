package aurora.edge.gateway.outbox;

import java.nio.ByteBuffer;

/**
 * A short digest of each of a device's last {@code window} messages, by seq, so a message that
 * repeats an id but not its content is recognised as a rewound stream rather than a resend.
 * A digest of 0 means "not known" (an old row, or a caller that has no payload). Owned by the
 * writer thread.
 */
final class RecentDigests {
    private final int[] ring;
    /** The highest seq remembered; the ring holds {@code top - window + 1 .. top}. */
    private long top;

    RecentDigests(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, found " + window);
        }
        this.ring = new int[window];
    }

    /** What a stored digest says about a message with this seq and digest. */
    enum Match {
        SAME,
        DIFFERENT,
        UNKNOWN
    }

    private RecentDigests(int[] ring, long top) {
        this.ring = ring;
        this.top = top;
    }

    RecentDigests copy() {
        return copyInto(new int[ring.length]);
    }

    /**
     * A copy written into {@code spare}, a ring that nothing else holds any more (see {@link #release}); a
     * new one when its window differs.
     */
    RecentDigests copyInto(int[] spare) {
        int[] into = spare.length == ring.length ? spare : new int[ring.length];
        System.arraycopy(ring, 0, into, 0, ring.length);
        return new RecentDigests(into, top);
    }

    /** Hands this ring over for a later {@link #copyInto}: this object must not be used again. */
    int[] release() {
        return ring;
    }

    void remember(long seq, int digest) {
        if (seq > top) {
            for (long s = Math.max(top + 1, seq - ring.length + 1); s < seq; s++) {
                ring[slot(s)] = 0;
            }
            top = seq;
        } else if (seq <= top - ring.length) {
            return;
        }
        ring[slot(seq)] = digest;
    }

    Match compare(long seq, int digest) {
        if (digest == 0 || seq > top || seq <= top - ring.length) {
            return Match.UNKNOWN;
        }
        int stored = ring[slot(seq)];
        return stored == 0 ? Match.UNKNOWN : stored == digest ? Match.SAME : Match.DIFFERENT;
    }

    /** 8 bytes of {@code top}, then the digests of {@code top - n + 1 .. top}, 4 bytes each. */
    byte[] toColumn() {
        int n = (int) Math.min(ring.length, top);
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * n).putLong(top);
        for (long s = top - n + 1; s <= top; s++) {
            b.putInt(ring[slot(s)]);
        }
        return b.array();
    }

    /** Reads {@link #toColumn}; the window may have changed since it was written, so only the newest that fit are kept. */
    static RecentDigests fromColumn(int window, byte[] column) {
        RecentDigests d = new RecentDigests(window);
        if (column == null || column.length < 8) {
            return d;
        }
        ByteBuffer b = ByteBuffer.wrap(column);
        long top = b.getLong();
        int n = (column.length - 8) / 4;
        for (long s = top - n + 1; s <= top; s++) {
            int digest = b.getInt();
            if (s > top - window) {
                d.remember(s, digest);
            }
        }
        d.top = Math.max(d.top, top);
        return d;
    }

    private int slot(long seq) {
        return (int) Math.floorMod(seq, (long) ring.length);
    }
}
