package aurora.edge.gateway.outbox;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.store.Database;
import aurora.edge.gateway.store.StoreException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable store-and-forward buffer every accepted event passes through. Events are offered
 * without blocking, committed by one writer thread in groups, and read back in sequence order by
 * one {@link OutboxReader} per sink, each with its own cursor.
 */
public final class Outbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final Database database;
    private final BlockingQueue<QueuedWork> queue;
    private final HeldRows held = new HeldRows();
    private final OutboxState state = new OutboxState();
    private final OutboxMeters meters;
    private final OutboxWriter writer;
    private final Thread writerThread;
    private final Connection writerConnection;
    private final String epoch;
    private final AtomicLong offered = new AtomicLong();
    private final OutboxCapacity capacity;
    private final DeviceQuota quota;

    /**
     * @param gatewayId used in the message ids of events without a device position
     * @param siteId    used in the message ids of device messages ({@code {site}:{device}:{boot}:{seq}})
     * @param sinks     every sink that drains this outbox; a row is purged only once all of them have it,
     *                  so all must be known before the writer starts
     * @param listener  told the new device watermarks after each commit
     */
    public Outbox(
            Database database,
            String gatewayId,
            String siteId,
            List<String> sinks,
            int queueCapacity,
            int commitMaxRows,
            Duration commitMaxDelay,
            OutboxLimits limits,
            CommitListener listener,
            MeterRegistry registry,
            Clock clock) {
        this.database = database;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.meters = new OutboxMeters(registry);
        this.writerConnection = database.openWriter();
        this.epoch = loadOrCreateEpoch(writerConnection);
        for (String sink : sinks) {
            state.registerSink(sink, savedCursor(writerConnection, sink), true);
            state.registerSink(laneOf(sink), savedCursor(writerConnection, laneOf(sink)), false);
        }
        this.capacity = new OutboxCapacity(limits, () -> usableSpace(database.file()));
        this.quota = new DeviceQuota(limits.deviceQuotaBytes());
        OutboxSpace space = new OutboxSpace(writerConnection, database.file(), database.walFile(), meters);
        this.writer = new OutboxWriter(
                writerConnection,
                queue,
                state,
                listener,
                meters,
                clock,
                commitMaxRows,
                commitMaxDelay,
                gatewayId + ":e" + epoch.substring(0, 8) + ":",
                siteId,
                capacity,
                space,
                new AuditTrail(limits.auditMaxAge(), limits.auditMaxRows(), limits.auditMaxBytes()),
                quota,
                limits.resendWindow(),
                limits.gapTimeout(),
                held);
        Gauge.builder("aurora_outbox_held_rows", held, HeldRows::total)
                .description("device events held until their device's attestation verdict")
                .register(registry);
        Gauge.builder("aurora_outbox_stored_bytes", capacity, OutboxCapacity::storedBytes)
                .description("bytes of events stored (the limit applies to this)")
                .register(registry);
        Gauge.builder("aurora_outbox_wal_bytes", space, OutboxSpace::walBytes)
                .description("size of the -wal file at the last checkpoint")
                .register(registry);
        Gauge.builder("aurora_outbox_file_bytes", space, OutboxSpace::fileBytes)
                .description("size of the database file at the last checkpoint")
                .register(registry);
        Gauge.builder("aurora_outbox_queue_depth", queue, BlockingQueue::size)
                .description("events waiting for the next group commit")
                .register(registry);
        Gauge.builder("aurora_outbox_last_seq", state, OutboxState::committedSeq)
                .description("highest committed outbox sequence")
                .register(registry);
        this.writerThread = new Thread(writer, "outbox-writer");
        this.writerThread.start();
        log.info("outbox open file={} epoch={} last_seq={}", database.file(), epoch, state.committedSeq());
    }

    /**
     * Queues an event for the next group commit. Never blocks: when the writer is this far behind,
     * the event is refused and the caller reports overload (the device keeps it and resends).
     */
    public boolean offer(PendingEvent event) {
        if (!capacity.admits(event.channel())) {
            meters.refusedFull();
            return false;
        }
        boolean queued = queue.offer(event);
        if (queued) {
            offered.incrementAndGet();
            writer.offered(queue.size());
        } else {
            meters.queueFull();
        }
        return queued;
    }

    /** Events waiting for the next group commit (also the gauge {@code aurora_outbox_queue_depth}). */
    public int queueDepth() {
        return queue.size();
    }

    /**
     * Claims room for one more held event of this device (see {@link PendingEvent#held}); false when
     * it already holds {@code max}. Offer the held event only after a successful claim.
     */
    public boolean reserveHeld(String deviceId, int max) {
        return held.reserve(deviceId, max);
    }

    /** Gives a claim back when the held event could not be offered after all. */
    public void unreserveHeld(String deviceId) {
        held.unreserve(deviceId);
    }

    /** Devices with held events (committed or claimed). */
    public Set<String> devicesWithHeldData() {
        return held.devices();
    }

    /** How many events this device has held (committed or claimed). */
    public int heldBy(String deviceId) {
        return held.heldBy(deviceId);
    }

    /**
     * Queues a decision about a device's held data behind everything queued so far. Waits up to
     * {@code timeout} for room (a decision, unlike device data, is sent by nobody again); false if
     * there was none.
     */
    public boolean decide(HoldDecision decision, Duration timeout) throws InterruptedException {
        if (decision.released()) {
            held.releaseQueued(decision.deviceId()); // before the offer: the writer may commit it at once
        }
        boolean queued = false;
        try {
            queued = queue.offer(decision, timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } finally {
            if (queued) {
                offered.incrementAndGet();
                writer.offered(queue.size());
            } else if (decision.released()) {
                held.releaseNotQueued(decision.deviceId());
            }
        }
        return queued;
    }

    /**
     * Whether a release of this device's held data is queued and not yet committed: an event offered
     * now lands behind it, so it may be stored as forwardable without overtaking the held data.
     */
    public boolean releaseQueued(String deviceId) {
        return held.releasePending(deviceId);
    }

    /**
     * Whether the outbox takes events of this channel now: new telemetry is refused at the hard cap
     * (or with too little free disk), everything when the disk is nearly full.
     */
    public boolean admits(Channel channel) {
        return capacity.admits(channel);
    }

    /**
     * Whether this device may store more of what is never evicted (alerts, attestation answers,
     * held data): false while what it has in the outbox is at {@code outbox.device_quota_bytes}.
     * Telemetry is not limited per device: it is evicted oldest first instead.
     */
    /** Bytes of events the outbox holds now (what its caps, {@code store.outbox_max_bytes} and the hard cap, are measured against). */
    public long storedBytes() {
        return capacity.storedBytes();
    }

    public boolean withinDeviceQuota(String deviceId) {
        return quota.admits(deviceId);
    }

    /** Identifies this database: sequences restart when it is recreated, so sinks key their dedup by it. */
    public String epoch() {
        return epoch;
    }

    public long lastCommittedSeq() {
        return state.committedSeq();
    }

    /** Moves a sink's cursor forward; saved to disk with the next group commit. */
    public void advanceCursor(String sink, long seq) {
        state.advance(sink, seq);
        writer.cursorMoved();
    }

    public long cursor(String sink) {
        return state.cursor(sink);
    }

    /**
     * A sink's priority lane: every alert, attestation and audit event up to this seq is delivered,
     * even where the main cursor is still behind in a telemetry backlog. Never holds rows from purging.
     */
    public long priorityCursor(String sink) {
        return state.cursor(laneOf(sink));
    }

    public void advancePriorityCursor(String sink, long seq) {
        state.advance(laneOf(sink), seq);
        writer.cursorMoved();
    }

    private static String laneOf(String sink) {
        return sink + ":priority";
    }

    public Map<String, Long> cursors() {
        return state.cursors();
    }

    /** Blocks up to {@code timeout} until an event after {@code seq} is committed; true if one is. */
    public boolean awaitCommitAfter(long seq, Duration timeout) throws InterruptedException {
        return state.awaitCommitAfter(seq, timeout.toMillis());
    }

    /** A reader with its own connection, for one forwarder thread. */
    public OutboxReader openReader() {
        return new OutboxReader(database.openReader());
    }

    /** Waits up to {@code timeout} until every queued event is committed; true if the queue emptied. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long target = offered.get();
        while (writer.handled() < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Stops taking events, commits everything queued and closes the writer. */
    @Override
    public void close() {
        writer.stop();
        try {
            writerThread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            writerConnection.close();
        } catch (SQLException e) {
            log.warn("closing outbox writer connection failed error={}", e.toString());
        }
        log.info("outbox closed last_seq={} cursors={}", state.committedSeq(), state.cursors());
    }

    private static long usableSpace(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.getFileStore(file.toAbsolutePath().getParent())
                    .getUsableSpace();
        } catch (java.io.IOException e) {
            return Long.MAX_VALUE; // cannot tell: do not refuse on a guess
        }
    }

    private static long savedCursor(Connection connection, String sink) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT seq FROM sink_cursor WHERE sink = ?")) {
            ps.setString(1, sink);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read cursor of sink " + sink, e);
        }
    }

    private static String loadOrCreateEpoch(Connection connection) {
        try {
            connection.setAutoCommit(true);
            try (PreparedStatement insert =
                    connection.prepareStatement("INSERT OR IGNORE INTO outbox_meta (key, value) VALUES ('epoch', ?)")) {
                insert.setString(1, UUID.randomUUID().toString().replace("-", ""));
                insert.executeUpdate();
            }
            try (PreparedStatement select =
                            connection.prepareStatement("SELECT value FROM outbox_meta WHERE key = 'epoch'");
                    ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the outbox epoch", e);
        }
    }
}
