package aurora.edge.gateway.outbox;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What becomes of a device's held data once attestation has decided about the device, queued
 * behind the data so it applies to everything held before it.
 *
 * @param trust     the {@code trust} stamped on released events ({@code trusted}; {@code pending} when
 *                  holding is switched off); null when the data is refused
 * @param auditCode the audit code the refused events are kept under; null when the data is released
 */
public record HoldDecision(
        String deviceId, @Nullable String trust, @Nullable String auditCode) implements QueuedWork {
    public HoldDecision {
        Objects.requireNonNull(deviceId, "deviceId");
        if ((trust == null) == (auditCode == null)) {
            throw new IllegalArgumentException(
                    "exactly one of trust and auditCode, found " + trust + " and " + auditCode);
        }
    }

    /** Forward the held data, in order, with this trust. */
    public static HoldDecision release(String deviceId, String trust) {
        return new HoldDecision(deviceId, trust, null);
    }

    /** Keep the held data as audit events under {@code auditCode}, never on the trusted streams. */
    public static HoldDecision refuse(String deviceId, String auditCode) {
        return new HoldDecision(deviceId, null, auditCode);
    }

    public boolean released() {
        return trust != null;
    }
}
