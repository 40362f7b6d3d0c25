package aurora.edge.gateway.intake;

import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.device.Trust;

/** What intake did with one message: queued for the outbox, or refused with a catalogued reason. */
public sealed interface IntakeResult {
    /**
     * @param trust what the message was stamped with
     * @param held  kept but not forwarded (yet): held for the device's verdict, or untrusted data
     */
    record Accepted(String deviceId, boolean sequenced, Trust trust, boolean held) implements IntakeResult {}

    record Rejected(Rejection rejection) implements IntakeResult {}

    static IntakeResult rejected(Rejection rejection) {
        return new Rejected(rejection);
    }
}
