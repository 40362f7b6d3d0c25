package aurora.edge.gateway.cli;

import aurora.edge.gateway.config.EffectiveSetting;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.config.InvalidConfigException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Validates a configuration without starting anything; prints every error by key, or the effective values. */
@Command(
        name = "check-config",
        description = "Validate the configuration and print the effective values (secrets masked).")
public final class CheckConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--describe", description = "Also print each key's unit, default, allowed values, and meaning.")
    boolean describe;

    @Override
    public Integer call() {
        try {
            GatewayConfig c = config.load();
            for (EffectiveSetting s : c.settings()) {
                System.out.println(s.key() + " = " + s.value()
                        + (describe && !s.fromDefault() ? "    (set; default " + s.defaultText() + ")" : ""));
                if (describe) {
                    System.out.println("    " + s.unit() + "; allowed " + s.allowed() + "; " + s.description());
                }
            }
            System.out.println("configuration is valid");
            return ExitCodes.OK;
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage());
            return ExitCodes.USAGE;
        }
    }
}
