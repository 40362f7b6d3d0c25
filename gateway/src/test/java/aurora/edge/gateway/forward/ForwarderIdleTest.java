package aurora.edge.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A forwarder with nothing to send waits for the next commit (up to its idle wait of a second, no
 * polling): an event committed after it has idled for longer than that is delivered at once, and
 * its cursor is moved.
 */
class ForwarderIdleTest {
    @TempDir
    Path dir;

    private static final class RecordingSink implements Sink {
        final List<OutboxRecord> handed = new CopyOnWriteArrayList<>();

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
        public void close() {}
    }

    private static PendingEvent telemetry(long seq) {
        return new PendingEvent(
                "d",
                Channel.TELEMETRY,
                Severity.INFO,
                new DevicePosition(0, seq),
                Instant.now(),
                null,
                id -> "{}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anEventCommittedAfterTheForwarderIdledIsDeliveredAtOnceAndItsCursorMoves() throws Exception {
        Outbox outbox = TestOutboxes.open(dir.resolve("f.db"), "gw", List.of("s"), 1000, Duration.ofMillis(2));
        RecordingSink sink = new RecordingSink();
        GatewayConfig.Forward config = new GatewayConfig.Forward(
                50, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofSeconds(30), 0);
        try (Forwarder forwarder =
                new Forwarder(outbox, () -> sink, config, Clock.systemUTC(), new SimpleMeterRegistry(), s -> {})) {
            forwarder.start();
            outbox.offer(telemetry(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> outbox.cursor("s") == 1);
            // Idle for longer than the forwarder's idle wait (and the writer's): both are in their long waits.
            await().during(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> sink.handed.size() == 1);

            outbox.offer(telemetry(2));

            // The commit signal wakes it; a forwarder polling at its idle wait would take up to a second.
            await().atMost(Duration.ofMillis(600)).until(() -> sink.handed.size() == 2);
            await().atMost(Duration.ofSeconds(5)).until(() -> outbox.cursor("s") == 2);
            assertThat(sink.handed).extracting(OutboxRecord::messageId).containsExactly("site1:d:0:1", "site1:d:0:2");
            assertThat(forwarder.backlog()).isZero();
        } finally {
            outbox.close();
        }
    }
}
