package aurora.edge.gateway.outbox;

import aurora.edge.gateway.device.Channel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Per-device accounting of what the outbox never evicts (alerts, attestation, audit: everything but
 * telemetry), so one device cannot fill the disk with it during an outage. Counts the bytes each
 * device has stored and not yet purged; a device at its quota has its new such messages refused
 * until the sinks take what it has. The writer thread keeps the counts; intake reads
 * {@link #admits} from its own threads.
 */
final class DeviceQuota {
    private final long maxBytes;
    private final Map<String, Long> stored = new HashMap<>();
    private final Set<String> over = ConcurrentHashMap.newKeySet();

    DeviceQuota(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    static boolean counts(@Nullable String deviceId, Channel channel) {
        return deviceId != null && channel != Channel.TELEMETRY;
    }

    boolean admits(String deviceId) {
        return !over.contains(deviceId);
    }

    /** Whether a device with {@code pendingBytes} more in the open batch is at its quota. */
    boolean full(String deviceId, long pendingBytes) {
        return storedBytes(deviceId) + pendingBytes >= maxBytes;
    }

    long storedBytes(String deviceId) {
        return stored.getOrDefault(deviceId, 0L);
    }

    void load(Connection c) throws SQLException {
        stored.clear();
        over.clear();
        try (PreparedStatement ps = c.prepareStatement("SELECT device_id, SUM(length(event)) FROM outbox "
                        + "WHERE device_id IS NOT NULL AND channel <> 'TELEMETRY' GROUP BY device_id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                change(rs.getString(1), rs.getLong(2));
            }
        }
    }

    /** After a commit: {@code bytes} more of what {@link #counts} for this device. */
    void added(String deviceId, long bytes) {
        change(deviceId, bytes);
    }

    /** Before the rows {@code after < seq <= through} are purged: takes their bytes off their devices. */
    void purging(Connection c, long after, long through) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT device_id, SUM(length(event)) FROM outbox "
                        + "WHERE seq > ? AND seq <= ? AND held = 0 AND device_id IS NOT NULL AND channel <> 'TELEMETRY' GROUP BY device_id")) {
            ps.setLong(1, after);
            ps.setLong(2, through);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    change(rs.getString(1), -rs.getLong(2));
                }
            }
        }
    }

    private void change(String deviceId, long delta) {
        long now = stored.merge(deviceId, delta, Long::sum);
        if (now <= 0) {
            stored.remove(deviceId);
        }
        if (now >= maxBytes) {
            over.add(deviceId);
        } else {
            over.remove(deviceId);
        }
    }
}
