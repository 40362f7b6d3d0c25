package aurora.edge.gateway.firmware;

import java.time.Clock;
import java.util.Objects;
import picocli.CommandLine.Command;

/**
 * {@code firmware verify IMAGE}: checks an MCUboot image file the way the bootloader and the
 * attestation verifier do. Exit codes: 0 verified, 1 verification failed, 2 usage or I/O error.
 */
@Command(
        name = "firmware",
        description = "Check MCUboot firmware images.",
        mixinStandardHelpOptions = true,
        subcommands = FirmwareVerifyCommand.class)
public final class FirmwareCommand {
    private final Clock clock;

    public FirmwareCommand() {
        this(Clock.systemUTC());
    }

    /** @param clock decides manifest expiry; tests pass a fixed one */
    public FirmwareCommand(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    Clock clock() {
        return clock;
    }
}
