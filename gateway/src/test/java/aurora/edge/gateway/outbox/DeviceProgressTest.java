package aurora.edge.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeviceProgressTest {
    private static final long HOUR = Duration.ofHours(1).toMillis();

    private static DeviceProgress fresh() {
        return DeviceProgress.fresh("d", 0, 0, 0, 16);
    }

    @Test
    void contiguousSeqsAdvanceTheWatermark() {
        DeviceProgress p = fresh();
        assertThat(p.accept(1, 0)).isZero();
        assertThat(p.accept(2, 0)).isZero();
        assertThat(p.contiguous()).isEqualTo(2);
        assertThat(p.isDuplicate(2)).isTrue();
    }

    @Test
    void aGapIsReportedOnceAndClosesWhenFilled() {
        DeviceProgress p = fresh();
        assertThat(p.accept(3, 0)).isEqualTo(1);
        assertThat(p.accept(4, 0)).isZero();
        assertThat(p.isDuplicate(3)).isTrue();
        assertThat(p.accept(1, 0)).isZero();
        assertThat(p.accept(2, 0)).isZero();
        assertThat(p.contiguous()).isEqualTo(4);
        assertThat(p.pendingCsv()).isEmpty();
    }

    @Test
    void aMissingSeqIsNotPassedByAnyNumberOfLaterSeqsBeforeTheTimeout() {
        DeviceProgress p = fresh();
        p.accept(1, 0);
        for (long s = 3; s <= 5000; s++) p.accept(s, 0);
        assertThat(p.giveUp(HOUR - 1, 256, HOUR)).isEmpty();
        assertThat(p.contiguous()).isEqualTo(1);
        assertThat(p.pendingCsv()).isEqualTo("3-5000@0"); // one run, not 4,998 entries
    }

    @Test
    void aMissingSeqIsNotPassedAfterTheTimeoutWhileFewerThanTheWindowCameAfterIt() {
        DeviceProgress p = fresh();
        p.accept(1, 0);
        for (long s = 3; s <= 100; s++) p.accept(s, 0);
        assertThat(p.giveUp(10 * HOUR, 256, HOUR)).isEmpty();
        assertThat(p.contiguous()).isEqualTo(1);
    }

    @Test
    void aMissingSeqIsGivenUpOnceBothTheWindowAndTheTimeoutArePast() {
        DeviceProgress p = fresh();
        p.accept(1, 0);
        for (long s = 4; s <= 300; s++) p.accept(s, 0);
        assertThat(p.giveUp(HOUR, 256, HOUR)).containsExactly(new DeviceProgress.GivenUp(2, 3, "window"));
        assertThat(p.contiguous()).isEqualTo(300);
    }

    @Test
    void aStretchThatOpenedLaterWaitsItsOwnTimeout() {
        DeviceProgress p = fresh();
        p.accept(1, 0);
        for (long s = 3; s <= 300; s++) p.accept(s, 0);
        for (long s = 302; s <= 600; s++) p.accept(s, HOUR);
        assertThat(p.giveUp(HOUR, 256, HOUR)).containsExactly(new DeviceProgress.GivenUp(2, 2, "window"));
        assertThat(p.contiguous()).isEqualTo(300);
        assertThat(p.giveUp(2 * HOUR, 256, HOUR)).containsExactly(new DeviceProgress.GivenUp(301, 301, "window"));
        assertThat(p.contiguous()).isEqualTo(600);
    }

    @Test
    void aSeqFillingTheMiddleOfAStretchKeepsTheStretchsAge() {
        DeviceProgress p = fresh();
        p.accept(10, 0); // 1..9 missing since 0
        p.accept(5, HOUR); // 1..4 still missing since 0, 6..9 too
        for (long s = 11; s <= 300; s++) p.accept(s, HOUR);
        assertThat(p.giveUp(HOUR, 256, HOUR))
                .extracting(DeviceProgress.GivenUp::first)
                .containsExactly(1L, 6L);
        assertThat(p.contiguous()).isEqualTo(300);
    }

    @Test
    void tooManyMissingStretchesGiveUpTheOldest() {
        DeviceProgress p = fresh();
        for (long s = 2; s <= 2L * (DeviceProgress.MAX_HOLES + 1); s += 2) p.accept(s, 0);
        assertThat(p.giveUp(0, 1_000_000, HOUR)).containsExactly(new DeviceProgress.GivenUp(1, 1, "holes"));
        assertThat(p.contiguous()).isEqualTo(2);
    }

    @Test
    void roundTripsThroughItsColumns() {
        DeviceProgress p = fresh();
        p.accept(11, 7);
        p.accept(12, 7);
        p.accept(15, 9);
        p.rememberDigest(15, 42);
        DeviceProgress q =
                DeviceProgress.fromColumns("d", 0, 3, p.contiguous(), p.pendingCsv(), p.digestColumn(), 16, 100);
        assertThat(q.epoch).isEqualTo(3);
        assertThat(q.isDuplicate(12)).isTrue();
        assertThat(q.isDuplicate(13)).isFalse();
        assertThat(q.pendingCsv()).isEqualTo(p.pendingCsv());
        assertThat(q.compareDigest(15, 42)).isEqualTo(RecentDigests.Match.SAME);
        assertThat(q.compareDigest(15, 43)).isEqualTo(RecentDigests.Match.DIFFERENT);
        assertThat(q.compareDigest(12, 43)).isEqualTo(RecentDigests.Match.UNKNOWN);
    }

    @Test
    void readsTheOlderOneSeqPerEntryColumnAsMissingSinceLoading() {
        DeviceProgress q = DeviceProgress.fromColumns("d", 0, 0, 10, "12,13,15", null, 16, 500);
        assertThat(q.pendingCsv()).isEqualTo("12-13@500,15-15@500");
        assertThat(q.accept(11, 600)).isZero();
        assertThat(q.contiguous()).isEqualTo(13);
    }

    @Test
    void digestsAreKeptForTheLastWindowOfSeqsOnly() {
        RecentDigests d = new RecentDigests(4);
        for (int s = 1; s <= 10; s++) d.remember(s, 100 + s);
        assertThat(d.compare(10, 110)).isEqualTo(RecentDigests.Match.SAME);
        assertThat(d.compare(7, 999)).isEqualTo(RecentDigests.Match.DIFFERENT);
        assertThat(d.compare(6, 106)).isEqualTo(RecentDigests.Match.UNKNOWN);
        assertThat(RecentDigests.fromColumn(2, d.toColumn()).compare(9, 109)).isEqualTo(RecentDigests.Match.SAME);
        assertThat(RecentDigests.fromColumn(2, d.toColumn()).compare(8, 108)).isEqualTo(RecentDigests.Match.UNKNOWN);
    }
}
