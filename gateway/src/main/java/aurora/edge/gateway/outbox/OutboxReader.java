package aurora.edge.gateway.outbox;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Reads committed events in sequence order for one forwarder. Not thread-safe: one per thread. */
public final class OutboxReader implements AutoCloseable {
    /**
     * The rows other than telemetry, found through the {@code (channel, seq)} index. Not {@code channel <>
     * 'TELEMETRY'}: SQLite answers that by walking every row after the seq, so with a telemetry backlog
     * of a million rows each priority-lane read scanned all of them (hundreds of ms per batch, the
     * forwarder's main cost during a burst); the index reads only the matching rows.
     */
    private static final String NOT_TELEMETRY = "outbox INDEXED BY outbox_channel_seq WHERE channel IN ("
            + Arrays.stream(Channel.values())
                    .filter(c -> c != Channel.TELEMETRY)
                    .map(c -> "'" + c.name() + "'")
                    .collect(Collectors.joining(", "))
            + ")";

    static final String PRIORITY_AFTER =
            "SELECT seq, message_id, device_id, channel, severity, accepted_at, event FROM " + NOT_TELEMETRY
                    + " AND seq > ? AND held = 0 ORDER BY seq LIMIT ?";
    static final String NON_TELEMETRY_BETWEEN =
            "SELECT seq, message_id, device_id, channel, severity, accepted_at, event FROM " + NOT_TELEMETRY
                    + " AND seq > ? AND seq <= ? AND held = 0 ORDER BY seq LIMIT ?";

    private final Connection connection;
    private final PreparedStatement after;
    private final PreparedStatement oldestAfter;
    private final PreparedStatement priorityAfter;
    private final PreparedStatement countAfter;
    private final PreparedStatement routedBetween;

    OutboxReader(Connection connection) {
        this.connection = connection;
        try {
            this.after = connection.prepareStatement(
                    "SELECT seq, message_id, device_id, channel, severity, accepted_at, event FROM outbox WHERE seq > ? AND held = 0 ORDER BY seq LIMIT ?");
            this.priorityAfter = connection.prepareStatement(PRIORITY_AFTER);
            this.routedBetween = connection.prepareStatement(NON_TELEMETRY_BETWEEN);
            this.oldestAfter = connection.prepareStatement(
                    "SELECT accepted_at FROM outbox WHERE seq > ? AND held = 0 ORDER BY seq LIMIT 1");
            this.countAfter = connection.prepareStatement("SELECT COUNT(*) FROM outbox WHERE seq > ? AND held = 0");
        } catch (SQLException e) {
            throw new StoreException("cannot prepare outbox reader", e);
        }
    }

    /** Up to {@code limit} events after {@code seq}, oldest first. */
    public List<OutboxRecord> after(long seq, int limit) {
        return read(after, seq, limit);
    }

    /** Up to {@code limit} alerts, attestation and audit events after {@code seq}, oldest first: the priority lane. */
    public List<OutboxRecord> priorityAfter(long seq, int limit) {
        return read(priorityAfter, seq, limit);
    }

    /**
     * Up to {@code limit} events other than telemetry after {@code seq} and up to {@code upTo}, oldest
     * first: for a sink that takes no telemetry, which reads past it in SQL instead of reading and dropping it.
     */
    public List<OutboxRecord> nonTelemetryBetween(long seq, long upTo, int limit) {
        try {
            routedBetween.setLong(2, upTo);
        } catch (SQLException e) {
            throw new StoreException("cannot read outbox after seq " + seq, e);
        }
        return read(routedBetween, seq, limit, 3);
    }

    private List<OutboxRecord> read(PreparedStatement query, long seq, int limit) {
        return read(query, seq, limit, 2);
    }

    private List<OutboxRecord> read(PreparedStatement query, long seq, int limit, int limitParameter) {
        try {
            query.setLong(1, seq);
            query.setInt(limitParameter, limit);
            // Sized for a fleet's read (~10 rows after each commit), not for the limit: a 500-slot array per read
            // was 2 KB of garbage for every ~10 rows read; a backlog's full batch grows it a few times instead.
            List<OutboxRecord> records = new ArrayList<>(Math.min(limit, 16));
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    records.add(new OutboxRecord(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            Channel.valueOf(rs.getString(4)),
                            Severity.valueOf(rs.getString(5)),
                            Instant.ofEpochMilli(rs.getLong(6)),
                            rs.getBytes(7)));
                }
            }
            return records;
        } catch (SQLException e) {
            throw new StoreException("cannot read outbox after seq " + seq, e);
        }
    }

    /** When the oldest event after {@code seq} was accepted; empty when there is none. */
    public Optional<Instant> oldestAfter(long seq) {
        try {
            oldestAfter.setLong(1, seq);
            try (ResultSet rs = oldestAfter.executeQuery()) {
                return rs.next() ? Optional.of(Instant.ofEpochMilli(rs.getLong(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read outbox age after seq " + seq, e);
        }
    }

    /** How many events after {@code seq} are stored. */
    public long countAfter(long seq) {
        try {
            countAfter.setLong(1, seq);
            try (ResultSet rs = countAfter.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot count outbox after seq " + seq, e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close outbox reader", e);
        }
    }
}
