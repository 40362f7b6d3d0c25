package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11, hole 9: operator writes on the ops port. Loopback alone is not enough (any local user,
 * or a browser page on the box through DNS rebinding, reaches loopback): a write needs the ops
 * token, a Host that names this box and the operator's name, which lands in the audit event; and a
 * client that sends half a request cannot stop the ops server. Real gateway, Redis, NATS,
 * {@code mosquitto_pub} and raw sockets.
 */
class OperatorWritesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final GatewayStack stack = GatewayStack.with(Map.of());

    private TestGateway gw() {
        return stack.gateway();
    }

    private int port() {
        return gw().httpPort();
    }

    private String token() throws IOException {
        return Files.readString(stack.dataDir().resolve("ops.token")).trim();
    }

    private void register(String id) {
        assertThat(MosquittoClients.publish(
                                gw().mqttPort(),
                                id,
                                gw().passwordFor(id),
                                "aurora/sensors/" + id + "/telemetry",
                                "{\"seq\":1,\"boot\":1}",
                                1)
                        .exitCode())
                .isZero();
        await().atMost(WAIT).until(() -> gw().gateway().devices().find(id).isPresent());
    }

    private boolean quarantined(String id) {
        return gw().gateway().devices().find(id).orElseThrow().quarantined();
    }

    @Test
    void aWriteNeedsTheTokenAHostNamingThisBoxAndAnOperatorAndTheOperatorIsInTheAuditEvent() throws Exception {
        register("opw-1");
        Path tokenFile = stack.dataDir().resolve("ops.token");
        assertThat(Files.getPosixFilePermissions(tokenFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String path = "/devices/opw-1/quarantine";
        String host = "127.0.0.1:" + port();

        Raw noToken = raw(post(path, host, null, "alice", ""));
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.head()).containsIgnoringCase("WWW-Authenticate: Bearer");
        assertThat(raw(post(path, host, "Bearer " + "x".repeat(43), "alice", ""))
                        .status())
                .isEqualTo(403);
        assertThat(raw(post(path, host, "Bearer " + token().substring(1), "alice", ""))
                        .status())
                .isEqualTo(403);
        // A page from an attacker's name that re-resolves to 127.0.0.1 still sends its own name as Host.
        assertThat(raw(post(path, "rebind.attacker.example:" + port(), "Bearer " + token(), "alice", ""))
                        .status())
                .isEqualTo(421);
        assertThat(raw(post(path, null, "Bearer " + token(), "alice", "")).status())
                .isEqualTo(421);
        assertThat(raw("GET /devices HTTP/1.1\r\nHost: rebind.attacker.example\r\nConnection: close\r\n\r\n")
                        .status())
                .isEqualTo(421);
        assertThat(raw(post(path, host, "Bearer " + token(), null, "")).status())
                .isEqualTo(400);
        assertThat(raw(post(path, host, "Bearer " + token(), "alice<script>", ""))
                        .status())
                .isEqualTo(400);
        assertThat(raw(post(path, host, "Bearer " + token(), "alice", "x".repeat(2048)))
                        .status())
                .isEqualTo(413);
        assertThat(quarantined("opw-1")).isFalse();
        assertThat(gw().metric("aurora_ops_refused")).isEqualTo(9);

        Raw done = raw(post(path, "localhost:" + port(), "Bearer " + token(), "alice", ""));
        assertThat(done.status()).as(done.head()).isEqualTo(200);
        assertThat(quarantined("opw-1")).isTrue();
        await().atMost(WAIT)
                .until(() ->
                        redisAudits("opw-1", "DEVICE_QUARANTINED_BY_OPERATOR").size() == 1);
        assertThat(redisAudits("opw-1", "DEVICE_QUARANTINED_BY_OPERATOR")
                        .get(0)
                        .path("fields")
                        .path("operator")
                        .asText())
                .isEqualTo("alice");
        assertThat(localAudits("DEVICE_QUARANTINED_BY_OPERATOR"))
                .singleElement()
                .satisfies(e ->
                        assertThat(e.path("fields").path("operator").asText()).isEqualTo("alice"));
    }

    @Test
    void aClientThatSendsNothingOrHalfARequestStopsNoOneAndIsCutOffAfterTheRequestTimeout() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            slow.add(connect(""));
            slow.add(connect("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: "));
            slow.add(
                    connect(
                            "POST /devices/opw-9/release HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n0123456789"));
            // With the JDK's default single-threaded executor, this waited for ever behind the half request.
            assertThat(healthz(Duration.ofSeconds(3))).isEqualTo(200);

            // More slow clients than workers: they are cut off after the request timeout and /healthz answers again.
            for (int i = 0; i < 6; i++) {
                slow.add(connect("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            for (Socket s : slow) {
                assertThat(closedByServer(s, deadline))
                        .as("slow client closed by the server")
                        .isTrue();
            }
            assertThat(healthz(Duration.ofSeconds(3))).isEqualTo(200);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void theDevicesCommandsReadTheTokenThroughTheConfigurationAndNameTheOperator() throws Exception {
        register("opw-2");
        Path config = Files.writeString(
                stack.dataDir().resolve("cli.yaml"),
                "data:\n  dir: " + stack.dataDir() + "\nhttp:\n  port: " + port() + "\n");

        Cli quarantined = cli("devices", "quarantine", "opw-2", "--config", config.toString(), "--operator", "bob");
        assertThat(quarantined.exitCode()).as(quarantined.err()).isZero();
        assertThat(quarantined.out()).startsWith("opw-2: quarantined");
        await().atMost(WAIT)
                .until(() ->
                        redisAudits("opw-2", "DEVICE_QUARANTINED_BY_OPERATOR").size() == 1);
        assertThat(redisAudits("opw-2", "DEVICE_QUARANTINED_BY_OPERATOR")
                        .get(0)
                        .path("fields")
                        .path("operator")
                        .asText())
                .isEqualTo("bob");

        Path wrong = Files.writeString(stack.dataDir().resolve("wrong.token"), "y".repeat(43) + "\n");
        Cli refused = cli(
                "devices", "release", "opw-2", "--url", "http://127.0.0.1:" + port(), "--token-file", wrong.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("release opw-2 failed (403): the ops token is wrong");
        assertThat(quarantined("opw-2")).isTrue();

        Cli unreadable = cli(
                "devices",
                "release",
                "opw-2",
                "--url",
                "http://127.0.0.1:" + port(),
                "--token-file",
                stack.dataDir().resolve("missing.token").toString());
        assertThat(unreadable.exitCode()).isEqualTo(1);
        assertThat(unreadable.err()).contains("cannot read the ops token");

        // The default operator is the OS user (or $AURORA_OPERATOR, which the packaged wrapper sets to whoever ran it).
        Cli released = cli("devices", "release", "opw-2", "--config", config.toString());
        assertThat(released.exitCode()).as(released.err()).isZero();
        assertThat(quarantined("opw-2")).isFalse();
        String expected = System.getenv().getOrDefault("AURORA_OPERATOR", System.getProperty("user.name"));
        await().atMost(WAIT).until(() -> redisAudits("opw-2", "DEVICE_RELEASED").size() == 1);
        assertThat(redisAudits("opw-2", "DEVICE_RELEASED")
                        .get(0)
                        .path("fields")
                        .path("operator")
                        .asText())
                .isEqualTo(expected);
    }

    // ---- helpers ----

    private int healthz(Duration timeout) throws Exception {
        return HttpClient.newBuilder()
                .connectTimeout(timeout)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/healthz"))
                                .timeout(timeout)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private Socket connect(String partial) throws IOException {
        Socket s = new Socket(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port());
        s.getOutputStream().write(partial.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** Whether the server closed this connection (end of stream or reset) before the deadline. */
    private static boolean closedByServer(Socket s, long deadlineNanos) throws IOException {
        InputStream in = s.getInputStream();
        while (System.nanoTime() < deadlineNanos) {
            s.setSoTimeout(500);
            try {
                if (in.read() < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // still open; try again until the deadline
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }

    private static String post(String path, String host, String authorization, String operator, String body) {
        StringBuilder r = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\n");
        if (host != null) r.append("Host: ").append(host).append("\r\n");
        if (authorization != null)
            r.append("Authorization: ").append(authorization).append("\r\n");
        if (operator != null) r.append("X-Aurora-Operator: ").append(operator).append("\r\n");
        r.append("Content-Length: ")
                .append(body.length())
                .append("\r\nConnection: close\r\n\r\n")
                .append(body);
        return r.toString();
    }

    private record Raw(int status, String head) {}

    /** One request written as is on a fresh connection (a client nobody here wrote cannot set Host freely). */
    private Raw raw(String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port())) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            String statusLine = response.lines().findFirst().orElse("");
            return new Raw(Integer.parseInt(statusLine.split(" ")[1]), response);
        }
    }

    private List<JsonNode> redisAudits(String deviceId, String code) {
        List<JsonNode> out = new ArrayList<>();
        for (var e : stack.redisProbe().entries("aurora:audit")) {
            JsonNode n = read(e.fields().get("data"));
            if (deviceId.equals(n.path("device_id").asText())
                    && code.equals(n.path("fields").path("code").asText())) {
                out.add(n);
            }
        }
        return out;
    }

    /** The local audit trail ({@code audit_log} in the gateway's database), read as an operator on the box would. */
    private List<JsonNode> localAudits(String code) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(
                        "jdbc:sqlite:" + stack.dataDir().resolve("aurora-edge.db"));
                PreparedStatement ps = c.prepareStatement("SELECT event FROM audit_log WHERE code = ? ORDER BY id")) {
            ps.setString(1, code);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(JSON.readTree(rs.getBytes(1)));
                }
            }
        }
        return out;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Cli(int exitCode, String out, String err) {}

    private static Cli cli(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.commandLine().execute(args);
            return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }
}
