package aurora.edge.gateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads typed values from flattened YAML keys, letting an {@code AURORA_*} environment variable
 * override each key. Never throws on a bad value: it records a {@link ConfigError} and returns the
 * default so that every error in the file is found in one pass.
 */
final class ConfigReader {
    private final Map<String, String> fileValues;
    private final Map<String, String> env;
    private final Set<String> secretKeys = new TreeSet<>();
    private final Map<String, String> effective = new LinkedHashMap<>();
    private final Set<String> knownKeys = new TreeSet<>();
    private final List<ConfigError> errors = new ArrayList<>();

    ConfigReader(Map<String, String> fileValues, Map<String, String> env) {
        this.fileValues = fileValues;
        this.env = env;
    }

    static String envName(String key) {
        return "AURORA_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** The raw text for a key: environment first, then file; empty when neither sets it. */
    private Optional<String> raw(String key) {
        knownKeys.add(key);
        String fromEnv = env.get(envName(key));
        if (fromEnv != null) {
            return Optional.of(fromEnv);
        }
        return Optional.ofNullable(fileValues.get(key));
    }

    private <T> T read(String key, T fallback, Function<String, Optional<T>> parse, String expected) {
        Optional<String> text = raw(key);
        if (text.isEmpty()) {
            effective.put(key, String.valueOf(fallback));
            return fallback;
        }
        Optional<T> value;
        try {
            value = parse.apply(text.get().trim());
        } catch (RuntimeException e) {
            value = Optional.empty();
        }
        if (value.isEmpty()) {
            errors.add(new ConfigError(key, shown(key, text.get()), expected));
            return fallback;
        }
        effective.put(key, String.valueOf(value.get()));
        return value.get();
    }

    boolean bool(String key, boolean fallback) {
        return read(key, fallback, s -> s.equalsIgnoreCase("true") ? Optional.of(true)
                : s.equalsIgnoreCase("false") ? Optional.of(false) : Optional.empty(), "is not true or false");
    }

    String string(String key, String fallback, Pattern allowed, String expected) {
        return read(key, fallback, s -> allowed.matcher(s).matches() ? Optional.of(s) : Optional.empty(), expected);
    }

    String optionalString(String key, Pattern allowed, String expected) {
        return read(key, "", v -> v.isEmpty() || allowed.matcher(v).matches() ? Optional.of(v) : Optional.empty(), expected);
    }

    int integer(String key, int fallback, int min, int max) {
        return read(key, fallback, s -> {
            long v = Long.parseLong(s);
            return v >= min && v <= max ? Optional.of((int) v) : Optional.empty();
        }, "is not a whole number in [" + min + ", " + max + "]");
    }

    long longValue(String key, long fallback, long min, long max) {
        return read(key, fallback, s -> {
            long v = Long.parseLong(s);
            return v >= min && v <= max ? Optional.of(v) : Optional.empty();
        }, "is not a whole number in [" + min + ", " + max + "]");
    }

    /** A decimal number such as a share ({@code 0.2}), within [min, max]. */
    double fraction(String key, double fallback, double min, double max) {
        return read(key, fallback, s -> {
            double v = Double.parseDouble(s);
            return Double.isFinite(v) && v >= min && v <= max ? Optional.of(v) : Optional.empty();
        }, "is not a number in [" + min + ", " + max + "]");
    }

    long bytes(String key, long fallback, long min, long max) {
        return read(key, fallback, s -> ByteSizes.parse(s).filter(v -> v >= min && v <= max),
                "is not a size between " + min + " and " + max + " bytes (e.g. 64MiB, 1GiB)");
    }

    Duration duration(String key, Duration fallback, Duration min, Duration max) {
        return read(key, fallback,
                s -> Durations.parse(s).filter(d -> d.compareTo(min) >= 0 && d.compareTo(max) <= 0),
                "is not a duration between " + Durations.format(min) + " and " + Durations.format(max)
                        + " (e.g. 250ms, 5s, 10m, 1h)");
    }

    URI uri(String key, URI fallback, Set<String> schemes) {
        return read(key, fallback, s -> {
            URI u = URI.create(s);
            return u.getScheme() != null && schemes.contains(u.getScheme()) && u.getHost() != null && u.getPort() > 0
                    ? Optional.of(u)
                    : Optional.empty();
        }, "is not a URL of the form " + String.join("|", schemes) + "://host:port");
    }

    Path path(String key, Path fallback) {
        return read(key, fallback, s -> s.isEmpty() ? Optional.empty() : Optional.of(Path.of(s)), "is not a path");
    }

    /** A path that may be left unset: null then, shown as empty in the effective configuration. */
    Path optionalPath(String key) {
        Optional<String> text = raw(key);
        if (text.isEmpty() || text.get().isBlank()) {
            effective.put(key, "");
            return null;
        }
        effective.put(key, text.get().trim());
        return Path.of(text.get().trim());
    }

    <E extends Enum<E>> E enumValue(String key, E fallback, Class<E> type) {
        StringBuilder names = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            names.append(names.length() == 0 ? "" : "|").append(e.name().toLowerCase(Locale.ROOT));
        }
        return read(key, fallback, s -> {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(s)) return Optional.of(e);
            }
            return Optional.empty();
        }, "is not one of " + names);
    }

    /** Marks a key whose value must never be printed. */
    void secret(String key) {
        secretKeys.add(key);
    }

    void error(String key, String value, String problem) {
        errors.add(new ConfigError(key, value == null ? null : shown(key, value), problem));
    }

    private String shown(String key, String value) {
        return secretKeys.contains(key) ? "****" : Secrets.maskUserInfo(value);
    }

    /** Records every key in the file that no reader asked for: a typo must not pass silently. */
    List<ConfigError> finish() {
        for (String key : fileValues.keySet()) {
            if (!knownKeys.contains(key)) {
                errors.add(new ConfigError(key, null, "is not a known key"));
            }
        }
        return List.copyOf(errors);
    }

    /** Every key with its effective value, secrets masked, for the start-up log. */
    Map<String, String> effectiveMasked() {
        Map<String, String> out = new LinkedHashMap<>();
        effective.forEach((k, v) -> out.put(k, shown(k, v)));
        return out;
    }
}
