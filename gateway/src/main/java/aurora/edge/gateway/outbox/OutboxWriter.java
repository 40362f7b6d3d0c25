package aurora.edge.gateway.outbox;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the database. It collects pending events for a few milliseconds or a
 * few hundred rows, whichever comes first, and commits them in one {@code synchronous=FULL}
 * transaction (group commit), together with the device watermarks and the sink cursors.
 */
final class OutboxWriter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(OutboxWriter.class);
    private static final Duration HOUSEKEEPING_INTERVAL = Duration.ofSeconds(1);

    private final Connection connection;
    private final BlockingQueue<QueuedWork> queue;
    private final SequenceTracker tracker;
    private final OutboxState state;
    private final CommitListener listener;
    private final OutboxMeters meters;
    private final Clock clock;
    private final int maxRows;
    private final long maxDelayNanos;
    private final String gatewayMessagePrefix;
    private final OutboxCapacity capacity;
    private final OutboxSpace space;
    private final AuditTrail auditTrail;
    private final HeldRows held;
    /** Decisions of a batch whose commit failed: unlike device data (resent by the device), nobody would send them again. */
    private final List<HoldDecision> retryDecisions = new ArrayList<>();
    private long nextSeq;
    private long lastHousekeeping;
    private volatile boolean stopping;
    /** Events taken from the queue and committed or given up on; {@link Outbox#flush} waits on it. */
    private final AtomicLong handled = new AtomicLong();

    OutboxWriter(Connection connection, BlockingQueue<QueuedWork> queue, OutboxState state, CommitListener listener,
                 OutboxMeters meters, Clock clock, int maxRows, Duration maxDelay, String gatewayMessagePrefix, OutboxCapacity capacity,
                 OutboxSpace space, AuditTrail auditTrail, HeldRows held) {
        this.connection = connection;
        this.queue = queue;
        this.state = state;
        this.listener = listener;
        this.meters = meters;
        this.clock = clock;
        this.maxRows = maxRows;
        this.maxDelayNanos = maxDelay.toNanos();
        this.gatewayMessagePrefix = gatewayMessagePrefix;
        this.capacity = capacity;
        this.space = space;
        this.auditTrail = auditTrail;
        this.held = held;
        this.tracker = new SequenceTracker(connection);
        try {
            connection.setAutoCommit(false);
            this.nextSeq = highestSeqEverAssigned() + 1;
            capacity.load(connection);
            capacity.enforce(connection);
            held.load(connection);
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("cannot prepare outbox writer", e);
        }
        state.committed(nextSeq - 1);
    }

    long handled() {
        return handled.get();
    }

    /** Asks the loop to commit what is queued and return. */
    void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        List<QueuedWork> batch = new ArrayList<>(maxRows);
        while (!stopping || !queue.isEmpty()) {
            try {
                QueuedWork first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    collect(batch);
                }
                if (!batch.isEmpty() || state.cursorsDirty() || !retryDecisions.isEmpty()) {
                    commit(batch);
                }
                housekeeping();
            } catch (InterruptedException e) {
                stopping = true;
            } catch (RuntimeException e) {
                log.error("outbox writer error, continuing error={}", e.toString(), e);
            } finally {
                handled.addAndGet(batch.size());
                batch.clear();
            }
        }
        try {
            commit(batch);
        } catch (RuntimeException e) {
            log.error("outbox final commit failed error={}", e.toString(), e);
        }
    }

    private void collect(List<QueuedWork> batch) throws InterruptedException {
        queue.drainTo(batch, maxRows - batch.size());
        long deadline = System.nanoTime() + maxDelayNanos;
        while (batch.size() < maxRows) {
            long wait = deadline - System.nanoTime();
            if (wait <= 0) {
                break;
            }
            QueuedWork next = queue.poll(wait, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
            queue.drainTo(batch, maxRows - batch.size());
        }
    }

    private void commit(List<QueuedWork> queued) {
        List<QueuedWork> batch = queued;
        if (!retryDecisions.isEmpty()) {
            batch = new ArrayList<>(retryDecisions);
            batch.addAll(queued);
            retryDecisions.clear();
        }
        long firstSeq = nextSeq;
        List<HoldDecision> decisions = new ArrayList<>();
        int[] decided = new int[2];
        long started = System.nanoTime();
        List<CommitListener.SeqGap> gaps = new ArrayList<>();
        int duplicates = 0;
        int[] appendedByChannel = new int[Channel.values().length];
        List<AuditTrail.Entry> audits = new ArrayList<>();
        long batchBytes = 0;
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO outbox (seq, message_id, device_id, channel, severity, accepted_at, event, held) VALUES (?,?,?,?,?,?,?,?)")) {
            for (QueuedWork work : batch) {
                if (work instanceof HoldDecision d) {
                    // Everything of the device queued before the decision is written first: the decision covers it.
                    insert.executeBatch();
                    HeldRows.Applied applied = held.apply(connection, d, () -> nextSeq++);
                    batchBytes += applied.bytesAfter() - applied.bytesBefore();
                    audits.addAll(applied.audits());
                    decided[d.released() ? 0 : 1] += applied.rows();
                    decisions.add(d);
                    continue;
                }
                PendingEvent e = (PendingEvent) work;
                String messageId;
                if (e.position() != null) {
                    SequenceTracker.Admission a = tracker.admit(e.deviceId(), e.position().boot(), e.position().seq());
                    if (a.duplicate()) {
                        duplicates++;
                        if (e.held()) {
                            held.unreserve(e.deviceId());
                        }
                        continue;
                    }
                    if (a.gapStart() > 0) {
                        gaps.add(new CommitListener.SeqGap(e.deviceId(), e.position().boot(), a.gapStart(), e.position().seq()));
                    }
                    if (e.body() == null) {
                        continue;
                    }
                    messageId = e.position().messageId(e.deviceId());
                } else {
                    messageId = gatewayMessagePrefix + nextSeq;
                }
                appendedByChannel[e.channel().ordinal()]++;
                insert.setLong(1, nextSeq++);
                insert.setString(2, messageId);
                insert.setString(3, e.deviceId());
                insert.setString(4, e.channel().name());
                insert.setString(5, e.severity().name());
                insert.setLong(6, e.acceptedAt().toEpochMilli());
                byte[] rendered = e.body().render(messageId);
                batchBytes += rendered.length;
                insert.setBytes(7, rendered);
                insert.setInt(8, e.held() ? 1 : 0);
                insert.addBatch();
                if (e.auditCode() != null) {
                    audits.add(new AuditTrail.Entry(e.acceptedAt().toEpochMilli(), messageId, e.deviceId(), e.auditCode(), rendered));
                }
            }
            insert.executeBatch();
            auditTrail.save(connection, audits);
            List<Watermark> watermarks = saveProgress();
            Map<String, Long> cursors = state.cursorsToSave();
            saveCursors(cursors);
            connection.commit();
            state.cursorsSaved(cursors);
            decisions.forEach(d -> held.cleared(d.deviceId()));
            meters.heldDecided(decided[0], decided[1]);
            capacity.added(batchBytes);
            tracker.committed();
            state.committed(nextSeq - 1);
            meters.committed(appendedByChannel, duplicates, System.nanoTime() - started);
            if (!watermarks.isEmpty() || !gaps.isEmpty()) {
                listener.committed(watermarks, gaps);
            }
        } catch (SQLException | RuntimeException ex) {
            rollback();
            tracker.rolledBack();
            nextSeq = firstSeq;
            meters.commitFailed(batch.size());
            batch.stream().filter(HoldDecision.class::isInstance).map(HoldDecision.class::cast).forEach(retryDecisions::add);
            reloadHeld();
            // Nothing was acknowledged, so the devices still hold these messages and will resend them.
            log.error("outbox commit failed events={} error={}", batch.size(), ex.toString());
        }
    }

    private List<Watermark> saveProgress() throws SQLException {
        List<Watermark> watermarks = new ArrayList<>();
        try (PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO device_progress (device_id, boot, contiguous_seq, pending, updated_at) VALUES (?,?,?,?,?) "
                        + "ON CONFLICT (device_id, boot) DO UPDATE SET contiguous_seq = excluded.contiguous_seq, "
                        + "pending = excluded.pending, updated_at = excluded.updated_at")) {
            long now = clock.millis();
            for (DeviceProgress p : tracker.touched()) {
                upsert.setString(1, p.deviceId);
                upsert.setLong(2, p.boot);
                upsert.setLong(3, p.contiguous());
                upsert.setString(4, p.pendingCsv());
                upsert.setLong(5, now);
                upsert.addBatch();
                if (p.contiguous() > 0) {
                    watermarks.add(new Watermark(p.deviceId, p.boot, p.contiguous()));
                }
            }
            upsert.executeBatch();
        }
        return watermarks;
    }

    private void saveCursors(Map<String, Long> cursors) throws SQLException {
        if (cursors.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO sink_cursor (sink, seq) VALUES (?,?) ON CONFLICT (sink) DO UPDATE SET seq = MAX(seq, excluded.seq)")) {
            for (Map.Entry<String, Long> c : cursors.entrySet()) {
                upsert.setString(1, c.getKey());
                upsert.setLong(2, c.getValue());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /**
     * Once a second: drops rows every sink has, evicts the oldest telemetry when the outbox is
     * over its limits and trims the local audit trail to its limits; around that, {@link OutboxSpace} returns free pages and checkpoints the WAL,
     * so the file stays the size of the backlog.
     */
    private void housekeeping() {
        long now = clock.millis();
        if (now - lastHousekeeping < HOUSEKEEPING_INTERVAL.toMillis()) {
            return;
        }
        lastHousekeeping = now;
        space.shrink();
        purgeAndEvict();
        space.checkpoint();
    }

    private void purgeAndEvict() {
        try {
            long deliveredEverywhere = state.lowestSavedCursor();
            long purgedBytes = 0;
            int purgedRows = 0;
            if (deliveredEverywhere > state.purgedThrough()) {
                purgedBytes = bytesThrough(deliveredEverywhere);
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM outbox WHERE seq <= ? AND held = 0")) {
                    delete.setLong(1, deliveredEverywhere);
                    purgedRows = delete.executeUpdate();
                }
            }
            capacity.removed(purgedBytes);
            OutboxCapacity.Eviction eviction = capacity.enforce(connection);
            int trimmed = auditTrail.trim(connection, clock.millis());
            connection.commit();
            if (purgedRows > 0) {
                state.purged(deliveredEverywhere);
                meters.purged(purgedRows);
            }
            meters.auditTrimmed(trimmed);
            if (eviction != null) {
                meters.evicted(Channel.TELEMETRY, eviction.count());
                log.warn("outbox full, evicted oldest telemetry count={} bytes={} first_seq={} last_seq={} stored_bytes={}",
                        eviction.count(), eviction.bytes(), eviction.firstSeq(), eviction.lastSeq(), capacity.storedBytes());
                listener.evicted(Channel.TELEMETRY, eviction.count(), eviction.firstSeq(), eviction.lastSeq());
            }
        } catch (SQLException e) {
            rollback();
            reloadCapacity();
            log.warn("outbox housekeeping failed error={}", e.toString());
        }
    }

    private long bytesThrough(long seq) throws SQLException {
        try (PreparedStatement sum = connection.prepareStatement("SELECT COALESCE(SUM(length(event)), 0) FROM outbox WHERE seq <= ? AND held = 0")) {
            sum.setLong(1, seq);
            try (ResultSet rs = sum.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void reloadCapacity() {
        try {
            capacity.load(connection);
            connection.commit();
        } catch (SQLException e) {
            log.warn("outbox capacity reload failed error={}", e.toString());
        }
    }

    /** After a failed commit the held counts are read again from what is really stored. */
    private void reloadHeld() {
        try {
            held.load(connection);
            connection.commit();
        } catch (SQLException e) {
            log.warn("outbox held counts reload failed error={}", e.toString());
        }
    }

    private long highestSeqEverAssigned() throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0), "
                     + "COALESCE((SELECT MAX(seq) FROM outbox), 0)")) {
            rs.next();
            return Math.max(rs.getLong(1), rs.getLong(2));
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.warn("outbox rollback failed error={}", e.toString());
        }
    }
}
