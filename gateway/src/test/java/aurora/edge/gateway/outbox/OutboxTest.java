package aurora.edge.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.DevicePosition;
import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
    @TempDir
    Path dir;

    private final List<Watermark> watermarks = new CopyOnWriteArrayList<>();
    private final List<CommitListener.SeqGap> gaps = new CopyOnWriteArrayList<>();
    private Outbox outbox;

    private Outbox open() {
        return open(List.of());
    }

    private Outbox open(List<String> sinks) {
        outbox = new Outbox(
                Database.open(dir.resolve("o.db")),
                "gw1",
                "site1",
                sinks,
                1000,
                100,
                Duration.ofMillis(2),
                OutboxLimits.unbounded(),
                (w, g) -> {
                    watermarks.addAll(w);
                    gaps.addAll(g);
                },
                new SimpleMeterRegistry(),
                Clock.systemUTC());
        return outbox;
    }

    @AfterEach
    void close() {
        if (outbox != null) outbox.close();
    }

    private static PendingEvent telemetry(String device, long boot, long seq) {
        return new PendingEvent(
                device,
                Channel.TELEMETRY,
                Severity.INFO,
                new DevicePosition(boot, seq),
                Instant.now(),
                null,
                id -> ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private List<OutboxRecord> all() {
        try (OutboxReader r = outbox.openReader()) {
            return r.after(0, 10_000);
        }
    }

    private void awaitCommitted(long seq) {
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.lastCommittedSeq() >= seq);
    }

    @Test
    void eventsAreStoredInOrderWithDeterministicMessageIds() throws Exception {
        open();
        for (int i = 1; i <= 5; i++) outbox.offer(telemetry("d1", 3, i));
        assertThat(outbox.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(all())
                .extracting(OutboxRecord::messageId)
                .containsExactly("site1:d1:3:1", "site1:d1:3:2", "site1:d1:3:3", "site1:d1:3:4", "site1:d1:3:5");
        assertThat(all()).extracting(OutboxRecord::seq).isSorted();
        assertThat(new String(all().get(0).event(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"site1:d1:3:1\"}");
    }

    private static PendingEvent heldTelemetry(String device, long boot, long seq) {
        return PendingEvent.held(
                device,
                Channel.TELEMETRY,
                Severity.INFO,
                new DevicePosition(boot, seq),
                Instant.now(),
                id -> ("{\"id\":\"" + id + "\",\"trust\":\"pending\"}").getBytes(StandardCharsets.UTF_8),
                PendingEvent.digestOf(("reading " + seq).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void heldEventsAreAcknowledgedButNotReadUntilAReleaseReinsertsThemInOrderAfterEverythingStampedTrusted()
            throws Exception {
        open(List.of("redis"));
        assertThat(outbox.reserveHeld("d1", 2)).isTrue();
        assertThat(outbox.reserveHeld("d1", 2)).isTrue();
        assertThat(outbox.reserveHeld("d1", 2))
                .as("a device holds at most max events")
                .isFalse();
        outbox.offer(heldTelemetry("d1", 0, 1));
        outbox.offer(heldTelemetry("d1", 0, 2));
        outbox.offer(telemetry("d2", 0, 1));
        assertThat(outbox.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(watermarks).contains(new Watermark("d1", 0, 2));
        assertThat(all()).extracting(OutboxRecord::messageId).containsExactly("site1:d2:0:1");
        // The sink passes the held rows; the purge must not take them.
        outbox.advanceCursor("redis", outbox.lastCommittedSeq());
        outbox.offer(telemetry("d2", 0, 2));
        assertThat(outbox.flush(Duration.ofSeconds(10))).isTrue();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> all().stream().noneMatch(r -> r.messageId().equals("site1:d2:0:1")));
        assertThat(outbox.heldBy("d1")).isEqualTo(2);

        assertThat(outbox.decide(HoldDecision.release("d1", "trusted"), Duration.ofSeconds(1)))
                .isTrue();
        assertThat(outbox.flush(Duration.ofSeconds(10))).isTrue();
        List<OutboxRecord> after =
                all().stream().filter(r -> r.seq() > outbox.cursor("redis")).toList();
        assertThat(after)
                .extracting(OutboxRecord::messageId)
                .containsExactly("site1:d2:0:2", "site1:d1:0:1", "site1:d1:0:2");
        assertThat(new String(after.get(1).event(), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":\"site1:d1:0:1\",\"trust\":\"trusted\"}");
        assertThat(outbox.heldBy("d1")).isZero();
    }

    @Test
    void anEventHeldBehindAReleaseStaysCountedAndTheNextReleaseForwardsIt() throws Exception {
        open(List.of("redis"));
        assertThat(outbox.reserveHeld("d1", 10)).isTrue();
        assertThat(outbox.reserveHeld("d1", 10)).isTrue();
        outbox.offer(heldTelemetry("d1", 0, 1));
        assertThat(outbox.decide(HoldDecision.release("d1", "trusted"), Duration.ofSeconds(1)))
                .isTrue();
        outbox.offer(heldTelemetry("d1", 0, 2)); // claimed before the release, queued after it
        assertThat(outbox.flush(Duration.ofSeconds(10))).isTrue();

        assertThat(all()).extracting(OutboxRecord::messageId).containsExactly("site1:d1:0:1");
        assertThat(outbox.heldBy("d1"))
                .as("the event behind the release is still held, so the next decision about d1 covers it")
                .isEqualTo(1);
        assertThat(outbox.releaseQueued("d1")).isFalse();

        assertThat(outbox.decide(HoldDecision.release("d1", "trusted"), Duration.ofSeconds(1)))
                .isTrue();
        assertThat(outbox.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(all()).extracting(OutboxRecord::messageId).containsExactly("site1:d1:0:1", "site1:d1:0:2");
        assertThat(outbox.heldBy("d1")).isZero();
    }

    @Test
    void aQueuedReleaseIsReportedUntilItIsCommitted() throws Exception {
        open();
        outbox.reserveHeld("d1", 10);
        outbox.offer(heldTelemetry("d1", 0, 1));
        assertThat(outbox.releaseQueued("d1")).isFalse();
        java.util.concurrent.CountDownLatch writerBusy = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch goOn = new java.util.concurrent.CountDownLatch(1);
        // A receipt that blocks the writer after its commit keeps the release in the queue while the test looks.
        outbox.offer(telemetry("d2", 0, 1).withReceipt(new StoreReceipt() {
            @Override
            public void stored() {
                writerBusy.countDown();
                try {
                    goOn.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void notStored() {}
        }));
        try {
            assertThat(writerBusy.await(10, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
            assertThat(outbox.decide(HoldDecision.release("d1", "trusted"), Duration.ofSeconds(1)))
                    .isTrue();
            assertThat(outbox.releaseQueued("d1")).isTrue();
            assertThat(outbox.releaseQueued("d2")).isFalse();
        } finally {
            goOn.countDown();
        }
        assertThat(outbox.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(outbox.releaseQueued("d1")).isFalse();
        assertThat(outbox.heldBy("d1")).isZero();
    }

    @Test
    void refusedHeldEventsBecomeUntrustedDataAuditEvents() throws Exception {
        open();
        outbox.reserveHeld("d1", 10);
        outbox.offer(heldTelemetry("d1", 0, 1));
        outbox.decide(HoldDecision.refuse("d1", "UNTRUSTED_DATA"), Duration.ofSeconds(1));
        assertThat(outbox.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(all()).singleElement().satisfies(r -> {
            assertThat(r.messageId()).isEqualTo("site1:d1:0:1");
            assertThat(r.channel())
                    .as("refused data is held: audit only, never the shared stream")
                    .isEqualTo(Channel.HELD);
        });
        assertThat(outbox.heldBy("d1")).isZero();
    }

    @Test
    void aReceiptIsToldStoredOnlyOnceItsEventIsCommittedAndAResendIsToldStoredToo() throws Exception {
        open();
        List<String> told = new CopyOnWriteArrayList<>();
        for (long seq : new long[] {1, 2, 2}) {
            outbox.offer(telemetry("d1", 0, seq).withReceipt(new StoreReceipt() {
                @Override
                public void stored() {
                    // Runs after the commit: a reader on its own connection already sees the row.
                    told.add("stored " + seq + " visible="
                            + all().stream().anyMatch(r -> r.messageId().endsWith("d1:0:" + seq)));
                }

                @Override
                public void notStored() {
                    told.add("not stored " + seq);
                }
            }));
        }
        assertThat(outbox.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(told).containsExactly("stored 1 visible=true", "stored 2 visible=true", "stored 2 visible=true");
        assertThat(all()).hasSize(2);
    }

    @Test
    void aResendIsDroppedAndTheWatermarkIsRepeated() throws Exception {
        open();
        outbox.offer(telemetry("d1", 0, 1));
        outbox.offer(telemetry("d1", 0, 2));
        outbox.flush(Duration.ofSeconds(10));
        outbox.offer(telemetry("d1", 0, 2));
        outbox.flush(Duration.ofSeconds(10));
        assertThat(all()).hasSize(2);
        assertThat(watermarks).last().isEqualTo(new Watermark("d1", 0, 2));
    }

    @Test
    void theWatermarkWaitsForAGapAndTheGapIsReported() throws Exception {
        open();
        outbox.offer(telemetry("d1", 1, 1));
        outbox.offer(telemetry("d1", 1, 3));
        outbox.flush(Duration.ofSeconds(10));
        assertThat(watermarks).last().isEqualTo(new Watermark("d1", 1, 1));
        assertThat(gaps).containsExactly(new CommitListener.SeqGap("d1", 1, 2, 3));
        outbox.offer(telemetry("d1", 1, 2));
        outbox.flush(Duration.ofSeconds(10));
        assertThat(watermarks).last().isEqualTo(new Watermark("d1", 1, 3));
    }

    @Test
    void firstSightOfADeviceMidBootIsNotAGapButANewBootStartsAtOne() throws Exception {
        open();
        outbox.offer(telemetry("d1", 5, 40));
        outbox.flush(Duration.ofSeconds(10));
        assertThat(gaps).isEmpty();
        assertThat(watermarks).last().isEqualTo(new Watermark("d1", 5, 40));
        outbox.offer(telemetry("d1", 6, 3));
        outbox.flush(Duration.ofSeconds(10));
        assertThat(gaps).containsExactly(new CommitListener.SeqGap("d1", 6, 1, 3));
    }

    @Test
    void aConsumedOnlyPositionStoresNothingButMovesTheWatermark() throws Exception {
        open();
        outbox.offer(telemetry("d1", 0, 1));
        outbox.offer(PendingEvent.consumedOnly("d1", new DevicePosition(0, 2), Instant.now()));
        outbox.offer(telemetry("d1", 0, 3));
        outbox.flush(Duration.ofSeconds(10));
        assertThat(all()).extracting(OutboxRecord::messageId).containsExactly("site1:d1:0:1", "site1:d1:0:3");
        assertThat(watermarks).last().isEqualTo(new Watermark("d1", 0, 3));
    }

    @Test
    void deduplicationAndCursorsSurviveARestart() throws Exception {
        open(List.of("redis", "nats")); // nats stays at 0, so nothing is purged
        String epoch = outbox.epoch();
        outbox.offer(telemetry("d1", 0, 1));
        outbox.offer(telemetry("d1", 0, 2));
        outbox.flush(Duration.ofSeconds(10));
        long last = outbox.lastCommittedSeq();
        outbox.advanceCursor("redis", 1);
        outbox.close();

        open(List.of("redis", "nats"));
        assertThat(outbox.epoch()).isEqualTo(epoch);
        assertThat(outbox.cursor("redis")).isEqualTo(1);
        outbox.offer(telemetry("d1", 0, 2));
        outbox.offer(telemetry("d1", 0, 3));
        outbox.flush(Duration.ofSeconds(10));
        assertThat(all())
                .extracting(OutboxRecord::messageId)
                .containsExactly("site1:d1:0:1", "site1:d1:0:2", "site1:d1:0:3");
        assertThat(outbox.lastCommittedSeq()).isEqualTo(last + 1);
    }

    @Test
    void eventsWithoutAPositionGetTheGatewaysOwnUniqueIds() throws Exception {
        open();
        for (int i = 0; i < 3; i++) {
            outbox.offer(new PendingEvent(
                    null,
                    Channel.AUDIT,
                    Severity.LOW,
                    null,
                    Instant.now(),
                    "TEST",
                    id -> id.getBytes(StandardCharsets.UTF_8)));
        }
        outbox.flush(Duration.ofSeconds(10));
        assertThat(all())
                .extracting(OutboxRecord::messageId)
                .doesNotHaveDuplicates()
                .allSatisfy(
                        id -> assertThat(id).startsWith("gw1:e" + outbox.epoch().substring(0, 8) + ":"));
    }

    @Test
    void rowsEverySinkHasArePurged() throws Exception {
        open(List.of("a", "b"));
        for (int i = 1; i <= 4; i++) outbox.offer(telemetry("d1", 0, i));
        outbox.flush(Duration.ofSeconds(10));
        long last = outbox.lastCommittedSeq();
        outbox.advanceCursor("a", last);
        outbox.advanceCursor("b", last - 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> all().size() == 2);
        outbox.advanceCursor("b", last);
        await().atMost(Duration.ofSeconds(10)).until(() -> all().isEmpty());
        outbox.offer(telemetry("d1", 0, 5));
        awaitCommitted(last + 1);
        assertThat(outbox.lastCommittedSeq()).isEqualTo(last + 1);
    }

    @Test
    void offerNeverBlocksAndRefusesWhenTheQueueIsFull() {
        outbox = new Outbox(
                Database.open(dir.resolve("small.db")),
                "gw1",
                "site1",
                List.of(),
                1,
                1,
                Duration.ofSeconds(1),
                OutboxLimits.unbounded(),
                (w, g) -> {},
                new SimpleMeterRegistry(),
                Clock.systemUTC());
        int refused = 0;
        for (int i = 1; i <= 2000; i++) {
            if (!outbox.offer(telemetry("d1", 0, i))) refused++;
        }
        assertThat(refused).isPositive();
    }

    private Outbox openWithWindow(String file, int maxRows, Duration window) {
        outbox = new Outbox(
                Database.open(dir.resolve(file)),
                "gw1",
                "site1",
                List.of(),
                1000,
                maxRows,
                window,
                OutboxLimits.unbounded(),
                (w, g) -> {
                    watermarks.addAll(w);
                    commits.add(w.size());
                },
                new SimpleMeterRegistry(),
                Clock.systemUTC());
        return outbox;
    }

    /** Watermarks per commit of {@link #openWithWindow}. */
    private final List<Integer> commits = new CopyOnWriteArrayList<>();

    @Test
    void aFullBatchIsCommittedWithoutWaitingOutTheCommitWindow() {
        // The writer sleeps through the window; a queue holding a whole batch must wake it.
        openWithWindow("full.db", 10, Duration.ofSeconds(60));
        for (int seq = 1; seq <= 10; seq++) {
            assertThat(outbox.offer(telemetry("d1", 0, seq))).isTrue();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.lastCommittedSeq() >= 10);
    }

    @Test
    void aBurstCommitsOnceEarlyCommitRowsAreWaitingThoughABatchCouldHoldMore() {
        // Closed-loop clients with fewer publishes in flight than commit_max_rows never fill a batch.
        openWithWindow("early.db", 512, Duration.ofSeconds(60));
        for (int seq = 1; seq <= OutboxWriter.EARLY_COMMIT_ROWS; seq++) {
            assertThat(outbox.offer(telemetry("d1", 0, seq))).isTrue();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.lastCommittedSeq() >= OutboxWriter.EARLY_COMMIT_ROWS);
    }

    @Test
    void eventsArrivingDuringTheCommitWindowShareItsCommit() {
        openWithWindow("window.db", 100, Duration.ofMillis(300));
        for (int seq = 1; seq <= 5; seq++) {
            assertThat(outbox.offer(telemetry("d" + seq, 0, 1))).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.lastCommittedSeq() >= 5);
        assertThat(commits).containsExactly(5);
    }

    @Test
    void closingCommitsWhatIsQueuedWithoutWaitingOutTheCommitWindow() {
        openWithWindow("close.db", 100, Duration.ofSeconds(60));
        assertThat(outbox.offer(telemetry("d1", 0, 1))).isTrue();
        long started = System.nanoTime();
        outbox.close();
        outbox = null;
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        openWithWindow("close.db", 100, Duration.ofMillis(2));
        assertThat(all()).extracting(OutboxRecord::messageId).containsExactly("site1:d1:0:1");
    }
}
