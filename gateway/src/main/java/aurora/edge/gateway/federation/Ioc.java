package aurora.edge.gateway.federation;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An indicator of compromise from the federation that the gateway can act on.
 *
 * @param id         the STIX indicator id ({@code indicator--…}); replays and revocations carry the same id
 * @param kind       what the value names
 * @param value      a lower-case SHA-256 hex firmware hash (the MCUboot image TLV hash) or a device id
 * @param revoked    STIX {@code revoked: true}: the federation withdraws this indicator
 * @param validUntil STIX {@code valid_until}, or null: when the indicator stops holding by itself
 */
public record Ioc(
        String id,
        Kind kind,
        String value,
        boolean revoked,
        @Nullable Instant validUntil) {
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

    /** A standing indicator without an end. */
    public Ioc(String id, Kind kind, String value) {
        this(id, kind, value, false, null);
    }
}
