package aurora.edge.attestation.endorsement;

import java.util.Locale;
import java.util.Optional;

/** What an endorsed device is: a device that speaks for itself, or a relay that also carries its bound devices' data. */
public enum DeviceRole {
    DEVICE,
    /** An aggregating gateway (BLE, serial bridge): may publish and receive for the devices bound to it, and only those. */
    RELAY;

    /** The name in the endorsement list ({@code "device"}, {@code "relay"}). */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DeviceRole> fromJson(String name) {
        for (DeviceRole r : values()) {
            if (r.json().equals(name)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
