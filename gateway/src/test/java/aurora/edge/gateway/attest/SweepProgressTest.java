package aurora.edge.gateway.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepProgressTest {
    private static final Instant T0 = Instant.parse("2026-12-05T03:00:00Z");

    private final Instant[] now = {T0};
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
            return now[0];
        }
    };
    private final SweepProgress progress = new SweepProgress(clock);
    private final Map<String, SweepProgress.Standing> standing = new HashMap<>();

    @Test
    void beforeAnyReplacementOnlyTheSequenceInForceIsReported() {
        assertThat(progress.snapshot()).isEqualTo(new ManifestStatus(-1, null, null));
        progress.inForce(1);
        assertThat(progress.snapshot()).isEqualTo(new ManifestStatus(1, null, null));
    }

    @Test
    void aSweepCountsEvaluationsAndStaysOpenUntilEveryReattestationIsAnsweredOrUnresponsive() {
        progress.inForce(1);
        progress.started(1, 2, 4);
        progress.unchanged();
        progress.quarantined();
        progress.reattesting("a");
        ManifestStatus.Sweep midway = progress.snapshot().sweep();
        assertThat(midway).isNotNull();
        assertThat(progress.snapshot().sequence()).isEqualTo(2);
        assertThat(midway.devicesEvaluated()).isEqualTo(3);
        assertThat(midway.complete()).isFalse();
        progress.reattesting("b");

        standing.put("a", SweepProgress.Standing.OUTSTANDING);
        standing.put("b", SweepProgress.Standing.OUTSTANDING);
        now[0] = T0.plusSeconds(2);
        progress.refresh(standing::get);
        ManifestStatus.Sweep open = progress.snapshot().sweep();
        assertThat(open).isNotNull();
        assertThat(open.devicesEvaluated()).isEqualTo(4);
        assertThat(open.quarantined()).isEqualTo(1);
        assertThat(open.reattestIssued()).isEqualTo(2);
        assertThat(open.reattestOutstanding()).isEqualTo(2);
        assertThat(open.complete()).isFalse();
        assertThat(open.completedAt()).isNull();
        assertThat(open.startedAt()).isEqualTo(T0.toString());

        standing.put("a", SweepProgress.Standing.ANSWERED);
        now[0] = T0.plusSeconds(4);
        progress.refresh(standing::get);
        assertThat(progress.snapshot().sweep().reattestOutstanding()).isEqualTo(1);
        assertThat(progress.snapshot().sweep().settledPerSecond()).isEqualTo(0.25);

        standing.put("b", SweepProgress.Standing.UNRESPONSIVE);
        now[0] = T0.plusSeconds(10);
        progress.refresh(standing::get);
        ManifestStatus.Sweep done = progress.snapshot().sweep();
        assertThat(done.reattestAnswered()).isEqualTo(1);
        assertThat(done.reattestUnresponsive()).isEqualTo(1);
        assertThat(done.reattestOutstanding()).isZero();
        assertThat(done.complete()).isTrue();
        assertThat(done.completedAt()).isEqualTo(T0.plusSeconds(10).toString());
        assertThat(done.settledPerSecond()).isEqualTo(0.2);

        // Later ticks neither reopen nor move a finished sweep.
        now[0] = T0.plus(Duration.ofMinutes(5));
        progress.refresh(standing::get);
        assertThat(progress.snapshot().sweep()).isEqualTo(done);
    }

    @Test
    void aSweepWithNothingToReattestIsCompleteOnceEveryDeviceIsEvaluated() {
        progress.started(1, 2, 2);
        progress.unchanged();
        assertThat(progress.snapshot().sweep().complete()).isFalse();
        progress.quarantined();
        assertThat(progress.snapshot().sweep().complete()).isTrue();
        assertThat(progress.snapshot().sweep().completedAt()).isEqualTo(T0.toString());
    }

    @Test
    void aNewerReplacementStartsAFreshSweepAndARefusalIsKeptBesideIt() {
        progress.started(1, 2, 1);
        progress.reattesting("a");
        progress.refused("document.rollback", "sequence 1 is below the trusted 2");
        progress.started(2, 3, 1);
        progress.unchanged();

        ManifestStatus status = progress.snapshot();
        assertThat(status.sequence()).isEqualTo(3);
        assertThat(status.sweep().fromSequence()).isEqualTo(2);
        assertThat(status.sweep().reattestIssued()).isZero();
        assertThat(status.sweep().complete()).isTrue();
        assertThat(status.lastRefused().problem()).isEqualTo("document.rollback");
        assertThat(status.lastRefused().at()).isEqualTo(T0.toString());
    }

    @Test
    void aSweepWhoseCountsDoNotAddUpIsRefusedWhereItIsMade() {
        assertThatThrownBy(() -> new ManifestStatus.Sweep(1, 2, "t", null, 1, 1, 0, 2, 1, 0, 0, 0, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reattestOutstanding must be issued - answered - unresponsive = 1, found 0");
        assertThatThrownBy(() -> new ManifestStatus.Sweep(1, 2, "t", null, 1, 2, 0, 0, 0, 0, 0, 0, true))
                .hasMessageContaining("devicesEvaluated must be in 0..1, found 2");
    }
}
