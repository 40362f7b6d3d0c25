package aurora.edge.gateway.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes in configuration: {@code 1048576}, {@code 64KiB}, {@code 512MiB}, {@code 2GiB} (also KB/MB/GB as powers of 1000). */
public final class ByteSizes {
    private static final Pattern FORM = Pattern.compile("(\\d{1,15})\\s*(b|kib|mib|gib|tib|kb|mb|gb|tb)?");

    private ByteSizes() {}

    public static Optional<Long> parse(String text) {
        Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2) == null ? "b" : m.group(2)) {
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "tib" -> 1L << 40;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "tb" -> 1_000_000_000_000L;
            default -> 1L;
        };
        return n > Long.MAX_VALUE / unit ? Optional.empty() : Optional.of(n * unit);
    }

    /** The shortest exact binary form: {@code 1GiB}, {@code 1536MiB}, {@code 64KiB}; plain bytes otherwise. */
    public static String format(long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (10 * (units.length - i));
            if (bytes > 0 && bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return String.valueOf(bytes);
    }
}
