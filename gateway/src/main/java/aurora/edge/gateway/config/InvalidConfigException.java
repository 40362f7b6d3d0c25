package aurora.edge.gateway.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown once with every configuration error found, so an operator fixes them all in one go. */
@SuppressWarnings("serial") // never serialized: exceptions do not leave the JVM
public final class InvalidConfigException extends Exception {
    private final List<ConfigError> errors;

    public InvalidConfigException(String source, List<ConfigError> errors) {
        super("invalid configuration in " + source + " (" + errors.size() + " error"
                + (errors.size() == 1 ? "" : "s") + "):\n  "
                + errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n  ")));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
