package aurora.edge.gateway.mqttsn;

import aurora.edge.gateway.intake.IntakeResult;
import aurora.edge.gateway.outbox.StoreReceipt;
import java.time.Instant;

/** Where a device's PUBLISH goes: the same intake as MQTT ({@code Intake::accept}). */
@FunctionalInterface
public interface DeviceIntake {
    /** As {@code Intake.accept}: {@code receipt} is told once, and only when the result is accepted. */
    IntakeResult accept(String deviceId, String topic, byte[] payload, Instant receivedAt, StoreReceipt receipt);
}
