package aurora.edge.gateway.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Decides, on the writer thread, whether a device message is new or a resend, and keeps the
 * per-device acknowledgement watermark. Changes made while a batch is open live in an overlay
 * and reach the cache only after the batch commits, so a failed commit leaves no trace.
 */
final class SequenceTracker {
    private final Map<String, DeviceProgress> newestBoot = new HashMap<>();
    private final Map<String, DeviceProgress> overlay = new LinkedHashMap<>();
    private final Connection connection;

    SequenceTracker(Connection connection) {
        this.connection = connection;
    }

    /** The outcome of admitting one device message. */
    record Admission(boolean duplicate, long gapStart, DeviceProgress progress) {}

    Admission admit(String deviceId, long boot, long seq) throws SQLException {
        DeviceProgress progress = progressFor(deviceId, boot, seq);
        if (progress.isDuplicate(seq)) {
            return new Admission(true, 0, progress);
        }
        long gapStart = progress.accept(seq);
        return new Admission(false, gapStart, progress);
    }

    /** Every progress the open batch changed or looked at, to persist and to acknowledge. */
    Iterable<DeviceProgress> touched() {
        return overlay.values();
    }

    void committed() {
        for (DeviceProgress p : overlay.values()) {
            DeviceProgress cached = newestBoot.get(p.deviceId);
            if (cached == null || p.boot >= cached.boot) {
                newestBoot.put(p.deviceId, p);
            }
        }
        overlay.clear();
    }

    void rolledBack() {
        overlay.clear();
    }

    private DeviceProgress progressFor(String deviceId, long boot, long seq) throws SQLException {
        String key = deviceId + '\u0000' + boot;
        DeviceProgress open = overlay.get(key);
        if (open != null) {
            return open;
        }
        DeviceProgress cached = newestBoot.get(deviceId);
        DeviceProgress base;
        if (cached != null && cached.boot == boot) {
            base = cached.copy();
        } else {
            base = load(deviceId, boot);
            if (base == null) {
                base = new DeviceProgress(deviceId, boot, startingWatermark(deviceId, boot, seq, cached), new TreeSet<>());
            }
        }
        overlay.put(key, base);
        return base;
    }

    private @Nullable DeviceProgress load(String deviceId, long boot) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT contiguous_seq, pending FROM device_progress WHERE device_id = ? AND boot = ?")) {
            ps.setString(1, deviceId);
            ps.setLong(2, boot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? DeviceProgress.fromColumns(deviceId, boot, rs.getLong(1), rs.getString(2)) : null;
            }
        }
    }

    /**
     * The watermark of a boot the outbox has never seen. A new boot of a known device counts from
     * seq 1, so anything it skipped is a gap. On first sight of a device (or of an older boot) what
     * came before this seq was never the gateway's to acknowledge.
     */
    private long startingWatermark(String deviceId, long boot, long seq, @Nullable DeviceProgress cached) throws SQLException {
        Long newestKnown = cached != null ? Long.valueOf(cached.boot) : newestBootInDatabase(deviceId);
        return newestKnown != null && boot > newestKnown ? 0 : seq - 1;
    }

    private @Nullable Long newestBootInDatabase(String deviceId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT MAX(boot) FROM device_progress WHERE device_id = ?")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                long boot = rs.next() ? rs.getLong(1) : 0;
                return rs.wasNull() ? null : boot;
            }
        }
    }
}
