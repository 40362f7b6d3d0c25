package aurora.edge.gateway.ops;

import aurora.edge.gateway.attest.AttestationService;
import aurora.edge.gateway.registry.DeviceRegistry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops port (loopback by default): {@code /healthz} (the process is alive),
 * {@code /readyz} (200 when ready, 503 with the reasons otherwise), {@code /metrics} (Prometheus)
 * {@code /status} (JSON for the {@code status} command and the demo), {@code /devices} and
 * {@code /devices/{id}} (the registry, read-only). The only writes are the operator commands
 * {@code POST /devices/{id}/approve|quarantine|release|attest}, accepted from this box alone
 * (see {@link DeviceEndpoints}).
 */
public final class HttpEndpoints implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpEndpoints.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "ops-http"));

    public HttpEndpoints(String host, int port, GatewayMetrics metrics, Supplier<StatusReport> status, DeviceRegistry devices,
                         AttestationService attestation) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.setExecutor(executor);
        server.createContext("/healthz", ex -> respond(ex, 200, "text/plain", "ok\n"));
        server.createContext("/readyz", ex -> {
            StatusReport report = status.get();
            StringBuilder body = new StringBuilder(report.ready() ? "ready\n" : String.join("\n", report.problems()) + "\n");
            // Warnings are shown but do not make the gateway unready: it keeps forwarding.
            report.warnings().forEach(w -> body.append("warning: ").append(w).append('\n'));
            respond(ex, report.ready() ? 200 : 503, "text/plain", body.toString());
        });
        server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        server.createContext("/status", ex -> respond(ex, 200, "application/json", toJson(status.get())));
        DeviceEndpoints deviceEndpoints = new DeviceEndpoints(devices, attestation);
        server.createContext("/devices", deviceEndpoints::handle);
        server.start();
        log.info("ops http listening host={} port={}", host, port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int code, String type, String body) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (RuntimeException e) {
            log.warn("ops request failed path={} error={}", ex.getRequestURI().getPath(), e.toString());
        }
    }

    private static String toJson(StatusReport report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("status report failed to serialise", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
