package aurora.edge.gateway.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides, on the writer thread, whether a device message is new, a resend, or the first of a
 * rewound stream, and keeps the per-device acknowledgement watermark. Changes made while a batch
 * is open live in an overlay and reach the cache only after the batch commits, so a failed commit
 * leaves no trace.
 *
 * <p>A <b>rewind</b> is a device that starts its seq over under a boot the gateway already has
 * (flash wiped, factory reset, firmware without a persistent boot counter). A message whose
 * {@code boot}/{@code seq} is already committed is a resend only if it could be one: a device
 * resends at most {@code resendWindow} messages, so a seq that far below the highest committed is
 * a rewind; and a message whose payload digest differs from the one committed under the same seq
 * is a rewind. A rewind starts a new epoch of that boot: the message ids of the new stream end in
 * {@code :r<epoch>} and its watermark starts again below the rewound seq.
 */
final class SequenceTracker {
    private final Map<String, DeviceProgress> newestBoot = new HashMap<>();
    private final Map<String, DeviceProgress> overlay = new LinkedHashMap<>();
    private final Set<String> devicesWithNewBoot = new LinkedHashSet<>();
    /**
     * Digest rings of cached progress that a commit replaced, reused by the next batches' copies. A batch
     * works on copies (so a failed commit leaves no trace), and each copy used to allocate a ring of
     * {@code resendWindow} ints: ~1 KB of garbage per device message at fleet rates, where every message
     * is its device's only one in its batch (bench/README.md "Allocation per message").
     */
    private final ArrayDeque<int[]> spareRings = new ArrayDeque<>();

    private final Connection connection;
    private final int resendWindow;
    private final long gapTimeoutMillis;
    /** Rings kept for reuse at most (one per device of a commit; 64 KB at the default window). */
    private static final int MAX_SPARE_RINGS = 64;

    SequenceTracker(Connection connection, int resendWindow, long gapTimeoutMillis) {
        this.connection = connection;
        this.resendWindow = resendWindow;
        this.gapTimeoutMillis = gapTimeoutMillis;
    }

    /**
     * The outcome of admitting one device message.
     *
     * @param rewoundFrom the highest seq of the previous epoch when this message started a new one, else 0
     * @param givenUp     missing seqs the bounded rule gave up while admitting it
     */
    record Admission(
            boolean duplicate,
            long gapStart,
            long rewoundFrom,
            DeviceProgress progress,
            List<DeviceProgress.GivenUp> givenUp) {}

    /**
     * @param digest a digest of the device's payload, 0 when unknown
     * @param now    epoch millis, for how long seqs have been missing
     */
    Admission admit(String deviceId, long boot, long seq, int digest, long now) throws SQLException {
        DeviceProgress progress = progressFor(deviceId, boot, seq, now);
        long rewoundFrom = 0;
        if (progress.isDuplicate(seq)) {
            if (!isRewind(progress, seq, digest)) {
                return new Admission(true, 0, 0, progress, progress.giveUp(now, resendWindow, gapTimeoutMillis));
            }
            rewoundFrom = progress.highest();
            progress = progress.rewound(seq, resendWindow);
            overlay.put(key(deviceId, boot), progress);
        }
        long gapStart = progress.accept(seq, now);
        progress.rememberDigest(seq, digest);
        return new Admission(
                false, gapStart, rewoundFrom, progress, progress.giveUp(now, resendWindow, gapTimeoutMillis));
    }

    private boolean isRewind(DeviceProgress progress, long seq, int digest) {
        return progress.highest() - seq >= resendWindow
                || progress.compareDigest(seq, digest) == RecentDigests.Match.DIFFERENT;
    }

    /** Every progress the open batch changed or looked at, to persist and to acknowledge. */
    Iterable<DeviceProgress> touched() {
        return overlay.values();
    }

    /** Devices for which the open batch created the row of a boot, so older boots may be pruned. */
    Set<String> devicesWithNewBoot() {
        return devicesWithNewBoot;
    }

    void committed() {
        for (DeviceProgress p : overlay.values()) {
            DeviceProgress cached = newestBoot.get(p.deviceId);
            if (cached == null || p.boot >= cached.boot) {
                newestBoot.put(p.deviceId, p);
                // The replaced progress is referenced nowhere else now (admissions are read within the batch).
                if (cached != null && cached != p && spareRings.size() < MAX_SPARE_RINGS) {
                    spareRings.push(cached.releaseRing());
                }
            }
        }
        overlay.clear();
        devicesWithNewBoot.clear();
    }

    void rolledBack() {
        overlay.clear();
        devicesWithNewBoot.clear();
    }

    private static String key(String deviceId, long boot) {
        return deviceId + '\u0000' + boot;
    }

    private DeviceProgress progressFor(String deviceId, long boot, long seq, long now) throws SQLException {
        String key = key(deviceId, boot);
        DeviceProgress open = overlay.get(key);
        if (open != null) {
            return open;
        }
        DeviceProgress cached = newestBoot.get(deviceId);
        DeviceProgress base;
        if (cached != null && cached.boot == boot) {
            int[] spare = spareRings.poll();
            base = spare == null ? cached.copy() : cached.copyInto(spare);
        } else {
            base = load(deviceId, boot, now);
            if (base == null) {
                base = DeviceProgress.fresh(
                        deviceId, boot, 0, startingWatermark(deviceId, boot, seq, cached), resendWindow);
                devicesWithNewBoot.add(deviceId);
            }
        }
        overlay.put(key, base);
        return base;
    }

    private @Nullable DeviceProgress load(String deviceId, long boot, long now) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT contiguous_seq, pending, epoch, digests FROM device_progress WHERE device_id = ? AND boot = ?")) {
            ps.setString(1, deviceId);
            ps.setLong(2, boot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? DeviceProgress.fromColumns(
                                deviceId,
                                boot,
                                rs.getInt(3),
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getBytes(4),
                                resendWindow,
                                now)
                        : null;
            }
        }
    }

    /**
     * The watermark of a boot the outbox has never seen. A new boot of a known device counts from
     * seq 1, so anything it skipped is a gap. On first sight of a device (or of an older boot) what
     * came before this seq was never the gateway's to acknowledge.
     */
    private long startingWatermark(String deviceId, long boot, long seq, @Nullable DeviceProgress cached)
            throws SQLException {
        Long newestKnown = cached != null ? Long.valueOf(cached.boot) : newestBootInDatabase(deviceId);
        return newestKnown != null && boot > newestKnown ? 0 : seq - 1;
    }

    private @Nullable Long newestBootInDatabase(String deviceId) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement("SELECT MAX(boot) FROM device_progress WHERE device_id = ?")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                long boot = rs.next() ? rs.getLong(1) : 0;
                return rs.wasNull() ? null : boot;
            }
        }
    }
}
