package aurora.edge.gateway.ops;

import aurora.edge.gateway.attest.AttestationService;
import aurora.edge.gateway.attest.IocEnforcement;
import aurora.edge.gateway.audit.AuditLog;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.console.Console;
import aurora.edge.gateway.registry.DeviceRegistry;
import aurora.edge.gateway.soc.SocCommands;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops port (loopback by default): {@code /healthz} (the process is alive),
 * {@code /readyz} (200 when ready, 503 with the reasons otherwise), {@code /metrics} (Prometheus)
 * {@code /status} (JSON for the {@code status} command and the demo), {@code /devices} and
 * {@code /devices/{id}} (the registry, read-only), {@code /devices/{id}/commands} (its SOC commands, read-only). The only writes are the operator commands
 * {@code POST /devices/{id}/approve|quarantine|release|attest} and {@code POST /iocs/{id}/confirm}
 * ({@code GET /iocs} lists the federation indicators), accepted from this box alone with the ops
 * token (see {@link OperatorGuard}). The device trust console is served at {@code /} (static pages,
 * see {@link ConsoleEndpoints}) with the JSON only it draws: {@code /pipeline} (15 minutes of
 * samples) and {@code /config} (the effective configuration, secrets masked).
 *
 * <p>Slow clients are bounded. The JDK server reads a request's line, headers and body on a worker
 * thread with blocking reads, so its default single-threaded executor let one client that sends
 * half a request stop every other request, {@code /healthz} included. Requests are served by a
 * small bounded pool ({@link #WORKERS} threads, {@link #QUEUE} waiting; beyond that a connection
 * is closed at once), and the server closes a connection whose request (body included) is not in
 * after {@link #REQUEST_TIMEOUT_SECONDS} or whose response is not taken within
 * {@link #RESPONSE_TIMEOUT_SECONDS}.
 */
public final class HttpEndpoints implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpEndpoints.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    static final int WORKERS = 4;
    static final int QUEUE = 32;
    static final long REQUEST_TIMEOUT_SECONDS = 5;
    /** Longer than an operator command may wait for the attestation thread (10 s). */
    static final long RESPONSE_TIMEOUT_SECONDS = 30;

    static {
        // The JDK server reads these once, when its implementation class loads: set them before the first server is
        // made, unless the operator set them on the command line (-D...). They apply to this JVM's only HTTP server.
        setIfAbsent("sun.net.httpserver.maxReqTime", REQUEST_TIMEOUT_SECONDS);
        setIfAbsent("sun.net.httpserver.maxRspTime", RESPONSE_TIMEOUT_SECONDS);
        setIfAbsent("sun.net.httpserver.maxReqHeaders", 64);
    }

    private final HttpServer server;
    private final ThreadPoolExecutor executor;

    public HttpEndpoints(
            GatewayConfig.Http config,
            OpsToken token,
            GatewayMetrics metrics,
            Supplier<StatusReport> status,
            DeviceRegistry devices,
            AttestationService attestation,
            IocEnforcement iocs,
            Console console,
            SocCommands commands,
            AuditLog audit)
            throws IOException {
        AtomicInteger n = new AtomicInteger();
        executor = new ThreadPoolExecutor(
                WORKERS,
                WORKERS,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE),
                r -> new Thread(r, "ops-http-" + n.incrementAndGet()),
                new ThreadPoolExecutor.AbortPolicy());
        server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 16);
        server.setExecutor(executor);
        OperatorGuard guard = new OperatorGuard(token, config.host(), config.consoleWrites(), metrics.registry());
        server.createContext("/healthz", ex -> respond(ex, 200, "text/plain", "ok\n"));
        server.createContext("/readyz", ex -> {
            StatusReport report = status.get();
            StringBuilder body =
                    new StringBuilder(report.ready() ? "ready\n" : String.join("\n", report.problems()) + "\n");
            // Warnings are shown but do not make the gateway unready: it keeps forwarding.
            report.warnings().forEach(w -> body.append("warning: ").append(w).append('\n'));
            respond(ex, report.ready() ? 200 : 503, "text/plain", body.toString());
        });
        server.createContext(
                "/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        server.createContext("/status", ex -> respond(ex, 200, "application/json", toJson(status.get())));
        DeviceEndpoints deviceEndpoints = new DeviceEndpoints(devices, attestation, guard, console, commands, audit);
        server.createContext("/devices", deviceEndpoints::handle);
        ConsoleEndpoints consoleEndpoints = new ConsoleEndpoints(console, guard);
        server.createContext("/", consoleEndpoints::page);
        server.createContext("/pipeline", ex -> consoleEndpoints.json(ex, "/pipeline", console::pipeline));
        server.createContext("/config", ex -> consoleEndpoints.json(ex, "/config", console::config));
        server.createContext("/iocs", new IocEndpoints(iocs, guard)::handle);
        server.start();
        log.info(
                "ops http listening host={} port={} workers={} request_timeout_s={}",
                config.host(),
                port(),
                WORKERS,
                Long.getLong("sun.net.httpserver.maxReqTime"));
    }

    private static void setIfAbsent(String property, long value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Long.toString(value));
        }
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
