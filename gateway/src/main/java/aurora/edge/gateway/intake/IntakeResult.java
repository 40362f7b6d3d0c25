package aurora.edge.gateway.intake;

import aurora.edge.gateway.device.Rejection;
/** What intake did with one message: queued for the outbox, or refused with a catalogued reason. */
public sealed interface IntakeResult {
    record Accepted(String deviceId, boolean sequenced) implements IntakeResult {}

    record Rejected(Rejection rejection) implements IntakeResult {}

    static IntakeResult rejected(Rejection rejection) {
        return new Rejected(rejection);
    }
}
