package aurora.edge.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11, hole 8: one device cannot fill the outbox with what is never evicted. */
class DeviceQuotaTest {
    @TempDir
    Path dir;

    private Outbox outbox;

    @AfterEach
    void close() {
        if (outbox != null) outbox.close();
    }

    private Outbox open(long quota) {
        outbox = new Outbox(
                Database.open(dir.resolve("q.db")),
                "gw1",
                "site1",
                List.of("s"),
                1000,
                100,
                Duration.ofMillis(2),
                OutboxLimits.unbounded().withDeviceQuota(quota),
                (w, g) -> {},
                new SimpleMeterRegistry(),
                Clock.systemUTC());
        return outbox;
    }

    private static PendingEvent event(String device, Channel channel) {
        return new PendingEvent(
                device,
                channel,
                Severity.HIGH,
                null,
                Instant.now(),
                channel == Channel.AUDIT ? "UNTRUSTED_DATA" : null,
                id -> new byte[500]);
    }

    @Test
    void aDeviceAtItsQuotaOfNeverEvictedEventsIsOverUntilTheSinksTakeThem() throws Exception {
        open(2000);
        for (int i = 0; i < 3; i++) outbox.offer(event("greedy", Channel.ALERT));
        outbox.offer(event("greedy", Channel.AUDIT));
        for (int i = 0; i < 20; i++) outbox.offer(event("greedy", Channel.TELEMETRY)); // evictable: not counted
        outbox.offer(event("honest", Channel.ALERT));
        assertThat(outbox.flush(Duration.ofSeconds(10))).isTrue();

        assertThat(outbox.withinDeviceQuota("greedy")).isFalse();
        assertThat(outbox.withinDeviceQuota("honest")).isTrue();

        outbox.advanceCursor("s", outbox.lastCommittedSeq());
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.withinDeviceQuota("greedy"));
    }

    @Test
    void messagesQueuedBeforeTheDeviceReachedItsQuotaAreRefusedAtCommitAndStayUnacknowledged() throws Exception {
        java.util.Map<String, Integer> refused = new java.util.concurrent.ConcurrentHashMap<>();
        List<Watermark> acks = new java.util.concurrent.CopyOnWriteArrayList<>();
        outbox = new Outbox(
                Database.open(dir.resolve("q.db")),
                "gw1",
                "site1",
                List.of("s"),
                1000,
                100,
                Duration.ofMillis(200),
                OutboxLimits.unbounded().withDeviceQuota(2000),
                new CommitListener() {
                    @Override
                    public void committed(List<Watermark> w, List<SeqGap> g) {
                        acks.addAll(w);
                    }

                    @Override
                    public void overQuota(java.util.Map<String, Integer> r) {
                        r.forEach((d, n) -> refused.merge(d, n, Integer::sum));
                    }
                },
                new SimpleMeterRegistry(),
                Clock.systemUTC());
        for (int seq = 1; seq <= 10; seq++) {
            assertThat(outbox.offer(new PendingEvent(
                            "greedy",
                            Channel.ALERT,
                            Severity.HIGH,
                            new aurora.edge.gateway.device.DevicePosition(0, seq),
                            Instant.now(),
                            null,
                            id -> new byte[500],
                            7 + seq)))
                    .isTrue();
        }
        assertThat(outbox.flush(Duration.ofSeconds(10))).isTrue();
        try (OutboxReader r = outbox.openReader()) {
            assertThat(r.after(0, 100)).hasSize(4);
        }
        assertThat(refused).containsEntry("greedy", 6);
        assertThat(acks).last().isEqualTo(new Watermark("greedy", 0, 4));
    }

    @Test
    void theQuotaIsCountedAgainFromTheFileAfterARestart() throws Exception {
        open(2000);
        for (int i = 0; i < 4; i++) outbox.offer(event("greedy", Channel.ATTESTATION));
        assertThat(outbox.flush(Duration.ofSeconds(10))).isTrue();
        outbox.close();
        open(2000);
        assertThat(outbox.withinDeviceQuota("greedy")).isFalse();
    }
}
