package aurora.edge.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.DevicePosition;
import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.store.Database;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The outbox file and its WAL shrink back after a backlog drains, and stay bounded while a reader holds them. */
class OutboxSpaceTest {
    private static final Logger log = LoggerFactory.getLogger(OutboxSpaceTest.class);
    private static final long MIB = 1024 * 1024;
    private static final byte[] BODY = new byte[1000];

    static {
        new Random(7).nextBytes(BODY);
    }

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Database database;
    private Outbox outbox;
    private long deviceSeq;

    private Outbox open() {
        database = Database.open(dir.resolve("o.db"));
        outbox = new Outbox(
                database,
                "gw1",
                "site1",
                List.of("a"),
                100_000,
                500,
                Duration.ofMillis(2),
                OutboxLimits.unbounded(),
                (w, g) -> {},
                registry,
                Clock.systemUTC());
        return outbox;
    }

    @AfterEach
    void close() {
        if (outbox != null) outbox.close();
    }

    /** Appends about {@code bytes} of telemetry and waits until all of it is committed. */
    private void fill(long bytes) throws InterruptedException {
        for (long n = 0; n < bytes / BODY.length; n++) {
            assertThat(outbox.offer(new PendingEvent(
                            "d1",
                            Channel.TELEMETRY,
                            Severity.INFO,
                            new DevicePosition(0, ++deviceSeq),
                            Instant.now(),
                            null,
                            id -> BODY)))
                    .isTrue();
        }
        assertThat(outbox.flush(Duration.ofSeconds(60))).isTrue();
    }

    /** Marks everything delivered; the writer purges it at its next housekeeping. */
    private void drain() {
        outbox.advanceCursor("a", outbox.lastCommittedSeq());
    }

    private long fileBytes() {
        return size(database.file());
    }

    private long walBytes() {
        return size(database.walFile());
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The database's size as SQLite sees it (pages in the file and the WAL), whatever the checkpoints have done. */
    private long logicalBytes() throws SQLException {
        try (Connection c = database.openReader();
                Statement st = c.createStatement()) {
            return single(st, "PRAGMA page_count") * single(st, "PRAGMA page_size");
        }
    }

    private static long single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private double checkpoints(String mode, String result) {
        Counter c = registry.find("aurora_outbox_checkpoints")
                .tag("mode", mode)
                .tag("result", result)
                .counter();
        return c == null ? 0 : c.count();
    }

    private void awaitDrainedAndShrunk() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fileBytes() <= 2 * MIB && walBytes() <= OutboxSpace.TRUNCATE_WAL_ABOVE);
    }

    @Test
    void aNewDatabaseIsCreatedWithIncrementalAutoVacuum() throws SQLException {
        for (Database db : List.of(
                Database.open(dir.resolve("o.db")), Database.open(dir.resolve("r.db"), "classpath:db/registry"))) {
            try (Connection c = db.openReader();
                    Statement st = c.createStatement()) {
                assertThat(single(st, "PRAGMA auto_vacuum"))
                        .as("auto_vacuum of %s", db.file())
                        .isEqualTo(2);
                assertThat(single(st, "PRAGMA journal_size_limit")).isEqualTo(Database.JOURNAL_SIZE_LIMIT_BYTES);
            }
        }
    }

    @Test
    void aDatabaseCreatedWithoutAutoVacuumIsLeftAsItIsAndStillPurges() throws Exception {
        // As before this change: switching to WAL writes the first page, and with it auto_vacuum=NONE.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("o.db"));
                Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL");
        }
        open();
        fill(100L * BODY.length);
        drain();
        try (OutboxReader r = outbox.openReader()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> r.countAfter(0) == 0);
        }
        try (Connection c = database.openReader();
                Statement st = c.createStatement()) {
            assertThat(single(st, "PRAGMA auto_vacuum")).isZero();
        }
        assertThat(registry.find("aurora_outbox_vacuumed_bytes").counter().count())
                .isZero();
    }

    @Test
    void afterABacklogDrainsTheFileAndItsWalShrinkToASmallFractionOfTheirPeak() throws Exception {
        open();
        fill(20 * MIB);
        long peak = fileBytes() + walBytes();
        assertThat(peak).isGreaterThan(20 * MIB);

        drain();
        awaitDrainedAndShrunk();

        long after = fileBytes() + walBytes();
        log.info(
                "drained file_bytes={} wal_bytes={} peak_bytes={} vacuumed_bytes={}",
                fileBytes(),
                walBytes(),
                peak,
                (long) registry.find("aurora_outbox_vacuumed_bytes").counter().count());
        assertThat(after).isLessThan(peak / 5);
        // counted just after the shrink's commit, so possibly a moment after the file got small
        await().atMost(Duration.ofSeconds(5))
                .until(() ->
                        registry.get("aurora_outbox_vacuumed_bytes").counter().count() > 18 * MIB);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> registry.get("aurora_outbox_file_bytes").gauge().value() <= 2 * MIB);
    }

    @Test
    void repeatedFillAndDrainCyclesDoNotGrowTheFile() throws Exception {
        open();
        List<Long> peaks = new ArrayList<>();
        for (int cycle = 1; cycle <= 3; cycle++) {
            fill(8 * MIB);
            peaks.add(logicalBytes());
            drain();
            awaitDrainedAndShrunk();
            log.info(
                    "cycle={} peak_logical_bytes={} file_bytes={} wal_bytes={}",
                    cycle,
                    peaks.get(cycle - 1),
                    fileBytes(),
                    walBytes());
        }
        assertThat(peaks.get(2)).isLessThanOrEqualTo((long) (peaks.get(0) * 1.1));
    }

    @Test
    void theWalGrowsOnlyWhileAReaderHoldsItsSnapshotAndIsResetOnceItLetsGo() throws Exception {
        open();
        try (Connection reader = database.openReader()) {
            reader.setAutoCommit(false);
            try (Statement st = reader.createStatement()) {
                single(st, "SELECT COUNT(*) FROM outbox"); // the read transaction, and its snapshot, now stay open
            }
            fill(24 * MIB);
            drain();
            await().atMost(Duration.ofSeconds(10)).until(() -> checkpoints("truncate", "busy") >= 1);
            assertThat(walBytes()).as("the reader pins the WAL").isGreaterThan(16 * MIB);
            log.info("reader holding wal_bytes={} file_bytes={}", walBytes(), fileBytes());
            reader.rollback();
        }
        double busyTruncates = checkpoints("truncate", "busy");

        // The file shrinks inside the TRUNCATE checkpoint, the counter moves just after it: wait for both.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> walBytes() <= OutboxSpace.TRUNCATE_WAL_ABOVE && checkpoints("truncate", "complete") >= 1);
        log.info("reader gone wal_bytes={} file_bytes={} busy_truncates={}", walBytes(), fileBytes(), busyTruncates);
        assertThat(walBytes()).isLessThanOrEqualTo(Database.JOURNAL_SIZE_LIMIT_BYTES);
        assertThat(busyTruncates)
                .as("a reader on an old snapshot is waited for once, not at every tick")
                .isLessThanOrEqualTo(2);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> registry.get("aurora_outbox_wal_bytes").gauge().value() <= OutboxSpace.TRUNCATE_WAL_ABOVE);
    }
}
