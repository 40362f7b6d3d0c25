package aurora.edge.gateway.outbox;

import aurora.edge.gateway.device.Channel;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Device data held until attestation decides about the device: how many rows each device has held
 * (reserved by intake before it offers, so the bound holds per device), and, on the writer
 * thread, the SQL that releases or refuses them. Releasing re-inserts each held row under a new
 * seq after everything committed, in the rows' own order, so the sinks' cursors (long past the
 * held rows) reach them and per-device order is kept; a refusal re-inserts them as audit events.
 */
final class HeldRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    /** Release decisions queued but not yet committed, per device (see {@link Outbox#releaseQueued}). */
    private final Map<String, Integer> releasesQueued = new ConcurrentHashMap<>();

    private record Row(String messageId, String channel, String severity, long acceptedAt, byte[] event) {}

    /** What one decision did, for the writer's byte budget, audit trail and meters. */
    record Applied(HoldDecision decision, int rows, long bytesBefore, long bytesAfter, List<AuditTrail.Entry> audits) {}

    /** Reads the held rows per device; on the writer's connection, inside its transaction. */
    void load(Connection c) throws SQLException {
        counts.clear();
        try (PreparedStatement ps =
                        c.prepareStatement("SELECT device_id, COUNT(*) FROM outbox WHERE held = 1 GROUP BY device_id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getInt(2));
            }
        }
    }

    /** Claims room for one more held event of the device; false when it already has {@code max}. Any thread. */
    boolean reserve(String deviceId, int max) {
        boolean[] taken = {false};
        counts.compute(deviceId, (id, n) -> {
            int now = n == null ? 0 : n;
            if (now >= max) {
                return n;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    /** A reserved event that was not stored (a duplicate). */
    void unreserve(String deviceId) {
        counts.computeIfPresent(deviceId, (id, n) -> n <= 1 ? null : n - 1);
    }

    int heldBy(String deviceId) {
        return counts.getOrDefault(deviceId, 0);
    }

    long total() {
        return counts.values().stream().mapToLong(Integer::longValue).sum();
    }

    Set<String> devices() {
        return Set.copyOf(counts.keySet());
    }

    /** Applies {@code decision} inside the writer's transaction; {@code nextSeq} hands out new outbox seqs. */
    Applied apply(Connection c, HoldDecision decision, LongSupplier nextSeq) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT message_id, channel, severity, accepted_at, event FROM outbox "
                        + "WHERE device_id = ? AND held = 1 ORDER BY seq")) {
            ps.setString(1, decision.deviceId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getBytes(5)));
                }
            }
        }
        long before = 0;
        long after = 0;
        List<AuditTrail.Entry> audits = new ArrayList<>();
        try (PreparedStatement insert =
                c.prepareStatement("INSERT INTO outbox (seq, message_id, device_id, channel, severity, "
                        + "accepted_at, event, held) VALUES (?,?,?,?,?,?,?,0)")) {
            for (Row row : rows) {
                before += row.event().length;
                // A released decision carries the trust, a refused one its audit code (HoldDecision's factories).
                byte[] now = decision.released()
                        ? withTrust(row.event(), Objects.requireNonNull(decision.trust(), "trust"))
                        : row.event();
                after += now.length;
                insert.setLong(1, nextSeq.getAsLong());
                insert.setString(2, row.messageId());
                insert.setString(3, decision.deviceId());
                insert.setString(
                        4,
                        decision.released()
                                ? row.channel()
                                : Channel.HELD.name()); // refused: audit only, never the shared stream
                insert.setString(5, row.severity());
                insert.setLong(6, row.acceptedAt());
                insert.setBytes(7, now);
                insert.addBatch();
                if (!decision.released()) {
                    audits.add(new AuditTrail.Entry(
                            row.acceptedAt(),
                            row.messageId(),
                            decision.deviceId(),
                            Objects.requireNonNull(decision.auditCode(), "auditCode"),
                            now));
                }
            }
            insert.executeBatch();
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM outbox WHERE device_id = ? AND held = 1")) {
            delete.setString(1, decision.deviceId());
            delete.executeUpdate();
        }
        return new Applied(decision, rows.size(), before, after, audits);
    }

    /**
     * After the decision's transaction committed: the rows it decided are held no more. Only those are
     * taken off the device's count: events queued behind the decision were reserved too, are still
     * held once written, and wait for the next decision; forgetting them would leave them held for good.
     */
    void committed(Applied applied) {
        String deviceId = applied.decision().deviceId();
        counts.computeIfPresent(deviceId, (id, n) -> n <= applied.rows() ? null : n - applied.rows());
        if (applied.decision().released()) {
            releasesQueued.computeIfPresent(deviceId, (id, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** A release of the device's held data is queued (called before it is offered, undone if the offer fails). */
    void releaseQueued(String deviceId) {
        releasesQueued.merge(deviceId, 1, Integer::sum);
    }

    void releaseNotQueued(String deviceId) {
        releasesQueued.computeIfPresent(deviceId, (id, n) -> n <= 1 ? null : n - 1);
    }

    boolean releasePending(String deviceId) {
        return releasesQueued.containsKey(deviceId);
    }

    private static byte[] withTrust(byte[] event, String trust) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(event);
            node.put("trust", trust);
            return JSON.writeValueAsBytes(node);
        } catch (IOException | ClassCastException e) {
            // The outbox rendered this JSON object itself; anything else is a bug, not an input problem.
            throw new IllegalStateException("held event is not a JSON object", e);
        }
    }
}
