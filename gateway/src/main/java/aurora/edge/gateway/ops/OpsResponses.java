package aurora.edge.gateway.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/** How the ops port answers in JSON, and how it refuses an operator request. */
final class OpsResponses {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpsResponses() {}

    static void json(HttpExchange ex, int code, Object body) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ops response failed to serialise", e);
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if ("HEAD".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(code, -1);
            return;
        }
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The refusal's status and message; the connection is closed after it, so an unread body is never waited for. */
    static void refuse(HttpExchange ex, OperatorGuard.Refusal refusal) throws IOException {
        if (refusal == OperatorGuard.Refusal.NO_TOKEN) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"aurora-edge-ops\"");
        }
        ex.getResponseHeaders().set("Connection", "close");
        json(ex, refusal.status, Map.of("error", refusal.message));
    }
}
