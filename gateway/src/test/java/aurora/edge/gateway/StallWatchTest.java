package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StallWatchTest {
    private final StallWatch watch = new StallWatch(Duration.ofSeconds(30));

    @Test
    void anIdleOutboxIsNeverStuck() {
        assertThat(watch.check(10, 0, 0)).isEmpty();
        assertThat(watch.check(10, 0, 3_600_000)).isEmpty();
    }

    @Test
    void waitingEventsWithNoCommitForTheBoundAreAStall() {
        assertThat(watch.check(10, 5, 0)).isEmpty();
        assertThat(watch.check(10, 5, 29_000)).isEmpty();
        assertThat(watch.check(10, 5, 31_000)).get().asString().contains("committed nothing for 31s", "5 events wait");
    }

    @Test
    void progressResetsTheClock() {
        watch.check(10, 5, 0);
        assertThat(watch.check(11, 5, 31_000)).isEmpty();
        assertThat(watch.check(11, 5, 60_000)).isEmpty();
        assertThat(watch.check(11, 5, 62_000)).isPresent();
    }
}
