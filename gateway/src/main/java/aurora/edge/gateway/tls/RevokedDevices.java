package aurora.edge.gateway.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local list of revoked devices ({@code <data.dir>/tls/revoked-devices}): one device id a
 * line, {@code #} starts a comment ({@code devices revoke ID} writes {@code # revoked by NAME at
 * TIME} after the id, and the gateway names that operator in its audit event). Watched by the TLS
 * listener like its certificate files. It works whether or not the gateway owns the device CA:
 * a certificate naming a listed device is refused at the handshake, and a listed device is refused
 * on every listener.
 */
public final class RevokedDevices {
    private RevokedDevices() {}

    public static Path file(Path dataDir) {
        return dataDir.resolve("tls").resolve("revoked-devices");
    }

    /** Who revoked a device when its line does not say (a hand-edited list). */
    static final String UNKNOWN_OPERATOR = "unknown";

    private static final Pattern REVOKED_BY = Pattern.compile("#\\s*revoked by ([A-Za-z0-9._@-]{1,64})");

    /** The listed device ids, each with the operator its line names ({@link #UNKNOWN_OPERATOR} when none). */
    static Map<String, String> read(Path file) throws IOException {
        Map<String, String> revokers = new LinkedHashMap<>();
        if (file == null || !Files.exists(file)) {
            return revokers;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int comment = line.indexOf('#');
            String id = (comment < 0 ? line : line.substring(0, comment)).trim();
            if (!id.isEmpty()) {
                Matcher by = REVOKED_BY.matcher(comment < 0 ? "" : line.substring(comment));
                revokers.putIfAbsent(id, by.find() ? by.group(1) : UNKNOWN_OPERATOR);
            }
        }
        return revokers;
    }

    /**
     * Adds {@code deviceId} with who revoked it and when, keeping every other line as it was
     * (written to a temporary file and moved into place, so the gateway never reads half of it).
     */
    public static boolean add(Path file, String deviceId, String operator, Instant at) throws IOException {
        if (read(file).containsKey(deviceId)) {
            return false;
        }
        List<String> lines = Files.exists(file)
                ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8))
                : new ArrayList<>();
        lines.add(deviceId + " # revoked by " + operator + " at " + at);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }
}
