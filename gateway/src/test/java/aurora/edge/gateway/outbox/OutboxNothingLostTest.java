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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11, hole 7: a rewound device, a seq never stored and a failed group commit lose nothing silently. */
class OutboxNothingLostTest {
    @TempDir
    Path dir;

    private final List<Watermark> watermarks = new CopyOnWriteArrayList<>();
    private final List<CommitListener.SeqRewind> rewinds = new CopyOnWriteArrayList<>();
    private final List<CommitListener.GapGivenUp> givenUp = new CopyOnWriteArrayList<>();
    private final AtomicLong offsetMillis = new AtomicLong();
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plusMillis(offsetMillis.get());
        }
    };
    private final CommitListener listener = new CommitListener() {
        @Override
        public void committed(List<Watermark> w, List<SeqGap> g) {
            watermarks.addAll(w);
        }

        @Override
        public void rewound(List<SeqRewind> r) {
            rewinds.addAll(r);
        }

        @Override
        public void gaveUp(List<GapGivenUp> g) {
            givenUp.addAll(g);
        }
    };
    private Outbox outbox;

    private Outbox open(Duration commitMaxDelay) {
        outbox = new Outbox(
                Database.open(dir.resolve("o.db")),
                "gw1",
                "site1",
                List.of(),
                10_000,
                1000,
                commitMaxDelay,
                OutboxLimits.unbounded(),
                listener,
                new SimpleMeterRegistry(),
                clock);
        return outbox;
    }

    @AfterEach
    void close() {
        if (outbox != null) outbox.close();
    }

    private static PendingEvent telemetry(String device, long boot, long seq, String reading) {
        byte[] payload =
                ("{\"boot\":" + boot + ",\"seq\":" + seq + ",\"t\":" + reading + "}").getBytes(StandardCharsets.UTF_8);
        return new PendingEvent(
                device,
                Channel.TELEMETRY,
                Severity.INFO,
                new DevicePosition(boot, seq),
                Instant.now(),
                null,
                id -> ("{\"id\":\"" + id + "\",\"t\":" + reading + "}").getBytes(StandardCharsets.UTF_8),
                PendingEvent.digestOf(payload));
    }

    private List<OutboxRecord> all() {
        try (OutboxReader r = outbox.openReader()) {
            return r.after(0, 100_000);
        }
    }

    private void offerAll(PendingEvent... events) throws InterruptedException {
        for (PendingEvent e : events) assertThat(outbox.offer(e)).isTrue();
        assertThat(outbox.flush(Duration.ofSeconds(20))).isTrue();
    }

    @Test
    void aDeviceThatStartsOverFarBelowItsWatermarkKeepsItsNewMessagesUnderANewEpoch() throws Exception {
        open(Duration.ofMillis(2));
        for (int s = 1; s <= 300; s++) outbox.offer(telemetry("d1", 1, s, "20"));
        outbox.flush(Duration.ofSeconds(20));
        // Flash wiped: the boot counter is back at an old value and seq starts at 1 again.
        offerAll(telemetry("d1", 1, 1, "21"), telemetry("d1", 1, 2, "22"), telemetry("d1", 1, 3, "23"));

        assertThat(all()).hasSize(303);
        assertThat(all().subList(300, 303))
                .extracting(OutboxRecord::messageId)
                .containsExactly("site1:d1:1:1:r1", "site1:d1:1:2:r1", "site1:d1:1:3:r1");
        assertThat(new String(all().get(300).event(), StandardCharsets.UTF_8)).contains("\"id\":\"site1:d1:1:1:r1\"");
        assertThat(rewinds).containsExactly(new CommitListener.SeqRewind("d1", 1, 1, 1, 300));
        assertThat(watermarks).last().isEqualTo(new Watermark("d1", 1, 3));
    }

    @Test
    void aResentIdWithOtherContentIsARewindWhileTheSameContentIsADuplicate() throws Exception {
        open(Duration.ofMillis(2));
        offerAll(telemetry("d1", 4, 1, "20"), telemetry("d1", 4, 2, "20"), telemetry("d1", 4, 3, "20"));
        offerAll(telemetry("d1", 4, 2, "20"), telemetry("d1", 4, 3, "20")); // the ack was lost: an honest resend
        assertThat(all()).hasSize(3);
        assertThat(rewinds).isEmpty();

        offerAll(
                telemetry("d1", 4, 1, "31"),
                telemetry("d1", 4, 2, "32"),
                telemetry("d1", 4, 3, "33"),
                telemetry("d1", 4, 3, "33"));
        assertThat(all())
                .extracting(OutboxRecord::messageId)
                .containsExactly(
                        "site1:d1:4:1",
                        "site1:d1:4:2",
                        "site1:d1:4:3",
                        "site1:d1:4:1:r1",
                        "site1:d1:4:2:r1",
                        "site1:d1:4:3:r1");
        assertThat(rewinds).hasSize(1);

        outbox.close();
        open(Duration.ofMillis(2)); // the epoch and the digests survive a restart
        offerAll(telemetry("d1", 4, 3, "33"), telemetry("d1", 4, 4, "34"));
        assertThat(all()).extracting(OutboxRecord::messageId).endsWith("site1:d1:4:3:r1", "site1:d1:4:4:r1");
        assertThat(rewinds).hasSize(1);
    }

    @Test
    void aSeqTheGatewayNeverStoredIsNotAcknowledgedByLaterCumulativeAcks() throws Exception {
        open(Duration.ofMillis(2));
        outbox.offer(telemetry("d1", 0, 1, "1"));
        // seq 2 was refused (OVERLOADED, OUTBOX_FULL, RATE_LIMITED) or its commit failed: the device still holds it.
        for (int s = 3; s <= 1100; s++) outbox.offer(telemetry("d1", 0, s, "1"));
        outbox.flush(Duration.ofSeconds(20));
        assertThat(watermarks).last().isEqualTo(new Watermark("d1", 0, 1));

        offerAll(telemetry("d1", 0, 2, "1")); // resent after a reconnect
        assertThat(watermarks).last().isEqualTo(new Watermark("d1", 0, 1100));
        assertThat(givenUp).isEmpty();
    }

    @Test
    void aSeqTheDeviceNoLongerHasIsGivenUpAfterTheWindowAndTheTimeoutAndReported() throws Exception {
        open(Duration.ofMillis(2));
        outbox.offer(telemetry("d1", 0, 1, "1"));
        for (int s = 3; s <= 400; s++) outbox.offer(telemetry("d1", 0, s, "1"));
        outbox.flush(Duration.ofSeconds(20));
        assertThat(watermarks).last().isEqualTo(new Watermark("d1", 0, 1));

        offsetMillis.set(OutboxLimits.DEFAULT_GAP_TIMEOUT.toMillis());
        offerAll(telemetry("d1", 0, 401, "1"));
        assertThat(watermarks).last().isEqualTo(new Watermark("d1", 0, 401));
        assertThat(givenUp).containsExactly(new CommitListener.GapGivenUp("d1", 0, 2, 2, "window"));
    }

    @Test
    void aFailedGroupCommitKeepsTheGatewaysOwnEventsAndCommitsThemLater() throws Exception {
        Database.open(dir.resolve("o.db")); // the schema, before the writer holds its transaction open
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("o.db"));
                Statement st = c.createStatement()) {
            st.execute(
                    "CREATE TRIGGER fail_boom BEFORE INSERT ON outbox WHEN NEW.device_id = 'boom' BEGIN SELECT RAISE(ABORT, 'injected'); END");
        }
        open(Duration.ofMillis(300)); // the three events below land in one group commit
        PendingEvent alert = new PendingEvent(
                "d9",
                Channel.ALERT,
                Severity.CRITICAL,
                null,
                Instant.now(),
                null,
                id -> ("{\"id\":\"" + id + "\",\"title\":\"device quarantined\"}").getBytes(StandardCharsets.UTF_8));
        PendingEvent audit = new PendingEvent(
                null,
                Channel.AUDIT,
                Severity.HIGH,
                null,
                Instant.now(),
                "TEST",
                id -> ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
        offerAll(telemetry("boom", 0, 1, "1"), alert, audit);

        await().atMost(Duration.ofSeconds(10)).until(() -> all().size() == 2);
        assertThat(all()).extracting(OutboxRecord::channel).containsExactly(Channel.ALERT, Channel.AUDIT);
        assertThat(all())
                .extracting(OutboxRecord::deviceId)
                .doesNotContain("boom"); // the device was not acknowledged: it resends
        assertThat(watermarks).noneMatch(w -> w.deviceId().equals("boom"));
    }
}
