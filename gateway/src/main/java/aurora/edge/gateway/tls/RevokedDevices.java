package aurora.edge.gateway.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The local list of revoked devices ({@code <data.dir>/tls/revoked-devices}): one device id a
 * line, {@code #} starts a comment. Written by {@code devices revoke ID}, watched by the TLS
 * listener like its certificate files. It works whether or not the gateway owns the device CA:
 * a certificate naming a listed device is refused at the handshake, and a listed device is refused
 * on every listener.
 */
public final class RevokedDevices {
    private RevokedDevices() {}

    public static Path file(Path dataDir) {
        return dataDir.resolve("tls").resolve("revoked-devices");
    }

    static Set<String> read(Path file) throws IOException {
        Set<String> ids = new LinkedHashSet<>();
        if (file == null || !Files.exists(file)) {
            return ids;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String id = line.replaceFirst("#.*", "").trim();
            if (!id.isEmpty()) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Adds {@code deviceId} (written to a temporary file and moved into place, so the gateway never reads half of it). */
    public static boolean add(Path file, String deviceId) throws IOException {
        Set<String> ids = read(file);
        if (!ids.add(deviceId)) {
            return false;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, String.join("\n", ids) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }
}
