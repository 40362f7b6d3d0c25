package aurora.edge.gateway.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Firefox ESR driven over WebDriver BiDi, the protocol its own remote agent speaks
 * on {@code --remote-debugging-port}: no geckodriver (Debian does not package one) and nothing
 * downloaded. Just what the console's Firefox test needs: navigate, evaluate an expression, set the
 * viewport, take a screenshot.
 */
final class FirefoxBidi implements AutoCloseable {
    static final Path FIREFOX = Path.of("/usr/bin/firefox-esr");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ANSWER = Duration.ofSeconds(30);

    private final Process firefox;
    private final Path profile;
    private final WebSocket socket;
    private final BlockingQueue<JsonNode> answers;
    private final String context;
    private int nextId = 1;

    private FirefoxBidi(Process firefox, Path profile, WebSocket socket, BlockingQueue<JsonNode> answers)
            throws IOException, InterruptedException {
        this.firefox = firefox;
        this.profile = profile;
        this.socket = socket;
        this.answers = answers;
        send("session.new", JSON.createObjectNode().set("capabilities", JSON.createObjectNode()));
        this.context = send("browsingContext.getTree", JSON.createObjectNode())
                .path("contexts")
                .get(0)
                .path("context")
                .asText();
    }

    /**
     * Starts Firefox with its remote agent on a port it picks itself ({@code 0}: no fixed port), read
     * from the {@code WebDriverBiDiServer.json} it writes into its profile.
     */
    static FirefoxBidi start() throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("aurora-firefox-");
        Process firefox = new ProcessBuilder(
                        FIREFOX.toString(),
                        "--headless",
                        "--no-remote",
                        "--profile",
                        profile.toString(),
                        "--remote-debugging-port",
                        "0",
                        "about:blank")
                .redirectErrorStream(true)
                .redirectOutput(
                        profile.resolveSibling(profile.getFileName() + ".log").toFile())
                .start();
        BlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
        Path server = profile.resolve("WebDriverBiDiServer.json");
        long deadline = System.nanoTime() + ANSWER.toNanos();
        while (true) {
            try {
                int port = JSON.readTree(server.toFile()).path("ws_port").asInt();
                WebSocket ws = HttpClient.newHttpClient()
                        .newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/session"), new Listener(answers))
                        .get(5, TimeUnit.SECONDS);
                return new FirefoxBidi(firefox, profile, ws, answers);
            } catch (Exception e) {
                if (System.nanoTime() > deadline || !firefox.isAlive()) {
                    firefox.destroyForcibly();
                    throw new IOException("firefox-esr's remote agent did not answer (" + server + ")", e);
                }
                Thread.sleep(200);
            }
        }
    }

    /** Loads {@code url} and waits for its load event. */
    void navigate(String url) throws IOException, InterruptedException {
        ObjectNode p =
                JSON.createObjectNode().put("context", context).put("url", url).put("wait", "complete");
        send("browsingContext.navigate", p);
    }

    /** The value of a JavaScript expression in the page (a string, number or boolean), as text. */
    String eval(String expression) throws IOException, InterruptedException {
        ObjectNode p = JSON.createObjectNode().put("expression", expression).put("awaitPromise", false);
        p.putObject("target").put("context", context);
        JsonNode r = send("script.evaluate", p);
        if (!"success".equals(r.path("type").asText())) {
            throw new IOException("script failed: " + r);
        }
        return r.path("result").path("value").asText();
    }

    void viewport(int width, int height) throws IOException, InterruptedException {
        ObjectNode p = JSON.createObjectNode().put("context", context);
        p.putObject("viewport").put("width", width).put("height", height);
        send("browsingContext.setViewport", p);
    }

    void screenshot(Path file) throws IOException, InterruptedException {
        ObjectNode p = JSON.createObjectNode().put("context", context).put("origin", "document");
        String data = send("browsingContext.captureScreenshot", p).path("data").asText();
        Files.write(file, Base64.getDecoder().decode(data));
    }

    private JsonNode send(String method, ObjectNode params) throws IOException, InterruptedException {
        int id = nextId++;
        ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
        command.set("params", params);
        socket.sendText(JSON.writeValueAsString(command), true).join();
        long deadline = System.nanoTime() + ANSWER.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode m = answers.poll(1, TimeUnit.SECONDS);
            if (m != null && m.path("id").asInt(-1) == id) {
                if ("error".equals(m.path("type").asText())) {
                    throw new IOException(method + " failed: " + m.path("error").asText() + " "
                            + m.path("message").asText());
                }
                return m.path("result");
            }
        }
        throw new IOException(method + ": no answer from firefox-esr in " + ANSWER);
    }

    @Override
    public void close() throws IOException {
        socket.abort();
        firefox.destroy();
        try {
            if (!firefox.waitFor(10, TimeUnit.SECONDS)) {
                firefox.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            firefox.destroyForcibly();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** Collects every message (answers and events); a message may come in several frames. */
    private static final class Listener implements WebSocket.Listener {
        private final BlockingQueue<JsonNode> answers;
        private final StringBuilder partial = new StringBuilder();

        Listener(BlockingQueue<JsonNode> answers) {
            this.answers = answers;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    answers.add(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}
