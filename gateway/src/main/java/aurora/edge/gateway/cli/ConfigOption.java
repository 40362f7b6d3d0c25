package aurora.edge.gateway.cli;

import aurora.edge.gateway.config.ConfigLoader;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.config.InvalidConfigException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option every command that needs the configuration shares. */
public final class ConfigOption {
    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description =
                    "YAML configuration file (default: built-in defaults); AURORA_* environment variables override keys")
    Path file;

    GatewayConfig load() throws InvalidConfigException {
        return new ConfigLoader(System.getenv()).load(file);
    }
}
