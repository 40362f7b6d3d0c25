package aurora.edge.gateway.ops;

import aurora.edge.gateway.console.Console;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's pages at {@code /} and its own read-only JSON ({@code /pipeline}, {@code /config}).
 * Like every read, only for a {@code Host} that names this box (DNS rebinding). The pages run no
 * script but their own ({@code Content-Security-Policy}), may not be framed, and reach only this
 * origin; any other path under {@code /} is a 404.
 */
final class ConsoleEndpoints {
    private static final Logger log = LoggerFactory.getLogger(ConsoleEndpoints.class);
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Console console;
    private final OperatorGuard guard;

    ConsoleEndpoints(Console console, OperatorGuard guard) {
        this.console = console;
        this.guard = guard;
    }

    void page(HttpExchange ex) throws IOException {
        try (ex) {
            if (!guard.admitRead(ex)) {
                OpsResponses.refuse(ex, OperatorGuard.Refusal.WRONG_HOST);
                return;
            }
            Optional<Console.Asset> asset = console.asset(ex.getRequestURI().getPath());
            if (asset.isEmpty()) {
                OpsResponses.json(ex, 404, Map.of("error", "no such path"));
                return;
            }
            if (!isRead(ex)) {
                OpsResponses.json(ex, 405, Map.of("error", "GET only"));
                return;
            }
            var headers = ex.getResponseHeaders();
            headers.set("Content-Type", asset.get().contentType());
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            headers.set("X-Frame-Options", "DENY");
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "no-referrer");
            headers.set("Cache-Control", "no-cache");
            byte[] bytes = asset.get().bytes();
            if ("HEAD".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(200, -1);
                return;
            }
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (RuntimeException e) {
            log.warn(
                    "console request failed path={} error={}",
                    ex.getRequestURI().getPath().length() > 128
                            ? "(long)"
                            : ex.getRequestURI().getPath(),
                    e.toString());
        }
    }

    /** Serves {@code body} at exactly {@code path} (a context also matches longer paths). */
    void json(HttpExchange ex, String path, Supplier<Object> body) throws IOException {
        try (ex) {
            if (!guard.admitRead(ex)) {
                OpsResponses.refuse(ex, OperatorGuard.Refusal.WRONG_HOST);
                return;
            }
            if (!ex.getRequestURI().getPath().equals(path)) {
                OpsResponses.json(ex, 404, Map.of("error", "no such path"));
                return;
            }
            if (!isRead(ex)) {
                OpsResponses.json(ex, 405, Map.of("error", "GET only"));
                return;
            }
            OpsResponses.json(ex, 200, body.get());
        } catch (RuntimeException e) {
            log.warn(
                    "console request failed path={} error={}",
                    ex.getRequestURI().getPath(),
                    e.toString());
        }
    }

    private static boolean isRead(HttpExchange ex) {
        return "GET".equals(ex.getRequestMethod()) || "HEAD".equals(ex.getRequestMethod());
    }
}
