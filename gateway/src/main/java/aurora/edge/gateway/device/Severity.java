package aurora.edge.gateway.device;

import java.util.Locale;
import java.util.Optional;

/** Alert severity as AuroraSOC names it, ordered from least to most severe. */
public enum Severity {
    INFO,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /** The lower-case wire name ({@code "critical"}, ...). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /** Parses a wire name case-insensitively; empty for anything that is not a known severity. */
    public static Optional<Severity> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (Severity s : values()) {
            if (s.name().equalsIgnoreCase(text.trim())) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
