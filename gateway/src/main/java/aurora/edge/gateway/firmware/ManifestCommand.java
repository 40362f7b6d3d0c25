package aurora.edge.gateway.firmware;

import java.time.Clock;
import java.util.Objects;
import picocli.CommandLine.Command;

/**
 * {@code manifest sign} and {@code manifest verify}: the vendor side and the gateway side of the
 * signed firmware manifest. Exit codes: 0 ok, 1 verification failed, 2 usage or I/O error.
 */
@Command(
        name = "manifest",
        description = "Sign and verify the firmware manifest.",
        mixinStandardHelpOptions = true,
        subcommands = {ManifestSignCommand.class, ManifestVerifyCommand.class})
public final class ManifestCommand {
    private final Clock clock;

    public ManifestCommand() {
        this(Clock.systemUTC());
    }

    /** @param clock decides manifest expiry; tests pass a fixed one */
    public ManifestCommand(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    Clock clock() {
        return clock;
    }
}
