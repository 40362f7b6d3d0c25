package aurora.edge.gateway.mqttsn;

import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.intake.IntakeResult;
import aurora.edge.gateway.outbox.StoreReceipt;
import java.time.Instant;

/**
 * Where a relay's forwarder-encapsulated PUBLISH for one of its child devices goes, and who may
 * speak for whom. Wired in {@code Gateway}; {@link #NONE} refuses every child until relay
 * bindings exist.
 */
public interface RelayedIntake {
    /** Refuses every encapsulated packet: no relay is bound to any device. */
    RelayedIntake NONE = new RelayedIntake() {
        @Override
        public IntakeResult accept(
                String relayId,
                String childId,
                String topic,
                byte[] payload,
                Instant receivedAt,
                StoreReceipt receipt) {
            return IntakeResult.rejected(Rejection.RELAY_NOT_BOUND);
        }

        @Override
        public boolean isBound(String relayId, String childId) {
            return false;
        }
    };

    /** As {@link DeviceIntake#accept}, for {@code childId}'s message carried by {@code relayId}. */
    IntakeResult accept(
            String relayId, String childId, String topic, byte[] payload, Instant receivedAt, StoreReceipt receipt);

    /** Whether {@code childId} is bound to relay {@code relayId} (the relay may speak for it). */
    boolean isBound(String relayId, String childId);
}
