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
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sink that takes no telemetry (NATS) is never handed a telemetry row, and its cursor still reaches the end. */
class ForwarderSkipsTelemetryTest {
    @TempDir
    Path dir;

    /** Records what it is handed; takes no telemetry, or everything. */
    private static final class RecordingSink implements Sink {
        private final boolean takesNoTelemetry;
        final List<OutboxRecord> handed = new CopyOnWriteArrayList<>();

        RecordingSink(boolean takesNoTelemetry) {
            this.takesNoTelemetry = takesNoTelemetry;
        }

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
            handed.addAll(batch);
        }

        @Override
        public boolean takesNoTelemetry() {
            return takesNoTelemetry;
        }

        @Override
        public void close() {}
    }

    private static Outbox outboxWithTelemetryAndAlerts(Path file) throws Exception {
        Outbox outbox = TestOutboxes.open(file, "gw", List.of("s"), 1000, Duration.ZERO);
        // 1,000 events: every 100th an alert, the rest telemetry
        for (int i = 1; i <= 1000; i++) {
            Channel channel = i % 100 == 0 ? Channel.ALERT : Channel.TELEMETRY;
            outbox.offer(new PendingEvent(
                    "d",
                    channel,
                    Severity.HIGH,
                    new DevicePosition(0, i),
                    Instant.now(),
                    null,
                    id -> "{}".getBytes(StandardCharsets.UTF_8)));
        }
        outbox.flush(Duration.ofSeconds(10));
        return outbox;
    }

    private static List<OutboxRecord> forwardAll(Outbox outbox, RecordingSink sink) {
        GatewayConfig.Forward config = new GatewayConfig.Forward(
                50, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofSeconds(30), 0);
        try (Forwarder forwarder =
                new Forwarder(outbox, () -> sink, config, Clock.systemUTC(), new SimpleMeterRegistry(), s -> {})) {
            forwarder.start();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> outbox.cursor("s") == outbox.lastCommittedSeq());
        }
        return sink.handed;
    }

    @Test
    void aSinkTakingNoTelemetryIsHandedOnlyTheAlertsInOrderAndItsCursorReachesTheEnd() throws Exception {
        Outbox outbox = outboxWithTelemetryAndAlerts(dir.resolve("a.db"));
        try {
            List<OutboxRecord> handed = forwardAll(outbox, new RecordingSink(true));

            assertThat(handed).extracting(OutboxRecord::channel).containsOnly(Channel.ALERT);
            assertThat(handed).extracting(OutboxRecord::seq).isSorted().hasSize(10);
        } finally {
            outbox.close();
        }
    }

    @Test
    void aSinkTakingTelemetryIsHandedEverything() throws Exception {
        Outbox outbox = outboxWithTelemetryAndAlerts(dir.resolve("b.db"));
        try {
            List<OutboxRecord> handed = forwardAll(outbox, new RecordingSink(false));

            // While it drains, the alerts go first on the priority lane: everything arrives, once.
            assertThat(handed).extracting(OutboxRecord::seq).hasSize(1000).doesNotHaveDuplicates();
        } finally {
            outbox.close();
        }
    }
}
