package aurora.edge.gateway.forward;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.outbox.OutboxReader;
import aurora.edge.gateway.outbox.OutboxRecord;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One step of draining the outbox to a sink. While a backlog is draining, alerts, attestation
 * and audit events go first (the priority lane), so a live alert is not stuck behind hours of
 * telemetry; each stream still receives its events in outbox order. Otherwise the next batch is
 * read in order, leaving out what the priority lane already delivered.
 *
 * @param deliver    what to hand to the sink (may be empty when everything read was delivered already)
 * @param priority   whether this step moves the priority lane rather than the main cursor
 * @param advanceTo  the seq the moved cursor reaches once {@code deliver} is acknowledged
 */
record DrainStep(List<OutboxRecord> deliver, boolean priority, long advanceTo) {

    /** Returns null when nothing is stored after the main cursor. */
    static @Nullable DrainStep next(OutboxReader reader, long cursor, long lane, boolean draining, int batchSize) {
        if (draining) {
            List<OutboxRecord> urgent = reader.priorityAfter(Math.max(cursor, lane), batchSize);
            if (!urgent.isEmpty()) {
                return new DrainStep(urgent, true, urgent.get(urgent.size() - 1).seq());
            }
        }
        List<OutboxRecord> rows = reader.after(cursor, batchSize);
        if (rows.isEmpty()) {
            return null;
        }
        List<OutboxRecord> notYetDelivered = rows.stream()
                .filter(r -> r.channel() == Channel.TELEMETRY || r.seq() > lane)
                .toList();
        return new DrainStep(notYetDelivered, false, rows.get(rows.size() - 1).seq());
    }

    /**
     * The next step for a sink that takes no telemetry (NATS): only the other events are read, in
     * order, up to {@code committedSeq} (everything at or below it is committed, so a batch shorter
     * than {@code batchSize} has seen every such event up to there, and the cursor moves past the
     * telemetry in between). Those events are the priority lane's, so there is no separate lane.
     * Returns null when nothing is committed after the cursor.
     */
    static @Nullable DrainStep nextSkippingTelemetry(
            OutboxReader reader, long cursor, long lane, int batchSize, long committedSeq) {
        if (committedSeq <= cursor) {
            return null;
        }
        List<OutboxRecord> rows = reader.nonTelemetryBetween(cursor, committedSeq, batchSize);
        long advanceTo = rows.size() < batchSize
                ? committedSeq
                : rows.get(rows.size() - 1).seq();
        List<OutboxRecord> notYetDelivered =
                rows.stream().filter(r -> r.seq() > lane).toList();
        return new DrainStep(notYetDelivered, false, advanceTo);
    }
}
