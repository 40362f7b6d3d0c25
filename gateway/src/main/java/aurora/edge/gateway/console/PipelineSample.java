package aurora.edge.gateway.console;

import java.util.Map;

/**
 * What the pipeline looks like at one moment, as the console's charts keep it.
 *
 * @param accepted        device messages accepted since start (the rate is derived between samples)
 * @param backlogBySink   events each sink does not have yet
 * @param ackP99Millis    per sink, the 99th percentile of acceptance to sink acknowledgement over the recent past
 * @param outboxBytes     bytes of events the outbox holds
 */
public record PipelineSample(
        long atMillis,
        long accepted,
        Map<String, Long> backlogBySink,
        Map<String, Double> ackP99Millis,
        long outboxBytes) {
    public PipelineSample {
        backlogBySink = Map.copyOf(backlogBySink);
        ackP99Millis = Map.copyOf(ackP99Millis);
        if (accepted < 0 || outboxBytes < 0) {
            throw new IllegalArgumentException(
                    "accepted and outboxBytes must be >= 0, found " + accepted + " and " + outboxBytes);
        }
    }
}
