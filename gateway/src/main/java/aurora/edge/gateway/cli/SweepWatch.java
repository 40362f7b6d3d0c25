package aurora.edge.gateway.cli;

import aurora.edge.gateway.attest.ManifestStatus;
import aurora.edge.gateway.ops.StatusReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * Follows, on the gateway's {@code /status}, the sweep of a manifest just installed: until the
 * gateway has taken the new sequence and every re-attestation it sent has settled, with progress
 * (settled of issued, rate, ETA) on standard error and a summary on standard output. Stops early
 * when the gateway refuses the manifest, cannot be reached, or the timeout passes.
 */
final class SweepWatch {
    private final OpsClient ops;
    private final long sequence;
    private final Instant installedAt;
    private final Clock clock;
    private final Duration timeout;
    private final Duration poll;

    SweepWatch(OpsClient ops, long sequence, Instant installedAt, Clock clock, Duration timeout, Duration poll) {
        if (timeout.isNegative() || poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException(
                    "timeout must be >= 0 and poll > 0, found timeout=" + timeout + " poll=" + poll);
        }
        this.ops = ops;
        this.sequence = sequence;
        this.installedAt = installedAt;
        this.clock = clock;
        this.timeout = timeout;
        this.poll = poll;
    }

    int follow(PrintWriter out) throws InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        System.err.println("waiting for the gateway at " + ops.base() + " to apply manifest " + sequence);
        Progress progress = null;
        try {
            while (true) {
                StatusReport report;
                try {
                    report = ops.status();
                } catch (IOException e) {
                    System.err.println(OpsClient.unreachable(ops.base(), e) + "; manifest " + sequence
                            + " is installed and the gateway applies it when it runs (watch with `status`)");
                    return ExitCodes.FAILED;
                }
                ManifestStatus m = report.manifest();
                ManifestStatus.Refusal refused = m == null ? null : refusedSinceInstall(m);
                if (m != null && refused != null && m.sequence() < sequence) {
                    System.err.println("the gateway refused manifest " + sequence + ": " + refused.problem() + ": "
                            + refused.detail() + "; sequence " + m.sequence() + " stays in force");
                    return ExitCodes.FAILED;
                }
                ManifestStatus.Sweep sweep = m == null ? null : m.sweep();
                if (m != null && m.sequence() > sequence) {
                    System.err.println("manifest " + m.sequence() + " replaced " + sequence + " meanwhile; follow it "
                            + "with `status`");
                    return ExitCodes.FAILED;
                }
                if (sweep != null
                        && sweep.toSequence() == sequence
                        && sweep.devicesEvaluated() == sweep.devicesToEvaluate()) {
                    if (progress == null) {
                        progress = Progress.onStderr(
                                "manifest " + sequence + " sweep", sweep.reattestIssued(), "re-attestations");
                        progress.show();
                    }
                    progress.at(sweep.reattestSettled());
                    if (sweep.complete()) {
                        progress.close();
                        progress = null;
                        out.println(summary(sweep));
                        return ExitCodes.OK;
                    }
                }
                if (!clock.instant().isBefore(deadline)) {
                    System.err.println("timed out after " + timeout + ": " + stillOpen(sweep)
                            + "; the gateway goes on (watch with `status`)");
                    return ExitCodes.FAILED;
                }
                Thread.sleep(poll.toMillis());
            }
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
    }

    private ManifestStatus.@Nullable Refusal refusedSinceInstall(ManifestStatus m) {
        ManifestStatus.Refusal r = m.lastRefused();
        if (r == null) {
            return null;
        }
        try {
            return Instant.parse(r.at()).isBefore(installedAt) ? null : r;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private String stillOpen(ManifestStatus.@Nullable Sweep sweep) {
        if (sweep == null || sweep.toSequence() != sequence) {
            return "the gateway has not taken manifest " + sequence + " yet";
        }
        return sweep.reattestOutstanding() + " of " + sweep.reattestIssued() + " re-attestations still outstanding";
    }

    static String summary(ManifestStatus.Sweep s) {
        return "manifest " + s.toSequence() + " in force (was " + s.fromSequence() + "): " + s.devicesEvaluated()
                + " devices re-evaluated, " + s.quarantined() + " quarantined at once, " + s.reattestIssued()
                + " re-attested (" + s.reattestAnswered() + " answered, " + s.reattestUnresponsive()
                + " unresponsive)";
    }
}
