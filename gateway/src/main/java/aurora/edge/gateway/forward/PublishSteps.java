package aurora.edge.gateway.forward;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How {@link JetStreamSink} sends one batch: as steps, each pipelined and awaited whole before the
 * next is sent, so a publish that fails stops the batch before anything after its step is sent.
 *
 * <p>A healthy link gets one step (the whole batch, pipelined). A recovering one (the last batch
 * was not stored whole) gets the first publish of each subject alone, and the publishes between
 * them pipelined: on a link that just healed, a subject can still find no responder (its interest
 * has not crossed the leaf link yet, the stream does not capture it yet) while the others already
 * get stored, and a later message stored before an earlier one would break the stream's order.
 * Once a subject has been stored in this batch, its route is up, so the rest of its publishes are
 * pipelined. JetStream's {@code Nats-Expected-Last-*} headers cannot order the publishes instead:
 * the stream is shared with the site's other gateways and the backend.
 */
final class PublishSteps {
    private PublishSteps() {}

    static List<List<JetStreamRouting.Publish>> of(List<JetStreamRouting.Publish> publishes, boolean recovering) {
        if (!recovering || publishes.isEmpty()) {
            return publishes.isEmpty() ? List.of() : List.of(publishes);
        }
        List<List<JetStreamRouting.Publish>> steps = new ArrayList<>();
        Set<String> probed = new HashSet<>();
        int runStart = 0;
        for (int i = 0; i < publishes.size(); i++) {
            if (probed.add(publishes.get(i).subject())) {
                if (runStart < i) {
                    steps.add(publishes.subList(runStart, i));
                }
                steps.add(publishes.subList(i, i + 1));
                runStart = i + 1;
            }
        }
        if (runStart < publishes.size()) {
            steps.add(publishes.subList(runStart, publishes.size()));
        }
        return steps;
    }
}
