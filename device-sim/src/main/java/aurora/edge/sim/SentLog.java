package aurora.edge.sim;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Which (boot, seq) a device has published at least once, as runs of consecutive seqs: first publishes happen in
 * seq order, so a device that never dropped a message has one run per boot, 24 bytes, however long it ran.
 */
final class SentLog {
    private long[] runs = new long[3]; // (boot, firstSeq, lastSeq) triples
    private int size; // triples in use

    void add(long boot, long seq) {
        if (size > 0) {
            int last = (size - 1) * 3;
            if (runs[last] == boot && runs[last + 2] + 1 == seq) {
                runs[last + 2] = seq;
                return;
            }
        }
        if ((size + 1) * 3 > runs.length) {
            runs = Arrays.copyOf(runs, runs.length * 2);
        }
        int at = size * 3;
        runs[at] = boot;
        runs[at + 1] = seq;
        runs[at + 2] = seq;
        size++;
    }

    /** Calls {@code action} with {@code {deviceId}:{boot}:{seq}} for every entry, in publish order. */
    void forEachId(String deviceId, Consumer<String> action) {
        for (int r = 0; r < size; r++) {
            long boot = runs[r * 3];
            for (long seq = runs[r * 3 + 1]; seq <= runs[r * 3 + 2]; seq++) {
                action.accept(WireFormat.messageId(deviceId, boot, seq));
            }
        }
    }

    long count() {
        long n = 0;
        for (int r = 0; r < size; r++) {
            n += runs[r * 3 + 2] - runs[r * 3 + 1] + 1;
        }
        return n;
    }
}
