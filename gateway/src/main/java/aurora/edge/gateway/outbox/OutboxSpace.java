package aurora.edge.gateway.outbox;

import aurora.edge.gateway.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the outbox file near the size of its backlog. The writer thread calls it once a second,
 * between its own transactions, around the purge:
 * <ul>
 *   <li>{@link #shrink} (before the purge): hands free pages back to the file system, a bounded chunk
 *       per call, with {@code PRAGMA incremental_vacuum} (only in files created with {@code auto_vacuum=INCREMENTAL});</li>
 *   <li>{@link #checkpoint} (after it): copies the WAL into the file ({@code PASSIVE}, never waits) and, when
 *       the WAL is large, resets it to zero bytes ({@code TRUNCATE}, waiting at most 50 ms for readers).</li>
 * </ul>
 * Without the reset, readers that are always active starve SQLite's own checkpoints of the moment
 * they need to start the WAL over, and the {@code -wal} file grows without bound. Failures are
 * logged and retried at the next call; they never reach the writer.
 */
final class OutboxSpace {
    private static final Logger log = LoggerFactory.getLogger(OutboxSpace.class);
    /**
     * A WAL larger than this is reset to zero after the checkpoint, when readers allow: about what
     * SQLite's own checkpoint lets it grow to (1000 pages), so a WAL this size is normal under load.
     */
    static final long TRUNCATE_WAL_ABOVE = 4L * 1024 * 1024;
    /** More free pages than this, idle for a whole tick, start a shrink... */
    static final long SHRINK_FREE_ABOVE = 8L * 1024 * 1024;
    /** ...which returns at most this much per tick, so no single step stalls intake for long... */
    static final long SHRINK_CHUNK = 8L * 1024 * 1024;
    /** ...and goes on until less than this is free. */
    static final long SHRINK_DOWN_TO = 1024L * 1024;
    /** How long a TRUNCATE may wait for readers to leave the WAL; intake waits as long. */
    private static final int TRUNCATE_WAIT_MILLIS = 50;

    private final Connection connection;
    private final Path file;
    private final Path walFile;
    private final OutboxMeters meters;
    private final boolean incremental;
    private final long pageSize;
    private boolean shrinking;
    private boolean readerBlockedLastTruncate;
    private volatile long walBytes;
    private volatile long fileBytes;

    /** Reads how the file was created; the writer's connection must not be inside a transaction yet. */
    OutboxSpace(Connection connection, Path file, Path walFile, OutboxMeters meters) {
        this.connection = connection;
        this.file = file;
        this.walFile = walFile;
        this.meters = meters;
        long autoVacuum;
        long page;
        try {
            autoVacuum = single("PRAGMA auto_vacuum");
            page = single("PRAGMA page_size");
        } catch (SQLException e) {
            log.warn("outbox space settings unreadable, not shrinking file={} error={}", file, e.toString());
            autoVacuum = 0;
            page = 4096;
        }
        this.incremental = autoVacuum == 2;
        this.pageSize = page;
        if (!incremental) {
            log.info(
                    "outbox file has no incremental auto_vacuum: freed pages are reused but the file does not shrink; "
                            + "an offline VACUUM changes that (docs/operations.md) file={} auto_vacuum={}",
                    file,
                    autoVacuum);
        }
        measure();
    }

    long walBytes() {
        return walBytes;
    }

    long fileBytes() {
        return fileBytes;
    }

    /**
     * Runs inside the writer's (empty) transaction, before housekeeping deletes anything: the free
     * pages it finds have stayed free for a whole tick of intake, so they are not about to be
     * reused. Once more than {@link #SHRINK_FREE_ABOVE} are free, returns them a chunk per call
     * until less than {@link #SHRINK_DOWN_TO} is left. Commits its own work.
     */
    void shrink() {
        if (!incremental) {
            return;
        }
        try {
            long free = single("PRAGMA freelist_count");
            shrinking = free * pageSize > (shrinking ? SHRINK_DOWN_TO : SHRINK_FREE_ABOVE);
            if (!shrinking) {
                return;
            }
            long started = System.nanoTime();
            try (Statement st = connection.createStatement()) {
                // executeUpdate steps the pragma to its end; execute() would stop after the first page.
                st.executeUpdate("PRAGMA incremental_vacuum(" + Math.min(free, SHRINK_CHUNK / pageSize) + ")");
            }
            connection.commit();
            long left = single("PRAGMA freelist_count");
            meters.vacuumed((free - left) * pageSize);
            log.debug(
                    "outbox shrunk bytes={} free_bytes_left={} took_ms={}",
                    (free - left) * pageSize,
                    left * pageSize,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException e) {
            rollback();
            log.warn("outbox shrink failed, retrying next tick error={}", e.toString());
        }
    }

    /**
     * Runs right after the writer's commit. The driver begins the next transaction at once, and
     * SQLite refuses to checkpoint inside one ({@code SQLITE_LOCKED}), so this steps out of it and
     * back in. Stepping out also lets the writer's next transaction start on a fully copied WAL,
     * which is when SQLite may start the WAL over.
     */
    void checkpoint() {
        long wal = size(walFile);
        if (wal != 0) {
            try {
                connection.setAutoCommit(true);
                try {
                    checkpoint(wal);
                } finally {
                    connection.setAutoCommit(false);
                }
            } catch (SQLException e) {
                log.warn("outbox checkpoint failed, retrying next tick wal_bytes={} error={}", wal, e.toString());
            }
        }
        measure();
    }

    private void checkpoint(long wal) throws SQLException {
        boolean complete = checkpoint("PASSIVE");
        // TRUNCATE waits for readers; after one kept it waiting, try again only once a PASSIVE
        // copied everything, which a reader still on an old snapshot would have prevented.
        if (wal > TRUNCATE_WAL_ABOVE && (complete || !readerBlockedLastTruncate)) {
            setBusyTimeout(TRUNCATE_WAIT_MILLIS);
            try {
                readerBlockedLastTruncate = !checkpoint("TRUNCATE");
            } finally {
                setBusyTimeout(Database.BUSY_TIMEOUT_MILLIS);
            }
        }
    }

    /** Returns whether every WAL frame is now in the file (after TRUNCATE: and the WAL is empty). */
    private boolean checkpoint(String mode) throws SQLException {
        String tag = mode.toLowerCase(Locale.ROOT);
        long started = System.nanoTime();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            rs.next();
            boolean busy = rs.getInt(1) != 0;
            long frames = rs.getLong(2);
            long copied = rs.getLong(3);
            boolean complete = !busy && frames == copied;
            String result = busy ? "busy" : complete ? "complete" : "partial";
            meters.checkpointed(tag, result);
            log.debug(
                    "outbox checkpoint mode={} result={} wal_frames={} copied_frames={} took_ms={}",
                    tag,
                    result,
                    frames,
                    copied,
                    (System.nanoTime() - started) / 1_000_000);
            return complete;
        } catch (SQLException e) {
            meters.checkpointed(tag, "failed");
            throw e;
        }
    }

    private void setBusyTimeout(int millis) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("PRAGMA busy_timeout = " + millis);
        }
    }

    private void measure() {
        walBytes = size(walFile);
        fileBytes = size(file);
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            return -1;
        }
    }

    private long single(String sql) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
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
