package aurora.edge.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PublishStepsTest {
    private static JetStreamRouting.Publish publish(long seq, String subject) {
        return new JetStreamRouting.Publish(seq, "id-" + seq, subject, new byte[0]);
    }

    private static List<List<Long>> seqs(List<List<JetStreamRouting.Publish>> steps) {
        return steps.stream()
                .map(step -> step.stream().map(JetStreamRouting.Publish::seq).toList())
                .toList();
    }

    private static final List<JetStreamRouting.Publish> MIXED = List.of(
            publish(1, "A.audit"),
            publish(2, "A.audit"),
            publish(3, "A.alerts"),
            publish(4, "A.audit"),
            publish(5, "A.alerts"));

    @Test
    void aHealthyLinkGetsTheWholeBatchPipelinedInOneStep() {
        assertThat(seqs(PublishSteps.of(MIXED, false))).containsExactly(List.of(1L, 2L, 3L, 4L, 5L));
    }

    @Test
    void aRecoveringLinkGetsTheFirstPublishOfEachSubjectAloneAndTheRestPipelinedBetweenThem() {
        assertThat(seqs(PublishSteps.of(MIXED, true)))
                .containsExactly(List.of(1L), List.of(2L), List.of(3L), List.of(4L, 5L));
    }

    @Test
    void aRecoveringBatchOfOnePublishIsThatPublishAlone() {
        assertThat(seqs(PublishSteps.of(List.of(publish(7, "A.alerts")), true))).containsExactly(List.of(7L));
    }

    @Test
    void anEmptyBatchHasNoSteps() {
        assertThat(PublishSteps.of(List.of(), true)).isEmpty();
        assertThat(PublishSteps.of(List.of(), false)).isEmpty();
    }
}
