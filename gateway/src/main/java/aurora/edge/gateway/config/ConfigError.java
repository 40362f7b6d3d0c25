package aurora.edge.gateway.config;

import org.jspecify.annotations.Nullable;

/**
 * One problem with one configuration key, worded for the operator who has to fix it.
 *
 * @param key     the dotted key path, e.g. {@code mqtt.port}
 * @param value   the offending value as written (secrets masked), or null when the key is missing
 * @param problem what is wrong and what is expected
 */
public record ConfigError(String key, @Nullable String value, String problem) {

    @Override
    public String toString() {
        return value == null ? key + ": " + problem : key + ": \"" + value + "\" " + problem;
    }
}
