package aurora.edge.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.DevicePosition;
import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.outbox.Outbox;
import aurora.edge.gateway.outbox.OutboxRecord;
import aurora.edge.gateway.outbox.PendingEvent;
import aurora.edge.testing.TestOutboxes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code forward.drain_max_rate} paces the backlog beyond live traffic: a drain after an outage
 * stays at the pace, a sink a little behind a live burst is not held below the burst's rate.
 */
class ForwarderPacingTest {
    private static final int PACE = 250;
    private static final int BATCH = 50;

    @TempDir
    Path dir;

    private Outbox outbox;
    private int nextSeq = 1;

    /** Acknowledges everything at once and counts it. */
    private static final class CountingSink implements Sink {
        final AtomicLong handed = new AtomicLong();

        @Override
        public String name() {
            return "s";
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public void deliver(List<OutboxRecord> batch) {
            handed.addAndGet(batch.size());
        }

        @Override
        public void close() {}
    }

    @AfterEach
    void closeOutbox() {
        outbox.close();
    }

    private void openOutbox() {
        outbox = TestOutboxes.open(dir.resolve("p.db"), "gw", List.of("s"), 10_000, Duration.ZERO);
    }

    private void offerTelemetry(int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            outbox.offer(new PendingEvent(
                    "d",
                    Channel.TELEMETRY,
                    Severity.INFO,
                    new DevicePosition(0, nextSeq++),
                    Instant.now(),
                    null,
                    id -> "{}".getBytes(StandardCharsets.UTF_8)));
        }
        outbox.flush(Duration.ofSeconds(10));
    }

    private Forwarder forwarder(CountingSink sink) {
        GatewayConfig.Forward config = new GatewayConfig.Forward(
                BATCH,
                Duration.ofMillis(10),
                Duration.ofMillis(100),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                PACE);
        return new Forwarder(outbox, () -> sink, config, Clock.systemUTC(), new SimpleMeterRegistry(), s -> {});
    }

    @Test
    void aSinkBehindALiveBurstKeepsUpWithItInsteadOfBeingHeldToTheDrainPace() throws Exception {
        openOutbox();
        CountingSink sink = new CountingSink();
        try (Forwarder forwarder = forwarder(sink)) {
            forwarder.start();
            // 6,000 live events in ~1.5 s (~4,000/s, 16 x the pace), arriving in commits of 200 so the sink
            // is always more than a batch behind: held to the pace they would take 24 s
            long start = System.nanoTime();
            for (int i = 0; i < 30; i++) {
                offerTelemetry(200);
                Thread.sleep(50);
            }
            Awaitility.await()
                    .atMost(Duration.ofSeconds(12))
                    .until(() -> outbox.cursor("s") == outbox.lastCommittedSeq());
            assertThat(sink.handed.get()).isEqualTo(6000);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(12));
        }
    }

    @Test
    void aBacklogLeftByAnOutageStillDrainsNoFasterThanThePace() throws Exception {
        openOutbox();
        offerTelemetry(750); // stored before the sink's forwarder runs: backlog, not live traffic
        CountingSink sink = new CountingSink();
        try (Forwarder forwarder = forwarder(sink)) {
            long start = System.nanoTime();
            forwarder.start();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> outbox.cursor("s") == outbox.lastCommittedSeq());
            // 750 at 250/s: at least ~3 s, less the first batch (not paced) and the last (below the batch size)
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(2400));
            assertThat(sink.handed.get()).isEqualTo(750);
        }
    }
}
