package aurora.edge.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.outbox.Outbox;
import aurora.edge.gateway.outbox.OutboxReader;
import aurora.edge.gateway.outbox.OutboxRecord;
import aurora.edge.gateway.outbox.PendingEvent;
import aurora.edge.testing.TestOutboxes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrainStepTest {
    @TempDir
    Path dir;

    private Outbox outbox;
    private OutboxReader reader;

    @BeforeEach
    void fill() throws Exception {
        outbox = TestOutboxes.open(dir.resolve("d.db"), "gw", List.of("s"), 1000, Duration.ZERO);
        // seqs 1-4 telemetry, 5 alert, 6-9 telemetry, 10 audit
        for (int i = 1; i <= 10; i++) {
            Channel channel = i == 5 ? Channel.ALERT : i == 10 ? Channel.AUDIT : Channel.TELEMETRY;
            outbox.offer(new PendingEvent(
                    "d",
                    channel,
                    Severity.INFO,
                    new aurora.edge.gateway.device.DevicePosition(0, i),
                    Instant.now(),
                    channel == Channel.AUDIT ? "TEST" : null,
                    id -> "{}".getBytes(StandardCharsets.UTF_8)));
        }
        outbox.flush(Duration.ofSeconds(10));
        reader = outbox.openReader();
    }

    @AfterEach
    void close() {
        reader.close();
        outbox.close();
    }

    private static List<Long> seqs(DrainStep step) {
        return step.deliver().stream().map(OutboxRecord::seq).toList();
    }

    @Test
    void whileDrainingTheAlertsAndAuditGoFirstInTheirOrder() {
        DrainStep step = DrainStep.next(reader, 0, 0, true, 3);
        assertThat(step.priority()).isTrue();
        assertThat(seqs(step)).containsExactly(5L, 10L);
        assertThat(step.advanceTo()).isEqualTo(10);
    }

    @Test
    void theMainPassLeavesOutWhatThePriorityLaneDelivered() {
        DrainStep step = DrainStep.next(reader, 3, 10, true, 3);
        assertThat(step.priority()).isFalse();
        assertThat(seqs(step)).containsExactly(4L, 6L);
        assertThat(step.advanceTo()).isEqualTo(6);
    }

    @Test
    void withoutABacklogEverythingGoesInOrder() {
        DrainStep step = DrainStep.next(reader, 0, 0, false, 10);
        assertThat(step.priority()).isFalse();
        assertThat(seqs(step)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void nothingAfterTheCursorIsNoStep() {
        assertThat(DrainStep.next(reader, 10, 10, true, 5)).isNull();
    }

    @Test
    void aSinkTakingNoTelemetryReadsOnlyTheOtherEventsAndMovesPastTheTelemetry() {
        DrainStep step = DrainStep.nextSkippingTelemetry(reader, 0, 0, 10, outbox.lastCommittedSeq());
        assertThat(seqs(step)).containsExactly(5L, 10L);
        assertThat(step.advanceTo()).isEqualTo(10);

        DrainStep onlyTelemetry = DrainStep.nextSkippingTelemetry(reader, 5, 5, 10, 9);
        assertThat(onlyTelemetry.deliver()).isEmpty();
        assertThat(onlyTelemetry.advanceTo()).as("past seqs 6-9, all telemetry").isEqualTo(9);
    }

    @Test
    void aSinkTakingNoTelemetryStopsAtAFullBatchAndAtWhatIsCommitted() {
        DrainStep full = DrainStep.nextSkippingTelemetry(reader, 0, 0, 1, 10);
        assertThat(seqs(full)).containsExactly(5L);
        assertThat(full.advanceTo()).as("a full batch may have more after it").isEqualTo(5);

        DrainStep upToCommitted = DrainStep.nextSkippingTelemetry(reader, 0, 0, 10, 7);
        assertThat(seqs(upToCommitted)).containsExactly(5L);
        assertThat(upToCommitted.advanceTo()).isEqualTo(7);

        assertThat(DrainStep.nextSkippingTelemetry(reader, 10, 10, 10, 10)).isNull();
    }

    @Test
    void aSinkTakingNoTelemetryLeavesOutWhatThePriorityLaneDelivered() {
        DrainStep step = DrainStep.nextSkippingTelemetry(reader, 0, 5, 10, 10);
        assertThat(seqs(step)).containsExactly(10L);
        assertThat(step.advanceTo()).isEqualTo(10);
    }
}
