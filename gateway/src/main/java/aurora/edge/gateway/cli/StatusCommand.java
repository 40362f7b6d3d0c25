package aurora.edge.gateway.cli;

import aurora.edge.gateway.ops.StatusReport;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code status}: asks a running gateway's ops port and prints one line (or keeps printing with --watch). */
@Command(name = "status", description = "Show a running gateway's devices, throughput and backlog per sink.")
public final class StatusCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Option(names = "--url", defaultValue = "http://127.0.0.1:9180", description = "the gateway's ops URL (default: ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--watch", description = "print a status line every second until interrupted")
    boolean watch;

    @Option(names = "--json", description = "print the raw JSON report")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long lastAccepted = -1;
        do {
            try {
                String body = http.send(HttpRequest.newBuilder(url.resolve("/status")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (json) {
                    System.out.println(body);
                } else {
                    StatusReport r = JSON.readValue(body, StatusReport.class);
                    long rate = lastAccepted < 0 ? 0 : r.accepted() - lastAccepted;
                    lastAccepted = r.accepted();
                    System.out.println(line(r, rate));
                }
            } catch (IOException e) {
                System.err.println("gateway not reachable at " + url + ": " + e.getMessage());
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

    /** The one-line summary `status` prints. */
    public static String line(StatusReport r, long msgsPerSecond) {
        String sinks = r.sinks().stream()
                .map(s -> s.name() + (s.connected() ? "" : "(down)") + (s.stalled() ? "(stalled)" : "") + " backlog=" + s.backlog()
                        + (s.backlog() > 0 ? " drain=" + Math.round(s.drainRatePerSecond()) + "/s eta=" + (s.etaSeconds() < 0 ? "?" : s.etaSeconds() + "s") : ""))
                .collect(Collectors.joining("  "));
        return "devices=" + r.connectedClients() + "  msgs/s=" + msgsPerSecond + "  accepted=" + r.accepted()
                + "  rejected=" + r.rejected() + "  " + sinks + (r.ready() ? "" : "  NOT READY: " + String.join("; ", r.problems()));
    }
}
