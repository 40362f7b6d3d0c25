package aurora.edge.gateway.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@link Setting}s from flattened YAML keys, letting an {@code AURORA_*} environment variable
 * override each key. Never throws on a bad value: it records a {@link ConfigError} and returns the
 * default so that every error in the file is found in one pass. Remembers every setting it was
 * asked for, in order: that list is the configuration's catalogue.
 */
final class ConfigReader {
    private final Map<String, String> fileValues;
    private final Map<String, String> env;
    private final Map<String, Setting<?>> read = new LinkedHashMap<>();
    private final Map<String, EffectiveSetting> effective = new LinkedHashMap<>();
    private final List<ConfigError> errors = new ArrayList<>();

    ConfigReader(Map<String, String> fileValues, Map<String, String> env) {
        this.fileValues = fileValues;
        this.env = env;
    }

    /** The raw text for a key: environment first, then file; empty when neither sets it. */
    private Optional<String> raw(Setting<?> setting) {
        if (read.putIfAbsent(setting.key(), setting) != null) {
            throw new IllegalStateException("setting " + setting.key() + " is read twice");
        }
        String fromEnv = env.get(setting.envName());
        if (fromEnv != null) {
            return Optional.of(fromEnv);
        }
        return Optional.ofNullable(fileValues.get(setting.key()));
    }

    <T> T get(Setting<T> setting) {
        return get(setting, setting.fallback());
    }

    /** Reads a key whose default is derived from other keys (or the host) rather than fixed. */
    // The fallback is null for an optional key (Setting.optionalPath), and so is what is read then; NullAway outside
    // JSpecify mode (which needs JDK 22+) cannot say T is @Nullable for exactly those settings.
    @SuppressWarnings("NullAway")
    <T> T get(Setting<T> setting, @Nullable T fallback) {
        Optional<String> text = raw(setting).map(String::trim);
        if (text.isEmpty() || (setting.isOptional() && text.get().isEmpty())) {
            remember(setting, fallback, true);
            return fallback;
        }
        Optional<T> value = setting.parse(text.get());
        if (value.isEmpty()) {
            errors.add(new ConfigError(setting.key(), shown(setting, text.get()), setting.problem()));
            return fallback;
        }
        remember(setting, value.get(), false);
        return value.get();
    }

    private <T> void remember(Setting<T> setting, T value, boolean fromDefault) {
        effective.put(
                setting.key(),
                new EffectiveSetting(
                        setting.key(),
                        shown(setting, setting.print(value)),
                        setting.defaultText(),
                        setting.unit(),
                        setting.allowed(),
                        setting.description(),
                        fromDefault));
    }

    /** A rule across keys failed: reported under {@code setting}'s key. */
    void error(Setting<?> setting, @Nullable String value, String problem) {
        errors.add(new ConfigError(setting.key(), value == null ? null : shown(setting, value), problem));
    }

    private static String shown(Setting<?> setting, String value) {
        return setting.isSecret() ? "****" : Secrets.maskUserInfo(value);
    }

    /** Records every key in the file that no reader asked for: a typo must not pass silently. */
    List<ConfigError> finish() {
        for (String key : fileValues.keySet()) {
            if (!read.containsKey(key)) {
                errors.add(new ConfigError(key, null, "is not a known key"));
            }
        }
        return List.copyOf(errors);
    }

    /** Every setting read, in order. */
    List<Setting<?>> settings() {
        return List.copyOf(read.values());
    }

    /** Every key with its effective value, secrets masked. */
    List<EffectiveSetting> effective() {
        return List.copyOf(effective.values());
    }
}
