package aurora.edge.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DeviceProgressTest {
    @Test
    void contiguousSeqsAdvanceTheWatermark() {
        DeviceProgress p = new DeviceProgress("d", 0, 0, new TreeSet<>());
        assertThat(p.accept(1)).isZero();
        assertThat(p.accept(2)).isZero();
        assertThat(p.contiguous()).isEqualTo(2);
        assertThat(p.isDuplicate(2)).isTrue();
    }

    @Test
    void aGapIsReportedOnceAndClosesWhenFilled() {
        DeviceProgress p = new DeviceProgress("d", 0, 0, new TreeSet<>());
        assertThat(p.accept(3)).isEqualTo(1);
        assertThat(p.accept(4)).isZero();
        assertThat(p.isDuplicate(3)).isTrue();
        assertThat(p.accept(1)).isZero();
        assertThat(p.accept(2)).isZero();
        assertThat(p.contiguous()).isEqualTo(4);
        assertThat(p.pendingCsv()).isEmpty();
    }

    @Test
    void pendingIsBoundedByGivingUpTheOldestHole() {
        DeviceProgress p = new DeviceProgress("d", 0, 0, new TreeSet<>());
        for (long s = 2; s <= DeviceProgress.MAX_PENDING + 2; s++) p.accept(s);
        assertThat(p.contiguous()).isEqualTo(DeviceProgress.MAX_PENDING + 2);
    }

    @Test
    void roundTripsThroughItsColumns() {
        DeviceProgress p = new DeviceProgress("d", 7, 10, new TreeSet<>());
        p.accept(12);
        p.accept(15);
        DeviceProgress q = DeviceProgress.fromColumns("d", 7, p.contiguous(), p.pendingCsv());
        assertThat(q.isDuplicate(12)).isTrue();
        assertThat(q.isDuplicate(13)).isFalse();
    }
}
