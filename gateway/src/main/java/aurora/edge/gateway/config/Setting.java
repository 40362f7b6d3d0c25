package aurora.edge.gateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One configuration key, modelled once: its type, default, allowed values, unit and meaning. The
 * loader reads it (validation errors name the key), {@code check-config} prints it, the docs'
 * configuration tables are generated from it (a test fails while they are stale), and components
 * that are also built by hand check their values with {@link #require}. The features' keys are
 * declared in the {@code *Settings} classes of this package.
 *
 * @param <T> the type the key is read as
 */
public final class Setting<T> {
    private final String key;
    private final String unit;
    private final @Nullable T fallback;
    private final String defaultText;
    private final String allowed;
    private final String description;
    private final boolean secret;
    private final boolean optional;
    private final Function<String, Optional<T>> parse;
    private final Predicate<T> valid;
    private final Function<T, String> print;
    private final String problem;

    private Setting(
            String key,
            String unit,
            @Nullable T fallback,
            String defaultText,
            String allowed,
            String description,
            boolean secret,
            boolean optional,
            Function<String, Optional<T>> parse,
            Predicate<T> valid,
            Function<T, String> print,
            String problem) {
        if (!key.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+")) {
            throw new IllegalArgumentException("a setting key is dotted lower-case words, found \"" + key + "\"");
        }
        this.key = key;
        this.unit = unit;
        this.fallback = fallback;
        this.defaultText = defaultText;
        this.allowed = allowed;
        this.description = Objects.requireNonNull(description, "description");
        this.secret = secret;
        this.optional = optional;
        this.parse = parse;
        this.valid = valid;
        this.print = print;
        this.problem = problem;
    }

    // ---- the kinds of key ----

    public static Setting<Integer> integer(
            String key, String unit, int fallback, int min, int max, String description) {
        return new Setting<>(
                key,
                unit,
                fallback,
                tick(String.valueOf(fallback)),
                min + "–" + max,
                description,
                false,
                false,
                s -> Optional.of(Math.toIntExact(Long.parseLong(s))),
                v -> v >= min && v <= max,
                String::valueOf,
                "is not a whole number in [" + min + ", " + max + "]");
    }

    public static Setting<Long> longValue(
            String key, String unit, long fallback, long min, long max, String description) {
        return new Setting<>(
                key,
                unit,
                fallback,
                tick(String.valueOf(fallback)),
                min + "–" + max,
                description,
                false,
                false,
                s -> Optional.of(Long.parseLong(s)),
                v -> v >= min && v <= max,
                String::valueOf,
                "is not a whole number in [" + min + ", " + max + "]");
    }

    public static Setting<Long> bytes(String key, long fallback, long min, long max, String description) {
        return new Setting<>(
                key,
                "size",
                fallback,
                tick(ByteSizes.format(fallback)),
                ByteSizes.format(min) + "–" + ByteSizes.format(max),
                description,
                false,
                false,
                ByteSizes::parse,
                v -> v >= min && v <= max,
                ByteSizes::format,
                "is not a size between " + min + " and " + max + " bytes (e.g. 64MiB, 1GiB)");
    }

    public static Setting<Duration> duration(
            String key, Duration fallback, Duration min, Duration max, String description) {
        return new Setting<>(
                key,
                "duration",
                fallback,
                tick(Durations.format(fallback)),
                Durations.format(min) + "–" + Durations.format(max),
                description,
                false,
                false,
                Durations::parse,
                d -> d.compareTo(min) >= 0 && d.compareTo(max) <= 0,
                Durations::format,
                "is not a duration between " + Durations.format(min) + " and " + Durations.format(max)
                        + " (e.g. 250ms, 5s, 10m, 1h)");
    }

    /** A text key whose whole value must match {@code pattern}; {@code allowed} says so to an operator. */
    public static Setting<String> string(
            String key,
            String unit,
            String fallback,
            Pattern pattern,
            String allowed,
            String problem,
            String description) {
        return new Setting<>(
                key,
                unit,
                fallback,
                tick(fallback),
                allowed,
                description,
                false,
                false,
                Optional::of,
                v -> pattern.matcher(v).matches(),
                v -> v,
                problem);
    }

    /** Like {@link #string}, but may be left empty (read as the empty string). */
    public static Setting<String> optionalString(
            String key, String unit, Pattern pattern, String allowed, String problem, String description) {
        return new Setting<>(
                key,
                unit,
                "",
                "empty",
                allowed + " or empty",
                description,
                false,
                true,
                Optional::of,
                v -> v.isEmpty() || pattern.matcher(v).matches(),
                v -> v,
                problem);
    }

    /** A {@code scheme://host:port} URL; secret, because it may carry a user and password. */
    public static Setting<URI> url(String key, URI fallback, Set<String> schemes, String description) {
        Set<String> sorted = new TreeSet<>(schemes);
        return new Setting<>(
                key,
                "URL",
                fallback,
                tick(fallback.toString()),
                String.join(" or ", sorted.stream().map(s -> "`" + s + "://`").toList()) + " host:port",
                description,
                true,
                false,
                s -> Optional.of(URI.create(s)),
                u -> u.getScheme() != null && schemes.contains(u.getScheme()) && u.getHost() != null && u.getPort() > 0,
                URI::toString,
                "is not a URL of the form " + String.join("|", sorted) + "://host:port");
    }

    /** A share of a whole, such as {@code 0.2}, within [min, max]. */
    public static Setting<Double> share(String key, double fallback, double min, double max, String description) {
        return new Setting<>(
                key,
                "share",
                fallback,
                tick(String.valueOf(fallback)),
                min + "–" + max,
                description,
                false,
                false,
                s -> Optional.of(Double.parseDouble(s)),
                v -> Double.isFinite(v) && v >= min && v <= max,
                String::valueOf,
                "is not a number in [" + min + ", " + max + "]");
    }

    public static Setting<Path> path(String key, Path fallback, String description) {
        return new Setting<>(
                key,
                "path",
                fallback,
                tick(fallback.toString()),
                "path",
                description,
                false,
                false,
                s -> s.isEmpty() ? Optional.empty() : Optional.of(Path.of(s)),
                p -> true,
                Path::toString,
                "is not a path");
    }

    /** A path that may be left unset: read as null then. */
    public static Setting<Path> optionalPath(String key, String description) {
        return new Setting<>(
                key,
                "path",
                null,
                "empty",
                "path",
                description,
                false,
                true,
                s -> Optional.of(Path.of(s)),
                p -> true,
                Path::toString,
                "is not a path");
    }

    public static Setting<Boolean> bool(String key, boolean fallback, String description) {
        return new Setting<>(
                key,
                "boolean",
                fallback,
                tick(String.valueOf(fallback)),
                "`true`, `false`",
                description,
                false,
                false,
                s -> s.equalsIgnoreCase("true")
                        ? Optional.of(true)
                        : s.equalsIgnoreCase("false") ? Optional.of(false) : Optional.empty(),
                b -> true,
                String::valueOf,
                "is not true or false");
    }

    /** One of an enum's constants, written in lower case (read case-insensitively). */
    public static <E extends Enum<E>> Setting<E> enumValue(
            String key, String unit, E fallback, Class<E> type, String description) {
        StringBuilder names = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            names.append(names.length() == 0 ? "" : "|").append(lower(e));
        }
        return new Setting<>(
                key,
                unit,
                fallback,
                tick(lower(fallback)),
                String.join(
                        ", ",
                        java.util.Arrays.stream(type.getEnumConstants())
                                .map(e -> "`" + lower(e) + "`")
                                .toList()),
                description,
                false,
                false,
                s -> {
                    for (E e : type.getEnumConstants()) {
                        if (e.name().equalsIgnoreCase(s)) {
                            return Optional.of(e);
                        }
                    }
                    return Optional.empty();
                },
                e -> true,
                Setting::lower,
                "is not one of " + names);
    }

    // ---- refinements for the docs ----

    /** The default as the docs show it (Markdown), when it is derived from another key or the host. */
    public Setting<T> defaultShownAs(String text) {
        return new Setting<>(
                key, unit, fallback, text, allowed, description, secret, optional, parse, valid, print, problem);
    }

    /** The allowed values as the docs show them, e.g. with a rule that involves another key. */
    public Setting<T> allowedShownAs(String text) {
        return new Setting<>(
                key, unit, fallback, defaultText, text, description, secret, optional, parse, valid, print, problem);
    }

    /** A key whose value is never printed (masked in errors, logs and {@code check-config}). */
    public Setting<T> secret() {
        return new Setting<>(
                key, unit, fallback, defaultText, allowed, description, true, optional, parse, valid, print, problem);
    }

    // ---- use ----

    public String key() {
        return key;
    }

    /** The environment variable that overrides the key: {@code AURORA_} + the key upper-cased, {@code _} for {@code .}. */
    public String envName() {
        return "AURORA_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    public String unit() {
        return unit;
    }

    /** The default; null for an optional path, or when the default is derived at load time. */
    // T is nullable only for those keys; NullAway outside JSpecify mode (which needs JDK 22+) cannot say
    // Setting<@Nullable Path>.
    @SuppressWarnings("NullAway")
    public T fallback() {
        return fallback;
    }

    /** The default as the docs show it (Markdown: a value in backticks, or words such as {@code empty}). */
    public String defaultText() {
        return defaultText;
    }

    /** The allowed values as the docs show them (Markdown). */
    public String allowed() {
        return allowed;
    }

    public String description() {
        return description;
    }

    public boolean isSecret() {
        return secret;
    }

    boolean isOptional() {
        return optional;
    }

    /** What an operator is told when the value is bad, after the key and the value. */
    String problem() {
        return problem;
    }

    /** Parses and checks text as written in the file or the environment; empty when it is not allowed. */
    Optional<T> parse(String text) {
        try {
            return parse.apply(text).filter(valid);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The value as it would be written in the configuration file (not masked). */
    public String print(T value) {
        return value == null ? "" : print.apply(value);
    }

    /**
     * Checks a value set in code (a component built by hand, as tests do) against the same rule
     * the loader applies to the file.
     *
     * @throws IllegalArgumentException naming the key when the value is not allowed
     */
    public T require(T value) {
        if (value == null ? !optional : !valid.test(value)) {
            throw new IllegalArgumentException(key + " must be " + allowed + ", found " + (secret ? "****" : value));
        }
        return value;
    }

    private static String tick(String text) {
        return "`" + text + "`";
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return key;
    }
}
