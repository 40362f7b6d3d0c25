package aurora.edge.gateway.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The site device key: the secret every device password is derived from. Stored as one line of
 * base64 in a file only the service may read (mode 0600), created on first start.
 */
public final class SiteKey {
    static final int KEY_BYTES = 32;

    private final byte[] key;

    private SiteKey(byte[] key) {
        this.key = key;
    }

    /** Reads the key file, creating it with a fresh random key (mode 0600) if it does not exist. */
    public static SiteKey loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            create(file);
        }
        return load(file);
    }

    public static SiteKey load(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("site key file " + file + " is not base64");
        }
        if (key.length < KEY_BYTES) {
            throw new IOException("site key file " + file + " holds " + key.length + " bytes, at least " + KEY_BYTES
                    + " are required");
        }
        return new SiteKey(key);
    }

    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            return; // another process created it first; use theirs
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
    }

    /** A copy of the raw key bytes (for credential derivation only). */
    byte[] bytes() {
        return key.clone();
    }
}
