package aurora.edge.gateway.config;

/**
 * One key of the loaded configuration as an operator may see it (start-up log, {@code check-config},
 * a configuration view): its effective value, masked when the key is secret or the value carries
 * credentials, next to its default and meaning.
 */
public record EffectiveSetting(
        String key,
        String value,
        String defaultText,
        String unit,
        String allowed,
        String description,
        boolean fromDefault) {}
