package aurora.edge.gateway.cli;

import aurora.edge.gateway.attest.ManifestStatus;
import aurora.edge.gateway.ops.StatusReport;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code status}: asks a running gateway's ops port and prints one line (or keeps printing with --watch). */
@Command(name = "status", description = "Show a running gateway's devices, throughput and backlog per sink.")
public final class StatusCommand implements Callable<Integer> {
    @Option(
            names = "--url",
            defaultValue = "http://127.0.0.1:9180",
            description = "the gateway's ops URL (default: ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--watch", description = "print a status line every second until interrupted")
    boolean watch;

    @Option(names = "--json", description = "print the raw JSON report")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        OpsClient ops = new OpsClient(url);
        long lastAccepted = -1;
        do {
            try {
                if (json) {
                    System.out.println(ops.statusJson());
                } else {
                    StatusReport r = ops.status();
                    long rate = lastAccepted < 0 ? 0 : r.accepted() - lastAccepted;
                    lastAccepted = r.accepted();
                    System.out.println(line(r, rate));
                }
            } catch (IOException e) {
                System.err.println(OpsClient.unreachable(url, e));
                if (!watch) {
                    return ExitCodes.FAILED;
                }
            }
            if (watch) {
                Thread.sleep(1000);
            }
        } while (watch);
        return ExitCodes.OK;
    }

    /** The registered devices that are not Online, when there are any ({@code stale=2 offline=1}). */
    private static String silent(StatusReport r) {
        if (r.devices() == null || r.devices().byHealth() == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        r.devices().byHealth().forEach((health, n) -> {
            if (n > 0 && !"online".equals(health)) {
                out.append("  ").append(health).append('=').append(n);
            }
        });
        return out.toString();
    }

    /** A manifest replacement still being swept, when there is one ({@code manifest 2 sweep 3/40 re-attested}). */
    private static String sweep(StatusReport r) {
        ManifestStatus m = r.manifest();
        ManifestStatus.Sweep s = m == null ? null : m.sweep();
        if (s == null || s.complete()) {
            return "";
        }
        return "  manifest " + s.toSequence() + " sweep " + s.reattestSettled() + "/" + s.reattestIssued()
                + " re-attested";
    }

    /** The one-line summary `status` prints. */
    public static String line(StatusReport r, long msgsPerSecond) {
        String sinks = r.sinks().stream()
                .map(s -> s.name() + (s.connected() ? "" : "(down)") + (s.stalled() ? "(stalled)" : "") + " backlog="
                        + s.backlog()
                        + (s.backlog() > 0
                                ? " drain=" + Math.round(s.drainRatePerSecond()) + "/s eta="
                                        + (s.etaSeconds() < 0 ? "?" : s.etaSeconds() + "s")
                                : ""))
                .collect(Collectors.joining("  "));
        return "devices=" + r.connectedClients() + "  msgs/s=" + msgsPerSecond + "  accepted=" + r.accepted()
                + "  rejected=" + r.rejected() + silent(r) + sweep(r) + "  " + sinks
                + (r.ready() ? "" : "  NOT READY: " + String.join("; ", r.problems()))
                + (r.warnings() == null || r.warnings().isEmpty()
                        ? ""
                        : "  WARNING: " + String.join("; ", r.warnings()));
    }
}
