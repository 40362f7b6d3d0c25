package aurora.edge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnackedRingTest {
    private static final Reading READING = new Reading(3000, 214, 402, 1);

    private static PendingMessage message(long seq) {
        return new PendingMessage(seq, READING, PendingMessage.TELEMETRY);
    }

    private static List<Long> seqs(UnackedRing ring) {
        List<Long> seqs = new ArrayList<>();
        ring.forEach(m -> seqs.add(m.seq));
        return seqs;
    }

    @Test
    void holdsAtMostItsCapacityDroppingTheOldest() {
        UnackedRing ring = new UnackedRing(3);
        assertThat(ring.add(message(1))).isNull();
        assertThat(ring.add(message(2))).isNull();
        assertThat(ring.add(message(3))).isNull();
        PendingMessage dropped = ring.add(message(4));
        assertThat(dropped.seq).isEqualTo(1);
        assertThat(ring.add(message(5)).seq).isEqualTo(2);
        assertThat(ring.size()).isEqualTo(3);
        assertThat(seqs(ring)).containsExactly(3L, 4L, 5L);
    }

    @Test
    void ackRemovesEverythingThroughTheWatermarkAndNothingAbove() {
        UnackedRing ring = new UnackedRing(10);
        for (long seq = 1; seq <= 6; seq++) {
            ring.add(message(seq));
        }
        assertThat(ring.ackThrough(4)).isEqualTo(4);
        assertThat(seqs(ring)).containsExactly(5L, 6L);
        assertThat(ring.ackThrough(4)).as("a repeated ack").isZero();
        assertThat(ring.ackThrough(2)).as("an older ack").isZero();
        assertThat(ring.ackThrough(100)).isEqualTo(2);
        assertThat(ring.size()).isZero();
    }

    @Test
    void ackOfMessagesAlreadyDroppedRemovesOnlyWhatIsLeft() {
        UnackedRing ring = new UnackedRing(2);
        for (long seq = 1; seq <= 5; seq++) {
            ring.add(message(seq));
        }
        assertThat(ring.ackThrough(4)).isEqualTo(1);
        assertThat(seqs(ring)).containsExactly(5L);
    }

    @Test
    void visitsOldestFirstForResend() {
        UnackedRing ring = new UnackedRing(5);
        for (long seq = 10; seq <= 14; seq++) {
            ring.add(message(seq));
        }
        ring.ackThrough(11);
        ring.add(message(15));
        assertThat(seqs(ring)).containsExactly(12L, 13L, 14L, 15L);
    }

    @Test
    void refusesASeqThatDoesNotIncrease() {
        UnackedRing ring = new UnackedRing(5);
        ring.add(message(3));
        assertThatThrownBy(() -> ring.add(message(3))).hasMessageContaining("found: 3");
    }

    @Test
    void refusesACapacityBelowOne() {
        assertThatThrownBy(() -> new UnackedRing(0)).hasMessageContaining("found: 0");
    }
}
