package aurora.edge.gateway.device;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a device is still heard from, as AuroraSOC judges it: Online (heard within
 * {@code devices.stale_after}, 10 minutes by default), Stale (silent longer: a warning), Offline
 * (silent longer than {@code devices.offline_after}, 60 minutes: critical). Apart from attestation:
 * a quarantined device that keeps sending heartbeats is Online.
 */
public enum Health {
    ONLINE,
    STALE,
    OFFLINE;

    /** The lower-case wire name ({@code "online"}, ...): in {@code /devices}, metrics and events. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this is a worse state than {@code other} (Offline is worse than Stale, Stale than Online). */
    public boolean worseThan(Health other) {
        return compareTo(other) > 0;
    }

    /** Parses a wire name case-insensitively; empty for anything else. */
    public static Optional<Health> parse(String text) {
        for (Health h : values()) {
            if (h.name().equalsIgnoreCase(text.trim())) {
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }
}
