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
    void aNegativeRateIsRefused() {
        assertThatThrownBy(() -> new DrainPacer(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
