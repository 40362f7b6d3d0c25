package aurora.edge.gateway.intake;

import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.device.Trust;

/** What intake did with one message: queued for the outbox, or refused with a catalogued reason. */
public sealed interface IntakeResult {
    /** @param trust what the message was stamped with; not forwardable means it was held in the audit stream */
    record Accepted(String deviceId, boolean sequenced, Trust trust) implements IntakeResult {}

    record Rejected(Rejection rejection) implements IntakeResult {}

    static IntakeResult rejected(Rejection rejection) {
        return new Rejected(rejection);
    }
}
