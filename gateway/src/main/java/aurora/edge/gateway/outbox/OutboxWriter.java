package aurora.edge.gateway.outbox;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.DevicePosition;
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
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
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
    /**
     * How long a moved sink cursor waits, with nothing else to commit, before a commit of its own
     * saves it: cursors ride along with event commits, so a forwarder keeping up with a trickle does
     * not cost an fsync of its own per batch.
     */
    static final Duration CURSOR_SAVE_DELAY = Duration.ofMillis(100);
    /** Boots of one device whose progress is kept; older ones (least recently written) are deleted, so the table stays bounded. */
    static final int BOOTS_KEPT = 4;
    /** Events without a device position kept for another commit after a failed one, at most. */
    static final int RETRY_CAPACITY = 10_000;
    /** Commits one such event may fail before it is dropped (counted): a poison event must not block the rest for ever. */
    static final int RETRY_ATTEMPTS = 10;
    /**
     * A commit window closes early once this many events (or {@code commit_max_rows}, if fewer) are
     * waiting. A trickle (a fleet at 1 msg/s per device: a handful per window) waits the whole window
     * and shares one fsync; a burst of closed-loop clients, whose next publishes wait for this commit's
     * PUBACKs, commits as soon as a useful batch has gathered rather than sitting out the window (with
     * fewer events in flight than {@code commit_max_rows}, a full batch never forms). What arrives
     * during the fsync is drained, up to {@code commit_max_rows}, into the next batch.
     */
    static final int EARLY_COMMIT_ROWS = 64;

    private static final String INSERT_EVENT =
            "INSERT INTO outbox (seq, message_id, device_id, channel, severity, accepted_at, event, held) VALUES (?,?,?,?,?,?,?,?)";
    private static final String UPSERT_PROGRESS =
            "INSERT INTO device_progress (device_id, boot, contiguous_seq, pending, updated_at, epoch, digests) VALUES (?,?,?,?,?,?,?) "
                    + "ON CONFLICT (device_id, boot) DO UPDATE SET contiguous_seq = excluded.contiguous_seq, "
                    + "pending = excluded.pending, updated_at = excluded.updated_at, epoch = excluded.epoch, digests = excluded.digests";
    private static final String UPSERT_CURSOR =
            "INSERT INTO sink_cursor (sink, seq) VALUES (?,?) ON CONFLICT (sink) DO UPDATE SET seq = MAX(seq, excluded.seq)";

    private final Connection connection;
    /** Prepared statements by SQL, for the life of the writer's connection; see {@link #statement}. */
    private final Map<String, PreparedStatement> statements = new java.util.HashMap<>();

    private final BlockingQueue<QueuedWork> queue;
    private final SequenceTracker tracker;
    private final OutboxState state;
    private final CommitListener listener;
    private final OutboxMeters meters;
    private final Clock clock;
    private final int maxRows;
    private final int earlyRows;
    private final long maxDelayNanos;
    private final String gatewayMessagePrefix;
    private final String siteId;
    private final OutboxCapacity capacity;
    private final OutboxSpace space;
    private final AuditTrail auditTrail;
    private final DeviceQuota quota;
    /**
     * Events nobody would resend (the gateway's own alerts and audit, attestation answers) that a
     * failed commit rolled back, with how often they failed; they lead the next batch. Device
     * messages with a position are not kept: the device was not acknowledged and resends them.
     */
    private final java.util.ArrayDeque<Retry> retries = new java.util.ArrayDeque<>();

    private final HeldRows held;
    /** Decisions about held data in a batch whose commit failed: like the gateway's own events, nobody would send them again. */
    private final List<HoldDecision> retryDecisions = new ArrayList<>();

    private long nextSeq;
    /** Group commits that failed since the last one that succeeded. */
    private int failedInARow;

    private long lastHousekeeping;
    /** When moved cursors are saved by a commit of their own if no event comes first ({@link System#nanoTime}); 0: none moved. */
    private long cursorsDueAt;

    private volatile boolean stopping;
    /** Events in the batch of an open commit window, 0 outside one; see {@link #collect}. */
    private volatile int collected;
    /**
     * True while the writer waits for work with nothing queued ({@link #awaitWork}): {@link #offered}
     * then wakes it. Outside that wait it is not woken for each event (see {@link #collect}).
     */
    private volatile boolean idle;
    /**
     * True while that wait is the long one (no cursor to save, so until the next housekeeping):
     * {@link #cursorMoved} then wakes it, so a moved cursor is still saved within {@link #CURSOR_SAVE_DELAY}.
     */
    private volatile boolean waitingLong;
    /** The writer's thread once it runs, for {@link #offered} and {@link #stop} to wake it. */
    private volatile @Nullable Thread thread;
    /** Events taken from the queue and committed or given up on; {@link Outbox#flush} waits on it. */
    private final AtomicLong handled = new AtomicLong();

    OutboxWriter(
            Connection connection,
            BlockingQueue<QueuedWork> queue,
            OutboxState state,
            CommitListener listener,
            OutboxMeters meters,
            Clock clock,
            int maxRows,
            Duration maxDelay,
            String gatewayMessagePrefix,
            String siteId,
            OutboxCapacity capacity,
            OutboxSpace space,
            AuditTrail auditTrail,
            DeviceQuota quota,
            int resendWindow,
            Duration gapTimeout,
            HeldRows held) {
        this.connection = connection;
        this.queue = queue;
        this.state = state;
        this.listener = listener;
        this.meters = meters;
        this.clock = clock;
        this.maxRows = maxRows;
        this.earlyRows = Math.min(maxRows, EARLY_COMMIT_ROWS);
        this.maxDelayNanos = maxDelay.toNanos();
        this.gatewayMessagePrefix = gatewayMessagePrefix;
        this.siteId = siteId;
        this.capacity = capacity;
        this.space = space;
        this.auditTrail = auditTrail;
        this.quota = quota;
        this.held = held;
        this.tracker = new SequenceTracker(connection, resendWindow, gapTimeout.toMillis());
        try {
            connection.setAutoCommit(false);
            this.nextSeq = highestSeqEverAssigned() + 1;
            capacity.load(connection);
            quota.load(connection);
            auditTrail.load(connection);
            held.load(connection);
            capacity.enforce(connection);
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
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        List<QueuedWork> batch = new ArrayList<>(maxRows);
        while (!stopping || !queue.isEmpty()) {
            int retried = 0;
            try {
                retried = takeRetries(batch);
                Wait wait = nextWait(retried);
                QueuedWork first = awaitWork(wait);
                if (first != null) {
                    batch.add(first);
                    collect(batch);
                }
                boolean waitedOut = first == null && System.nanoTime() - wait.until() >= 0;
                if (!batch.isEmpty() || (waitedOut && state.cursorsDirty())) {
                    cursorsDueAt = 0;
                    commit(batch, retried);
                }
                housekeeping();
            } catch (InterruptedException e) {
                stopping = true;
            } catch (RuntimeException e) {
                log.error("outbox writer error, continuing error={}", e.toString(), e);
            } finally {
                // An event kept for retry is counted as handled once it is committed or dropped.
                handled.addAndGet(batch.size() - retries.size() - retryDecisions.size());
                batch.clear();
            }
        }
        try {
            int retried = takeRetries(batch);
            commit(batch, retried);
            if (!retries.isEmpty()) {
                log.error("outbox closed with gateway events not committed count={}", retries.size());
            }
        } catch (RuntimeException e) {
            log.error("outbox final commit failed error={}", e.toString(), e);
        }
    }

    /** Until when ({@link System#nanoTime}) the writer may wait for the next event, and whether that is the long wait of an idle outbox. */
    private record Wait(long until, boolean idle) {}

    /**
     * After failed commits, 100 ms more per failure in a row (at most 2 s) rather than spin; with a
     * moved cursor, {@link #CURSOR_SAVE_DELAY}; otherwise, with nothing to do, until the next
     * housekeeping: an idle outbox wakes once a second, not ten times (an event, a moved cursor or
     * {@link #stop} wake it earlier).
     */
    private Wait nextWait(int retried) {
        long now = System.nanoTime();
        if (retried > 0 || failedInARow > 0) {
            long ms = retried > 0 && failedInARow == 0 ? 0 : Math.min(2000, 100L * Math.max(1, failedInARow));
            return new Wait(now + TimeUnit.MILLISECONDS.toNanos(ms), false);
        }
        if (state.cursorsDirty()) {
            // Fixed when the moved cursor is first seen, so an early wake-up does not push the save back.
            if (cursorsDueAt == 0) {
                cursorsDueAt = now + CURSOR_SAVE_DELAY.toNanos();
            }
            return new Wait(cursorsDueAt, false);
        }
        long toHousekeeping = lastHousekeeping + HOUSEKEEPING_INTERVAL.toMillis() - clock.millis();
        long ms = Math.max(CURSOR_SAVE_DELAY.toMillis(), Math.min(HOUSEKEEPING_INTERVAL.toMillis(), toHousekeeping));
        return new Wait(now + TimeUnit.MILLISECONDS.toNanos(ms), true);
    }

    /**
     * The next queued event, waiting for one until {@code wait} runs out; null when none came. Parks
     * instead of {@code queue.poll(timeout)} so that a moved cursor can end a long wait too; returns
     * early (null) when woken that way, so the caller computes the wait again.
     */
    private @Nullable QueuedWork awaitWork(Wait wait) throws InterruptedException {
        QueuedWork first = queue.poll();
        if (first != null) {
            return first;
        }
        // Published before the queue (and the cursors) are looked at again, as producers queue (move a cursor)
        // before they read these: one of the two sees the other, so no event or cursor is slept through.
        idle = true;
        waitingLong = wait.idle();
        try {
            first = queue.poll();
            if (first != null || stopping || (wait.idle() && state.cursorsDirty())) {
                return first;
            }
            long left = wait.until() - System.nanoTime();
            if (left > 0) {
                LockSupport.parkNanos(this, left);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return queue.poll();
        } finally {
            idle = false;
            waitingLong = false;
        }
    }

    /** Puts the events kept from a failed commit at the head of the batch; returns how many. */
    private int takeRetries(List<QueuedWork> batch) {
        int n = 0;
        for (Retry r : retries) {
            batch.add(r.event());
            n++;
        }
        // Decisions go after the retried events (whose failure counts are indexed from the head of the batch).
        batch.addAll(retryDecisions);
        retryDecisions.clear();
        retryAttempts.clear();
        for (Retry r : retries) {
            retryAttempts.add(r.failures());
        }
        retries.clear();
        return n;
    }

    /** An event kept for another commit, and how many commits it has failed. */
    private record Retry(PendingEvent event, int failures) {}

    /** Failures so far of the retried events at the head of the open batch, in order. */
    private final List<Integer> retryAttempts = new ArrayList<>();

    /**
     * Fills the batch for the commit window that its first event opened. The writer sleeps through the
     * window and drains the queue at its end, instead of waking for every event that arrives (a
     * {@code poll} per event was one park/unpark pair per message at a low rate); only
     * {@link #EARLY_COMMIT_ROWS} waiting events ({@link #offered}) or {@link #stop} wake it early.
     */
    private void collect(List<QueuedWork> batch) throws InterruptedException {
        queue.drainTo(batch, maxRows - batch.size());
        long deadline = System.nanoTime() + maxDelayNanos;
        try {
            while (batch.size() < earlyRows && !stopping) {
                // Published before the queue is looked at, as the producer queues before it reads this: one of
                // the two sees the other, so a batch filled meanwhile is never slept through.
                collected = batch.size();
                if (batch.size() + queue.size() >= earlyRows) {
                    break;
                }
                long wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, wait);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                queue.drainTo(batch, maxRows - batch.size());
            }
        } finally {
            collected = 0;
        }
        queue.drainTo(batch, maxRows - batch.size());
    }

    /**
     * Told by the producer after each queued event, with the queue's depth read after queuing it:
     * wakes the writer waiting for work ({@link #awaitWork}), or sleeping through a commit window once
     * {@link #EARLY_COMMIT_ROWS} events are waiting (in the queue and in the open batch), so a burst
     * does not wait out the window.
     */
    void offered(int depth) {
        Thread t = thread;
        if (t != null && (idle || depth + collected >= earlyRows)) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Told after a sink's cursor moved in memory: wakes a writer in the long wait of an idle outbox,
     * which then saves the cursor within {@link #CURSOR_SAVE_DELAY} (with any event that comes meanwhile).
     */
    void cursorMoved() {
        Thread t = thread;
        if (t != null && waitingLong) {
            LockSupport.unpark(t);
        }
    }

    private void commit(List<QueuedWork> batch, int retried) {
        long firstSeq = nextSeq;
        long started = System.nanoTime();
        long now = clock.millis();
        List<CommitListener.SeqGap> gaps = new ArrayList<>();
        List<CommitListener.SeqRewind> rewinds = new ArrayList<>();
        List<CommitListener.GapGivenUp> givenUp = new ArrayList<>();
        int duplicates = 0;
        int[] appendedByChannel = new int[Channel.values().length];
        List<AuditTrail.Entry> audits = new ArrayList<>();
        Map<String, Long> quotaBytes = new java.util.HashMap<>();
        Map<String, Integer> overQuota = new java.util.HashMap<>();
        long batchBytes = 0;
        java.util.BitSet refused = new java.util.BitSet(batch.size());
        List<HeldRows.Applied> decisions = new ArrayList<>();
        int[] decided = new int[2];
        try {
            PreparedStatement insert = statement(INSERT_EVENT);
            for (int i = 0; i < batch.size(); i++) {
                QueuedWork work = batch.get(i);
                if (work instanceof HoldDecision d) {
                    // Everything of the device queued before the decision is written first: the decision covers it.
                    insert.executeBatch();
                    HeldRows.Applied applied = held.apply(connection, d, () -> nextSeq++);
                    batchBytes += applied.bytesAfter() - applied.bytesBefore();
                    audits.addAll(applied.audits());
                    decided[d.released() ? 0 : 1] += applied.rows();
                    decisions.add(applied);
                    continue;
                }
                PendingEvent e = (PendingEvent) work;
                String messageId;
                String deviceId = e.deviceId();
                DevicePosition position = e.position();
                PendingEvent.EventBody body = e.body();
                if (e.payloadDigest() != 0
                        && body != null
                        && deviceId != null
                        && DeviceQuota.counts(deviceId, e.channel())
                        && quota.full(deviceId, quotaBytes.getOrDefault(deviceId, 0L))) {
                    // Refused before its seq is admitted, so the watermark stays below it and the device resends it.
                    overQuota.merge(deviceId, 1, Integer::sum);
                    refused.set(i);
                    if (e.held()) {
                        held.unreserve(deviceId); // never written: its claim would keep the device "holding" for good
                    }
                    continue;
                }
                if (position != null) {
                    // PendingEvent guarantees a device id with every position.
                    String device = Objects.requireNonNull(deviceId, "deviceId");
                    long boot = position.boot();
                    SequenceTracker.Admission a = tracker.admit(device, boot, position.seq(), e.payloadDigest(), now);
                    a.givenUp()
                            .forEach(g -> givenUp.add(
                                    new CommitListener.GapGivenUp(device, boot, g.first(), g.last(), g.reason())));
                    if (a.duplicate()) {
                        duplicates++;
                        if (e.held()) {
                            held.unreserve(device);
                        }
                        continue;
                    }
                    if (a.rewoundFrom() > 0) {
                        rewinds.add(new CommitListener.SeqRewind(
                                device, boot, a.progress().epoch, position.seq(), a.rewoundFrom()));
                    }
                    if (a.gapStart() > 0) {
                        gaps.add(new CommitListener.SeqGap(device, boot, a.gapStart(), position.seq()));
                    }
                    if (body == null) {
                        continue;
                    }
                    messageId = messageId(device, position, a.progress().epoch);
                } else {
                    messageId = gatewayMessagePrefix + nextSeq;
                    // PendingEvent guarantees a body with every event that has no position.
                    Objects.requireNonNull(body, "body");
                }
                appendedByChannel[e.channel().ordinal()]++;
                insert.setLong(1, nextSeq++);
                insert.setString(2, messageId);
                insert.setString(3, e.deviceId());
                insert.setString(4, e.channel().name());
                insert.setString(5, e.severity().name());
                insert.setLong(6, e.acceptedAt().toEpochMilli());
                byte[] rendered = body.render(messageId);
                batchBytes += rendered.length;
                if (deviceId != null && DeviceQuota.counts(deviceId, e.channel())) {
                    quotaBytes.merge(deviceId, (long) rendered.length, Long::sum);
                }
                insert.setBytes(7, rendered);
                insert.setInt(8, e.held() ? 1 : 0);
                insert.addBatch();
                if (e.auditCode() != null) {
                    audits.add(new AuditTrail.Entry(
                            e.acceptedAt().toEpochMilli(), messageId, e.deviceId(), e.auditCode(), rendered));
                }
            }
            insert.executeBatch();
            auditTrail.save(connection, audits);
            List<Watermark> watermarks = saveProgress(now);
            Map<String, Long> cursors = state.cursorsToSave();
            saveCursors(cursors);
            connection.commit();
            state.cursorsSaved(cursors);
            failedInARow = 0;
            decisions.forEach(held::committed);
            meters.heldDecided(decided[0], decided[1]);
            capacity.added(batchBytes);
            auditTrail.saved(audits);
            quotaBytes.forEach(quota::added);
            tracker.committed();
            state.committed(nextSeq - 1);
            meters.committed(appendedByChannel, duplicates, System.nanoTime() - started);
            tellReceipts(batch, refused);
            if (!watermarks.isEmpty() || !gaps.isEmpty()) {
                listener.committed(watermarks, gaps);
            }
            if (!rewinds.isEmpty()) {
                meters.rewound(rewinds.size());
                listener.rewound(rewinds);
            }
            if (!givenUp.isEmpty()) {
                listener.gaveUp(givenUp);
            }
            if (!overQuota.isEmpty()) {
                listener.overQuota(overQuota);
            }
        } catch (SQLException | RuntimeException ex) {
            clearBatches();
            rollback();
            tracker.rolledBack();
            nextSeq = firstSeq;
            meters.commitFailed(batch.size());
            failedInARow++;
            int kept = keepForRetry(batch, retried);
            batch.stream()
                    .filter(HoldDecision.class::isInstance)
                    .map(HoldDecision.class::cast)
                    .forEach(retryDecisions::add);
            reloadHeld();
            // Device messages with a position were not acknowledged, so the devices still hold them and resend them;
            // the gateway's own events and attestation answers have nobody to resend them, so they are kept for the
            // next commit.
            log.error("outbox commit failed events={} kept_for_retry={} error={}", batch.size(), kept, ex.toString());
        }
    }

    /**
     * The writer's statements, prepared once: at a low rate (a fleet at 1 msg/s per device) a commit
     * carries a handful of events, and compiling the same SQL three times per commit was a
     * measurable share of its CPU.
     */
    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement st = statements.get(sql);
        if (st == null) {
            st = connection.prepareStatement(sql);
            statements.put(sql, st);
        }
        return st;
    }

    /** After a failed commit: rows added to a batch that was not executed must not lead the next one. */
    private void clearBatches() {
        for (PreparedStatement st : statements.values()) {
            try {
                st.clearBatch();
            } catch (SQLException e) {
                log.warn("outbox statement reset failed error={}", e.toString());
            }
        }
    }

    /** After a commit: every event of the batch is stored (a duplicate or a consumed seq counts), except those refused at commit. */
    private static void tellReceipts(List<QueuedWork> batch, java.util.BitSet refused) {
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i) instanceof PendingEvent e) {
                tell(e, !refused.get(i));
            }
        }
    }

    private static void tell(PendingEvent e, boolean stored) {
        try {
            if (stored) {
                e.receipt().stored();
            } else {
                e.receipt().notStored();
            }
        } catch (RuntimeException ex) {
            log.error("store receipt failed device_id={} error={}", e.deviceId(), ex.toString(), ex);
        }
    }

    /** The id of a device message: {@code site:device:boot:seq}, with {@code :r<epoch>} once the device has rewound that boot. */
    private String messageId(String deviceId, DevicePosition position, int epoch) {
        String id = position.messageId(siteId, deviceId);
        return epoch == 0 ? id : id + ":r" + epoch;
    }

    /** After a failed commit: keeps the events nobody would resend, bounded; returns how many were kept. */
    private int keepForRetry(List<QueuedWork> batch, int retried) {
        int dropped = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (!(batch.get(i) instanceof PendingEvent e)) {
                continue;
            }
            if (e.position() != null) {
                tell(e, false);
                continue;
            }
            int failures = (i < retried ? retryAttempts.get(i) : 0) + 1;
            if (failures >= RETRY_ATTEMPTS || retries.size() >= RETRY_CAPACITY) {
                dropped++;
                tell(e, false);
            } else {
                retries.add(new Retry(e, failures));
            }
        }
        if (dropped > 0) {
            meters.retryDropped(dropped);
            log.error(
                    "outbox gave up gateway events after failed commits count={} retry_capacity={} attempts={}",
                    dropped,
                    RETRY_CAPACITY,
                    RETRY_ATTEMPTS);
            listener.retryDropped(dropped);
        }
        return retries.size();
    }

    private List<Watermark> saveProgress(long now) throws SQLException {
        List<Watermark> watermarks = new ArrayList<>();
        PreparedStatement upsert = statement(UPSERT_PROGRESS);
        for (DeviceProgress p : tracker.touched()) {
            upsert.setString(1, p.deviceId);
            upsert.setLong(2, p.boot);
            upsert.setLong(3, p.contiguous());
            upsert.setString(4, p.pendingCsv());
            upsert.setLong(5, now);
            upsert.setInt(6, p.epoch);
            upsert.setBytes(7, p.digestColumn());
            upsert.addBatch();
            if (p.contiguous() > 0) {
                watermarks.add(new Watermark(p.deviceId, p.boot, p.contiguous()));
            }
        }
        upsert.executeBatch();
        pruneOldBoots();
        return watermarks;
    }

    /** Keeps the progress of a device's {@link #BOOTS_KEPT} most recently written boots, so a device cycling its boot cannot grow the table. */
    private void pruneOldBoots() throws SQLException {
        if (tracker.devicesWithNewBoot().isEmpty()) {
            return;
        }
        try (PreparedStatement prune =
                connection.prepareStatement("DELETE FROM device_progress WHERE device_id = ? AND boot NOT IN "
                        + "(SELECT boot FROM device_progress WHERE device_id = ? ORDER BY updated_at DESC, boot DESC LIMIT "
                        + BOOTS_KEPT + ")")) {
            for (String device : tracker.devicesWithNewBoot()) {
                prune.setString(1, device);
                prune.setString(2, device);
                prune.addBatch();
            }
            prune.executeBatch();
        }
    }

    private void saveCursors(Map<String, Long> cursors) throws SQLException {
        if (cursors.isEmpty()) {
            return;
        }
        PreparedStatement upsert = statement(UPSERT_CURSOR);
        for (Map.Entry<String, Long> c : cursors.entrySet()) {
            upsert.setString(1, c.getKey());
            upsert.setLong(2, c.getValue());
            upsert.addBatch();
        }
        upsert.executeBatch();
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
                quota.purging(connection, state.purgedThrough(), deliveredEverywhere);
                try (PreparedStatement delete =
                        connection.prepareStatement("DELETE FROM outbox WHERE seq <= ? AND held = 0")) {
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
                log.warn(
                        "outbox full, evicted oldest telemetry count={} bytes={} first_seq={} last_seq={} stored_bytes={}",
                        eviction.count(),
                        eviction.bytes(),
                        eviction.firstSeq(),
                        eviction.lastSeq(),
                        capacity.storedBytes());
                listener.evicted(Channel.TELEMETRY, eviction.count(), eviction.firstSeq(), eviction.lastSeq());
            }
        } catch (SQLException e) {
            rollback();
            reloadCapacity();
            log.warn("outbox housekeeping failed error={}", e.toString());
        }
    }

    private long bytesThrough(long seq) throws SQLException {
        try (PreparedStatement sum = connection.prepareStatement(
                "SELECT COALESCE(SUM(length(event)), 0) FROM outbox WHERE seq <= ? AND held = 0")) {
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
            quota.load(connection);
            auditTrail.load(connection);
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
                ResultSet rs =
                        st.executeQuery("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0), "
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
