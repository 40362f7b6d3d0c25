package aurora.edge.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DrainPacerTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 123_456_789_000L;

    @Test
    void unpacedNeverWaits() {
        DrainPacer pacer = new DrainPacer(0);
        for (int i = 0; i < 10; i++) {
            assertThat(pacer.book(10_000, T0)).isZero();
        }
    }

    @Test
    void eachBatchCostsItsSizeOverTheRate() {
        DrainPacer pacer = new DrainPacer(1000);
        assertThat(pacer.book(500, T0)).isZero();
        assertThat(pacer.book(500, T0)).isEqualTo(500 * MS);
        assertThat(pacer.book(500, T0 + 100 * MS)).isEqualTo(900 * MS);
        // delivered on time: the next batch waits only for the rest of the previous batch's cost
        assertThat(pacer.book(250, T0 + 1500 * MS)).isZero();
        assertThat(pacer.book(250, T0 + 1600 * MS)).isEqualTo(150 * MS);
    }

    @Test
    void idleTimeEarnsNoBurst() {
        DrainPacer pacer = new DrainPacer(1000);
        pacer.book(500, T0);
        assertThat(pacer.book(500, T0 + 60_000 * MS)).isZero();
        assertThat(pacer.book(500, T0 + 60_000 * MS)).isEqualTo(500 * MS);
    }

    @Test
    void aSinkBehindALiveBurstMayDeliverTheBurstRatePlusThePace() {
        DrainPacer pacer = new DrainPacer(1000);
        pacer.observeCommitted(0, T0);
        pacer.observeCommitted(49_000, T0 + 1000 * MS); // 49,000 events/s committed live

        assertThat(pacer.livePerSecond()).isEqualTo(49_000.0);
        assertThat(pacer.book(500, T0 + 1000 * MS)).isZero();
        // 500 events at 50,000/s in all: 10 ms, not the 500 ms of the pace alone
        assertThat(pacer.book(500, T0 + 1000 * MS)).isEqualTo(10 * MS);
    }

    @Test
    void theLiveRateFollowsTheLastCompleteWindow() {
        DrainPacer pacer = new DrainPacer(1000);
        pacer.observeCommitted(100, T0);
        pacer.observeCommitted(5_000, T0 + 100 * MS); // window not complete: no rate yet
        assertThat(pacer.livePerSecond()).isZero();
        pacer.observeCommitted(10_100, T0 + 500 * MS);
        assertThat(pacer.livePerSecond()).isEqualTo(20_000.0);
        pacer.observeCommitted(10_100, T0 + 1000 * MS); // the burst stopped
        assertThat(pacer.livePerSecond()).isZero();
    }

    @Test
    void aBacklogStoredBeforeTheRateIsMeasuredIsPacedAtThePaceAlone() {
        DrainPacer pacer = new DrainPacer(1000);
        pacer.observeCommitted(1_000_000, T0); // an outage's backlog: the first reading has no rate
        assertThat(pacer.book(500, T0)).isZero();
        assertThat(pacer.book(500, T0)).isEqualTo(500 * MS);
    }

    @Test
    void aNegativeRateIsRefused() {
        assertThatThrownBy(() -> new DrainPacer(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
