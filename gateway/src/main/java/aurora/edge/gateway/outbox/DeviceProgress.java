package aurora.edge.gateway.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What the outbox holds of one device's boot: the highest contiguous seq committed (the ack
 * watermark), the runs of seqs committed above it, when each missing stretch below a run was first
 * seen missing, the digests of the latest messages, and the epoch of this boot's stream (bumped
 * when the device rewinds its seq, see {@link SequenceTracker}). Mutable, owned by the writer
 * thread only.
 *
 * <p>The watermark never passes a missing seq by itself: the device may still hold it (the gateway
 * refused it, or a commit failed) and resends it after a reconnect. {@link #giveUp} is the one
 * bounded rule that passes it.
 */
final class DeviceProgress {
    /** At most this many separate missing stretches are tracked; past it the oldest is given up, so memory stays bounded. */
    static final int MAX_HOLES = 256;

    final String deviceId;
    final long boot;
    final int epoch;
    private long contiguous;
    /** Runs of committed seqs above the watermark: start -> run; the stretch just below each start is missing. */
    private final NavigableMap<Long, Run> runs;

    private final RecentDigests digests;

    /** Seqs {@code start..end} are committed; the seqs just below {@code start} have been missing since {@code missingSince} (epoch millis). */
    record Run(long end, long missingSince) {}

    /** Missing seqs {@code first..last} given up for {@code reason} ({@code window} or {@code holes}). */
    record GivenUp(long first, long last, String reason) {}

    DeviceProgress(
            String deviceId,
            long boot,
            int epoch,
            long contiguous,
            NavigableMap<Long, Run> runs,
            RecentDigests digests) {
        this.deviceId = deviceId;
        this.boot = boot;
        this.epoch = epoch;
        this.contiguous = contiguous;
        this.runs = runs;
        this.digests = digests;
    }

    static DeviceProgress fresh(String deviceId, long boot, int epoch, long contiguous, int digestWindow) {
        return new DeviceProgress(deviceId, boot, epoch, contiguous, new TreeMap<>(), new RecentDigests(digestWindow));
    }

    /**
     * Reads the {@code pending} column: {@code start-end@since} per run, or the older form, one
     * seq per entry without a time (those count as missing since {@code loadedAt}).
     */
    static DeviceProgress fromColumns(
            String deviceId,
            long boot,
            int epoch,
            long contiguous,
            String pending,
            byte[] digestColumn,
            int digestWindow,
            long loadedAt) {
        DeviceProgress p = new DeviceProgress(
                deviceId,
                boot,
                epoch,
                contiguous,
                new TreeMap<>(),
                RecentDigests.fromColumn(digestWindow, digestColumn));
        if (pending != null && !pending.isEmpty()) {
            for (String entry : pending.split(",")) {
                int at = entry.indexOf('@');
                String range = at < 0 ? entry : entry.substring(0, at);
                long since = at < 0 ? loadedAt : Long.parseLong(entry.substring(at + 1));
                int dash = range.indexOf('-');
                long start = Long.parseLong(dash < 0 ? range : range.substring(0, dash));
                long end = dash < 0 ? start : Long.parseLong(range.substring(dash + 1));
                if (dash < 0) {
                    p.accept(start, since); // the older form: merged into runs as it is read
                } else {
                    p.runs.put(start, new Run(end, since));
                }
            }
        }
        return p;
    }

    DeviceProgress copy() {
        return new DeviceProgress(deviceId, boot, epoch, contiguous, new TreeMap<>(runs), digests.copy());
    }

    /** As {@link #copy}, with the digests written into {@code spareRing} (see {@link #releaseRing}). */
    DeviceProgress copyInto(int[] spareRing) {
        return new DeviceProgress(deviceId, boot, epoch, contiguous, new TreeMap<>(runs), digests.copyInto(spareRing));
    }

    /** Hands the digest ring over for a later {@link #copyInto}: this object must not be used again. */
    int[] releaseRing() {
        return digests.release();
    }

    /** The same boot's stream started over at {@code seq}: a new epoch, nothing known of it yet. */
    DeviceProgress rewound(long seq, int digestWindow) {
        return fresh(deviceId, boot, epoch + 1, seq - 1, digestWindow);
    }

    long contiguous() {
        return contiguous;
    }

    /** The highest seq committed in this epoch. */
    long highest() {
        return runs.isEmpty() ? contiguous : runs.lastEntry().getValue().end();
    }

    String pendingCsv() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Long, Run> r : runs.entrySet()) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(r.getKey())
                    .append('-')
                    .append(r.getValue().end())
                    .append('@')
                    .append(r.getValue().missingSince());
        }
        return b.toString();
    }

    byte[] digestColumn() {
        return digests.toColumn();
    }

    boolean isDuplicate(long seq) {
        if (seq <= contiguous) {
            return true;
        }
        Map.Entry<Long, Run> r = runs.floorEntry(seq);
        return r != null && seq <= r.getValue().end();
    }

    RecentDigests.Match compareDigest(long seq, int digest) {
        return digests.compare(seq, digest);
    }

    void rememberDigest(long seq, int digest) {
        digests.remember(seq, digest);
    }

    /**
     * Records a new seq (not a duplicate) committed at {@code now}. Returns the first missing seq
     * when this one jumps past a stretch that was not already known missing, or 0 when it opens no
     * new gap.
     */
    long accept(long seq, long now) {
        if (seq == contiguous + 1) {
            contiguous = seq;
            absorbFirstRun();
            return 0;
        }
        long newGapStart = seq > highest() + 1 ? highest() + 1 : 0;
        Map.Entry<Long, Run> below = runs.floorEntry(seq);
        Map.Entry<Long, Run> above = runs.higherEntry(seq);
        // The stretch below seq was missing since the run above it saw it missing, or since now when it opens here.
        long missingSince = above != null && newGapStart == 0 ? above.getValue().missingSince() : now;
        long start = seq;
        long end = seq;
        if (below != null && below.getValue().end() == seq - 1) {
            start = below.getKey();
            missingSince = below.getValue().missingSince();
        }
        if (above != null && above.getKey() == seq + 1) {
            end = above.getValue().end();
            runs.remove(above.getKey());
        }
        runs.put(start, new Run(end, missingSince));
        return newGapStart;
    }

    /**
     * The bounded rule that lets the watermark pass missing seqs, oldest stretch first. A stretch
     * is given up when more than {@code window} seqs above it are committed (a device keeps at most
     * that many unacknowledged messages, so it has dropped the missing ones) <em>and</em> it has
     * been missing for at least {@code timeoutMillis} (the device has had time to reconnect and
     * resend); or when more than {@link #MAX_HOLES} stretches are missing.
     */
    List<GivenUp> giveUp(long now, int window, long timeoutMillis) {
        List<GivenUp> given = new ArrayList<>(0);
        while (!runs.isEmpty()) {
            Map.Entry<Long, Run> first = runs.firstEntry();
            String reason;
            if (runs.size() > MAX_HOLES) {
                reason = "holes";
            } else if (storedAbove() > window && now - first.getValue().missingSince() >= timeoutMillis) {
                reason = "window";
            } else {
                break;
            }
            given.add(new GivenUp(contiguous + 1, first.getKey() - 1, reason));
            contiguous = first.getKey() - 1;
            absorbFirstRun();
        }
        return given;
    }

    private long storedAbove() {
        long n = 0;
        for (Map.Entry<Long, Run> r : runs.entrySet()) {
            n += r.getValue().end() - r.getKey() + 1;
        }
        return n;
    }

    private void absorbFirstRun() {
        Map.Entry<Long, Run> first = runs.firstEntry();
        if (first != null && first.getKey() == contiguous + 1) {
            contiguous = first.getValue().end();
            runs.remove(first.getKey());
        }
    }
}
