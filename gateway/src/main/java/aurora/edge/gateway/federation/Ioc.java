package aurora.edge.gateway.federation;

import java.util.Objects;

/**
 * An indicator of compromise from the federation that the gateway can act on.
 *
 * @param id    the STIX indicator id ({@code indicator--…}); replays carry the same id
 * @param kind  what the value names
 * @param value a lower-case SHA-256 hex firmware hash (the MCUboot image TLV hash) or a device id
 */
public record Ioc(String id, Kind kind, String value) {
    public enum Kind {
        /** The image with this hash must no longer be trusted. */
        FIRMWARE_HASH,
        /** This device is compromised. */
        DEVICE_ID
    }

    public Ioc {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
    }
}
