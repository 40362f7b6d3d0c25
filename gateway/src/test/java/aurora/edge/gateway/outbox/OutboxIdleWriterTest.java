package aurora.edge.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.DevicePosition;
import aurora.edge.gateway.device.Severity;
import aurora.edge.testing.TestOutboxes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * An idle outbox writer sleeps until its once-a-second housekeeping instead of polling its queue
 * every 100 ms, and is still woken at once by an event or by a sink's moved cursor. (What the idle
 * wake-ups cost in CPU is the bench's business, bench/README.md "Idle wake-ups"; here they are
 * counted, as the kernel counts them.)
 */
class OutboxIdleWriterTest {
    /**
     * Well under the idle wait of 1 s: acting right after the writer's idle wake-up
     * ({@link #rightAfterAnIdleWakeUp}), a wake that works takes ~0–100 ms, one missed ~1–1.1 s.
     */
    private static final Duration PROMPTLY = Duration.ofMillis(600);

    @TempDir
    Path dir;

    private Outbox outbox;

    @AfterEach
    void close() {
        if (outbox != null) outbox.close();
    }

    private Outbox open() {
        outbox = TestOutboxes.open(dir.resolve("o.db"), "gw1", List.of("redis"), 1000, Duration.ofMillis(2));
        return outbox;
    }

    private static PendingEvent telemetry(long seq) {
        return new PendingEvent(
                "d1",
                Channel.TELEMETRY,
                Severity.INFO,
                new DevicePosition(0, seq),
                Instant.now(),
                null,
                id -> ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    /** Commits one event and returns the kernel's task directory of the writer thread (its receipt runs on it). */
    private Path writerTask() throws Exception {
        CompletableFuture<Path> task = new CompletableFuture<>();
        outbox.offer(telemetry(1).withReceipt(new StoreReceipt() {
            @Override
            public void stored() {
                try {
                    task.complete(Path.of("/proc/thread-self").toRealPath());
                } catch (IOException e) {
                    task.completeExceptionally(e);
                }
            }

            @Override
            public void notStored() {
                task.completeExceptionally(new AssertionError("not stored"));
            }
        }));
        return task.get();
    }

    private static long voluntarySwitches(Path task) throws IOException {
        for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        throw new IllegalStateException("no voluntary_ctxt_switches in " + task);
    }

    private long savedCursor(String sink) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("o.db"));
                PreparedStatement ps = c.prepareStatement("SELECT seq FROM sink_cursor WHERE sink = ?")) {
            ps.setString(1, sink);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /**
     * Returns just after the idle writer woke (for housekeeping) and went back to sleep, so its next
     * wake of its own is about a second away: what happens sooner was woken by the test's action.
     */
    private void rightAfterAnIdleWakeUp(Path writer) throws IOException {
        idleFor(Duration.ofMillis(1200));
        long before = voluntarySwitches(writer);
        await().pollInterval(Duration.ofMillis(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> voluntarySwitches(writer) > before);
        long woke = voluntarySwitches(writer);
        // Housekeeping may block on I/O once or twice more; settled when the count stays put for 50 ms.
        await().pollInterval(Duration.ofMillis(5))
                .during(Duration.ofMillis(50))
                .atMost(Duration.ofSeconds(5))
                .until(() -> voluntarySwitches(writer) - woke < 5);
    }

    /** Long enough for the writer to be in its idle wait, whatever it did last. */
    private void idleFor(Duration d) {
        long committed = outbox.lastCommittedSeq();
        await().during(d).atMost(d.plusSeconds(5)).until(() -> outbox.lastCommittedSeq() == committed);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void anIdleWriterWakesAboutOnceASecondForHousekeepingNotTenTimes() throws Exception {
        open();
        Path writer = writerTask();
        idleFor(Duration.ofMillis(300));
        long before = voluntarySwitches(writer);

        // 2 s idle: housekeeping twice (a few context switches each at most); polling every 100 ms was 20 wake-ups.
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(4))
                .until(() -> voluntarySwitches(writer) - before < 10);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void anEventOfferedToAnIdleWriterIsCommittedAtOnce() throws Exception {
        open();
        Path writer = writerTask();
        rightAfterAnIdleWakeUp(writer);

        outbox.offer(telemetry(2));

        await().atMost(PROMPTLY).until(() -> outbox.lastCommittedSeq() == 2);
        try (OutboxReader r = outbox.openReader()) {
            assertThat(r.after(0, 10))
                    .extracting(OutboxRecord::messageId)
                    .containsExactly("site1:d1:0:1", "site1:d1:0:2");
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aCursorMovedWhileTheWriterIsIdleIsSavedWithinTheCursorSaveDelayNotAtTheNextHousekeeping() throws Exception {
        open();
        Path writer = writerTask();
        rightAfterAnIdleWakeUp(writer);

        outbox.advanceCursor("redis", 1);

        await().atMost(PROMPTLY).until(() -> savedCursor("redis") == 1);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aReleaseOfHeldDataQueuedForAnIdleWriterIsCommittedAtOnce() throws Exception {
        open();
        Path writer = writerTask();
        assertThat(outbox.reserveHeld("d2", 1)).isTrue();
        outbox.offer(PendingEvent.held(
                "d2",
                Channel.TELEMETRY,
                Severity.INFO,
                new DevicePosition(0, 1),
                Instant.now(),
                id -> ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8),
                PendingEvent.digestOf("reading".getBytes(StandardCharsets.UTF_8))));
        assertThat(outbox.flush(Duration.ofSeconds(10))).isTrue();
        long beforeRelease = outbox.lastCommittedSeq();
        rightAfterAnIdleWakeUp(writer);

        assertThat(outbox.decide(HoldDecision.release("d2", "trusted"), Duration.ofSeconds(1)))
                .isTrue();

        // The release re-inserts the held row under a new seq.
        await().atMost(PROMPTLY).until(() -> outbox.lastCommittedSeq() > beforeRelease);
        assertThat(outbox.heldBy("d2")).isZero();
    }
}
