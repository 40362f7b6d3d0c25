package aurora.edge.gateway.device;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How AuroraSOC files an alert: its correlation type ({@code FIRMWARE_MISMATCH},
 * {@code COMMUNICATION_ANOMALY}, … as the CPS devices page lists them) and the MITRE ATT&amp;CK
 * techniques it shows. Both drive AuroraSOC's correlation and agent routing.
 *
 * @param type            the correlation type, or null when none applies
 * @param mitreTechniques technique ids such as {@code T1542}; empty when none applies
 */
public record Correlation(@Nullable String type, List<String> mitreTechniques) {
    /** The correlation types AuroraSOC documents. */
    public static final String FIRMWARE_MISMATCH = "FIRMWARE_MISMATCH";

    public static final String COMMUNICATION_ANOMALY = "COMMUNICATION_ANOMALY";

    /** Nothing to say: no correlation type, no technique. */
    public static final Correlation NONE = new Correlation(null, List.of());

    private static final Pattern TECHNIQUE = Pattern.compile("T\\d{4}(\\.\\d{3})?");

    public Correlation {
        mitreTechniques = List.copyOf(Objects.requireNonNull(mitreTechniques, "mitreTechniques"));
        for (String t : mitreTechniques) {
            if (!TECHNIQUE.matcher(t).matches()) {
                throw new IllegalArgumentException(
                        "mitreTechniques must be ids like T1542 or T1071.001, found \"" + t + "\"");
            }
        }
        if (type != null && !type.matches("[A-Z_]{1,64}")) {
            throw new IllegalArgumentException("type must be an upper-case correlation type, found \"" + type + "\"");
        }
    }
}
