package aurora.edge.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentLogTest {

    private static List<String> ids(SentLog log) {
        List<String> ids = new ArrayList<>();
        log.forEachId("d", ids::add);
        return ids;
    }

    @Test
    void consecutiveSeqsOfOneBootAreOneRun() {
        SentLog log = new SentLog();
        for (long seq = 1; seq <= 1000; seq++) {
            log.add(4, seq);
        }
        assertThat(log.count()).isEqualTo(1000);
        assertThat(ids(log)).hasSize(1000).startsWith("d:4:1", "d:4:2").endsWith("d:4:1000");
    }

    @Test
    void gapsAndNewBootsStartNewRunsInPublishOrder() {
        SentLog log = new SentLog();
        log.add(1, 1);
        log.add(1, 2);
        log.add(1, 5); // 3 and 4 were dropped before their first publish
        log.add(2, 1);
        log.add(2, 2);
        assertThat(ids(log)).containsExactly("d:1:1", "d:1:2", "d:1:5", "d:2:1", "d:2:2");
        assertThat(log.count()).isEqualTo(5);
    }
}
