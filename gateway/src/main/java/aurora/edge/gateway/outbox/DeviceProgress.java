package aurora.edge.gateway.outbox;

import java.util.Arrays;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What the outbox holds of one device's boot: the highest contiguous seq committed (the ack
 * watermark) and the seqs committed above it. Mutable, owned by the writer thread only.
 */
final class DeviceProgress {
    /** Past this many out-of-order seqs the missing ones are given up as lost, so memory stays bounded. */
    static final int MAX_PENDING = 1024;

    final String deviceId;
    final long boot;
    private long contiguous;
    private final NavigableSet<Long> pending;

    DeviceProgress(String deviceId, long boot, long contiguous, NavigableSet<Long> pending) {
        this.deviceId = deviceId;
        this.boot = boot;
        this.contiguous = contiguous;
        this.pending = pending;
    }

    static DeviceProgress fromColumns(String deviceId, long boot, long contiguous, String pendingCsv) {
        TreeSet<Long> pending = new TreeSet<>();
        if (!pendingCsv.isEmpty()) {
            Arrays.stream(pendingCsv.split(",")).map(Long::parseLong).forEach(pending::add);
        }
        return new DeviceProgress(deviceId, boot, contiguous, pending);
    }

    DeviceProgress copy() {
        return new DeviceProgress(deviceId, boot, contiguous, new TreeSet<>(pending));
    }

    long contiguous() {
        return contiguous;
    }

    String pendingCsv() {
        return pending.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    boolean isDuplicate(long seq) {
        return seq <= contiguous || pending.contains(seq);
    }

    /**
     * Records a new seq. Returns the first missing seq when this one jumps past a gap that was not
     * already known, or 0 when it opens no new gap.
     */
    long accept(long seq) {
        long newGapStart = 0;
        if (seq == contiguous + 1) {
            contiguous = seq;
            while (!pending.isEmpty() && pending.first() == contiguous + 1) {
                contiguous = pending.pollFirst();
            }
        } else {
            long highestSeen = pending.isEmpty() ? contiguous : pending.last();
            if (seq > highestSeen + 1) {
                newGapStart = highestSeen + 1;
            }
            pending.add(seq);
            if (pending.size() > MAX_PENDING) {
                // The oldest hole will not be filled any more; the gap was audited when it opened.
                contiguous = pending.pollFirst();
                while (!pending.isEmpty() && pending.first() == contiguous + 1) {
                    contiguous = pending.pollFirst();
                }
            }
        }
        return newGapStart;
    }
}
