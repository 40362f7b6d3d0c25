package aurora.edge.gateway;

import aurora.edge.gateway.cli.CheckConfigCommand;
import aurora.edge.gateway.cli.DevicesCommand;
import aurora.edge.gateway.cli.ExportCommand;
import aurora.edge.gateway.cli.IocsCommand;
import aurora.edge.gateway.cli.ManifestInstallCommand;
import aurora.edge.gateway.cli.OutboxCommand;
import aurora.edge.gateway.cli.RunCommand;
import aurora.edge.gateway.cli.StatusCommand;
import aurora.edge.gateway.firmware.FirmwareCommand;
import aurora.edge.gateway.firmware.ManifestCommand;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line of {@code aurora-edge-gateway.jar}, and the only place that exits the JVM.
 * Exit codes: 0 success, 1 failure at run time, 2 bad usage or invalid configuration.
 */
@Command(
        name = "aurora-edge",
        mixinStandardHelpOptions = true,
        version = "aurora-edge 0.1.0",
        description = "Edge gateway of the AuroraSOC platform.",
        subcommands = {
            RunCommand.class,
            CheckConfigCommand.class,
            DevicesCommand.class,
            ExportCommand.class,
            IocsCommand.class,
            OutboxCommand.class,
            StatusCommand.class,
            FirmwareCommand.class,
            ManifestCommand.class
        })
public final class Main {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree, for tests that run commands without exiting. */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new Main()).setExitCodeExceptionMapper(e -> 1);
        // manifest install talks to the running gateway (cli), which the vendor-side manifest commands (firmware)
        // must not depend on: it joins them here.
        Objects.requireNonNull(line.getSubcommands().get("manifest"), "the manifest command")
                .addSubcommand("install", new ManifestInstallCommand());
        return line;
    }
}
