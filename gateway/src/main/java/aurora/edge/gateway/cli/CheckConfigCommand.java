package aurora.edge.gateway.cli;

import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.config.InvalidConfigException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Validates a configuration without starting anything; prints every error by key, or the effective values. */
@Command(name = "check-config", description = "Validate the configuration and print the effective values (secrets masked).")
public final class CheckConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        try {
            GatewayConfig c = config.load();
            c.effectiveMasked().forEach((k, v) -> System.out.println(k + " = " + v));
            System.out.println("configuration is valid");
            return ExitCodes.OK;
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage());
            return ExitCodes.USAGE;
        }
    }
}
