package aurora.edge.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An operator's write on the ops port, as {@code devices ACTION ID} sends it: a POST from loopback
 * with the ops token (read from the token file) and the operator's name, no body.
 */
public final class OpsRequests {
    /** Generous: the gateway shares two cores with the servers and a fleet. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private OpsRequests() {}

    /**
     * @param httpPort the gateway's ops port
     * @param tokenFile its ops token file ({@code ops.token} in the data directory unless configured)
     * @param path the request path and query, e.g. {@code /devices/c1/bind?relay=r1}
     * @param operator the {@code X-Aurora-Operator} header
     */
    public static HttpResponse<String> post(int httpPort, Path tokenFile, String path, String operator)
            throws IOException, InterruptedException {
        String token = Files.readString(tokenFile).trim();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Bearer " + token)
                .header("X-Aurora-Operator", operator)
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(TIMEOUT)
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
