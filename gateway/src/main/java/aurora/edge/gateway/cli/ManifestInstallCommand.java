package aurora.edge.gateway.cli;

import aurora.edge.attestation.Result;
import aurora.edge.attestation.manifest.Manifest;
import aurora.edge.gateway.attest.ManifestStatus;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.config.InvalidConfigException;
import aurora.edge.gateway.firmware.ManifestChecks;
import aurora.edge.gateway.ops.StatusReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code manifest install FILE}: replaces the firmware manifest a gateway trusts and follows the
 * sweep that re-judges the fleet by it. The new manifest is verified here first, with the vendor
 * key and against the sequence in force (the installed file's and the running gateway's), so an
 * unsigned, badly signed, expired or rolled-back manifest is refused without touching anything.
 * Then manifest and signature are moved atomically over {@code attest.manifest} and
 * {@code attest.manifest_signature}; the running gateway picks them up within a second and this
 * command polls its {@code /status} until the sweep of the new sequence is complete, printing
 * progress with rate and ETA on standard error. Exit codes: 0 installed (and swept, unless
 * {@code --no-wait}), 1 refused, timed out, refused by the gateway or gateway unreachable,
 * 2 usage or configuration error.
 */
@Command(
        name = "install",
        description = "Verify a signed firmware manifest, install it over attest.manifest and follow the gateway's "
                + "re-attestation sweep to its end.",
        mixinStandardHelpOptions = true)
public final class ManifestInstallCommand implements Callable<Integer> {
    static final Duration POLL = Duration.ofMillis(500);

    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "FILE", description = "the new manifest.json")
    Path manifest;

    @Option(names = "--sig", paramLabel = "SIG", description = "its detached signature (default: FILE.sig)")
    @Nullable
    Path signature;

    @Option(
            names = "--url",
            description = "the gateway's ops URL (default: from http.host and http.port of the configuration)")
    @Nullable
    URI url;

    @Option(names = "--no-wait", description = "return once the files are in place, without following the sweep")
    boolean noWait;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "PT15M",
            description = "how long to follow the sweep, ISO-8601 (default: ${DEFAULT-VALUE}); the gateway goes on "
                    + "after it")
    Duration timeout;

    private final Clock clock;

    public ManifestInstallCommand() {
        this(Clock.systemUTC());
    }

    /** @param clock decides manifest expiry and the timeout; tests pass their own */
    ManifestInstallCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws InterruptedException {
        GatewayConfig c;
        try {
            c = config.load();
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage());
            return ExitCodes.USAGE;
        }
        GatewayConfig.Attest attest = c.attest();
        Path target = attest.manifest();
        Path targetSig = attest.manifestSignature();
        Path vendorKey = attest.vendorKey();
        if (target == null || targetSig == null || vendorKey == null) {
            System.err.println(
                    "manifest install: attest.manifest is not set in the configuration, so attestation is "
                            + "off and there is no manifest to replace (set attest.manifest and attest.vendor_key, then restart)");
            return ExitCodes.USAGE;
        }
        OpsClient ops = url != null ? new OpsClient(url) : OpsClient.of(c.http());

        byte[] json;
        byte[] sig;
        Path sigFile = signature != null ? signature : Path.of(manifest + ".sig");
        try {
            json = ManifestChecks.readManifest(manifest);
        } catch (IOException e) {
            System.err.println("manifest install: cannot read " + manifest + ": " + why(e));
            return ExitCodes.USAGE;
        }
        try {
            sig = ManifestChecks.readSignature(sigFile);
        } catch (IOException e) {
            System.err.println("manifest install: refused: no detached signature at " + sigFile + " (" + why(e)
                    + "); an unsigned manifest is never installed. Nothing was changed.");
            return ExitCodes.FAILED;
        }
        InForce inForce = inForce(target, targetSig, vendorKey, ops);
        Result<Manifest> verified;
        try {
            verified = ManifestChecks.verify(json, sig, vendorKey, 0, clock.instant());
        } catch (IOException e) {
            System.err.println("manifest install: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (verified instanceof Result.Failed<Manifest> failed) {
            System.err.println("manifest install: refused: " + failed.problem().code() + ": " + failed.detail()
                    + ". Nothing was changed.");
            return ExitCodes.FAILED;
        }
        Manifest next = verified.orElseThrow();
        if (next.sequence() <= inForce.sequence()) {
            System.err.println("manifest install: refused: " + manifest + " has sequence " + next.sequence()
                    + ", not above the sequence in force " + inForce.sequence() + " (" + inForce.source()
                    + "): a rollback or a reused sequence is never installed. Nothing was changed.");
            return ExitCodes.FAILED;
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        ManifestChecks.print(out, next);
        Instant installedAt = clock.instant();
        try {
            AtomicFiles.replace(targetSig, sig);
            AtomicFiles.replace(target, json);
        } catch (IOException e) {
            System.err.println(
                    "manifest install: cannot write " + target + ": " + why(e) + " (run as the service user or root)");
            return ExitCodes.FAILED;
        }
        out.println("installed: sequence " + next.sequence() + " replaces " + inForce.sequence() + " at " + target);
        if (noWait) {
            return ExitCodes.OK;
        }
        return new SweepWatch(ops, next.sequence(), installedAt, clock, timeout, POLL).follow(out);
    }

    /** The sequence the new manifest must exceed, and where it was learnt. */
    record InForce(long sequence, String source) {}

    /**
     * The higher of the installed file's sequence (if it verifies) and the running gateway's (which
     * also remembers sequences a restart cannot roll back). A file that is missing or does not verify
     * counts as 0: the gateway still refuses a rollback below its own trusted sequence.
     */
    private InForce inForce(Path target, Path targetSig, Path vendorKey, OpsClient ops) throws InterruptedException {
        InForce best = new InForce(0, "none installed");
        try {
            Result<Manifest> installed = ManifestChecks.verify(
                    ManifestChecks.readManifest(target),
                    ManifestChecks.readSignature(targetSig),
                    vendorKey,
                    0,
                    clock.instant());
            if (installed instanceof Result.Ok<Manifest> ok) {
                best = new InForce(ok.value().sequence(), "installed at " + target);
            }
        } catch (IOException e) {
            // nothing installed yet, or unreadable here: the gateway's own sequence below still counts
        }
        try {
            StatusReport status = ops.status();
            ManifestStatus m = status.manifest();
            if (m != null && m.sequence() > best.sequence()) {
                best = new InForce(m.sequence(), "in force on the gateway at " + ops.base());
            }
        } catch (IOException e) {
            // a stopped gateway: the installed file decides; the gateway checks again when it starts
        }
        return best;
    }

    private static String why(IOException e) {
        return e instanceof NoSuchFileException ? "no such file" : String.valueOf(e.getMessage());
    }
}
