package aurora.edge.gateway.cli;

import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.ops.OpsToken;
import aurora.edge.gateway.ops.StatusReport;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Talks to a running gateway's ops port: its {@code /status}, and operator commands on devices. */
final class OpsClient {
    private static final ObjectMapper JSON =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration OPERATOR_TIMEOUT = Duration.ofSeconds(15);

    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    OpsClient(URI base) {
        this.base = base;
    }

    /** The ops port of the gateway configured by {@code http}, reached over loopback when it listens on every address. */
    static OpsClient of(GatewayConfig.Http http) {
        String host = http.host().equals("0.0.0.0") || http.host().equals("::") ? "127.0.0.1" : http.host();
        return new OpsClient(
                URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + http.port()));
    }

    /**
     * Why {@code url} did not answer, in words for the operator. The JDK's HttpClient reports a
     * refused connection (no gateway listening) as a ConnectException without a message anywhere in
     * its causes, which printed as "null".
     */
    static String unreachable(URI url, IOException e) {
        String why = null;
        for (Throwable t = e; t != null && why == null; t = t.getCause()) {
            why = t.getMessage() == null || t.getMessage().isBlank() ? null : t.getMessage();
        }
        if (why == null) {
            why = e instanceof ConnectException
                    ? "connection refused"
                    : e.getClass().getSimpleName();
        }
        return "gateway not reachable at " + url + ": " + why + " (is it running, and is that its ops address?)";
    }

    URI base() {
        return base;
    }

    String statusJson() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(base.resolve("/status")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    StatusReport status() throws IOException, InterruptedException {
        return JSON.readValue(statusJson(), StatusReport.class);
    }

    /**
     * Asks the gateway to act on one device ({@code POST /devices/{id}/{action}}) with the ops token,
     * naming the operator for the audit trail. An action may wait for the attestation thread, hence
     * the longer timeout.
     */
    HttpResponse<String> operator(String deviceId, String action, OpsToken token, String operator)
            throws IOException, InterruptedException {
        return post("/devices/" + deviceId + "/" + action, token, operator);
    }

    /** An operator write: {@code POST path}, no body, the token as a bearer and the operator's name. */
    HttpResponse<String> post(String path, OpsToken token, String operator) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(OPERATOR_TIMEOUT)
                .header("Authorization", token.bearer())
                .header("X-Aurora-Operator", operator)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET path} as text (a read of the registry or the IOC table). */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
