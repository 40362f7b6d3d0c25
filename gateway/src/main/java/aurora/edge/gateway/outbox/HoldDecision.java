package aurora.edge.gateway.outbox;

import java.util.Objects;

/**
 * What becomes of a device's held data once attestation has decided about the device, queued
 * behind the data so it applies to everything held before it.
 *
 * @param trust the {@code trust} stamped on released events ({@code trusted}; {@code pending} when
 *              holding is switched off); null when the data is refused
 */
public record HoldDecision(String deviceId, String trust) implements QueuedWork {
    /** The audit code of refused held data, as for any data of a device not trusted enough to forward. */
    public static final String UNTRUSTED_DATA = "UNTRUSTED_DATA";

    public HoldDecision {
        Objects.requireNonNull(deviceId, "deviceId");
    }

    /** Forward the held data, in order, with this trust. */
    public static HoldDecision release(String deviceId, String trust) {
        return new HoldDecision(deviceId, Objects.requireNonNull(trust, "trust"));
    }

    /** Keep the held data as UNTRUSTED_DATA audit events, never on the trusted streams. */
    public static HoldDecision refuse(String deviceId) {
        return new HoldDecision(deviceId, null);
    }

    public boolean released() {
        return trust != null;
    }
}
