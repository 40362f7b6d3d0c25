package aurora.edge.gateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The console's static files, read once from the jar ({@code aurora/edge/gateway/console/}): plain
 * HTML, CSS and JavaScript, no build step, nothing fetched from elsewhere (the box may be offline).
 */
final class ConsoleAssets {
    private static final String ROOT = "/aurora/edge/gateway/console/";
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/console.css", "console.css",
            "/console.js", "console.js");

    private final Map<String, Console.Asset> byPath;

    ConsoleAssets() {
        Map<String, Console.Asset> loaded = new java.util.HashMap<>();
        FILES.forEach((path, file) -> loaded.put(path, new Console.Asset(type(file), read(file))));
        byPath = Map.copyOf(loaded);
    }

    Optional<Console.Asset> find(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    private static String type(String file) {
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        return file.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
    }

    private static byte[] read(String file) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream(ROOT + file)) {
            if (in == null) {
                throw new IllegalStateException("console file " + ROOT + file + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading console file " + file, e);
        }
    }
}
