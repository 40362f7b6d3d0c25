package aurora.edge.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/**
 * The site device key file: one line of text holding the standard base64 of the key bytes (the gateway creates
 * it with 32 random bytes). Surrounding whitespace is ignored.
 */
public final class SiteKeyFile {
    /** Shorter keys are refused: HMAC-SHA256 with fewer than 128 bits of key is not a credential. */
    public static final int MIN_KEY_BYTES = 16;

    private SiteKeyFile() {}

    /**
     * Reads the key bytes.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if its content is not standard base64 of at least {@value #MIN_KEY_BYTES}
     *     bytes; the message names the file but never shows its content
     */
    public static byte[] read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("site key file " + file + " is empty");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("site key file " + file + " is not one line of standard base64", e);
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("site key file " + file + " holds " + key.length + " bytes, at least "
                    + MIN_KEY_BYTES + " expected");
        }
        return key;
    }

    /** Writes {@code key} in the file format, readable by the owner only where the file system allows it. */
    public static void write(Path file, byte[] key) throws IOException {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "key must have at least " + MIN_KEY_BYTES + " bytes, found: " + key.length);
        }
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(
                file,
                Base64.getEncoder().encodeToString(key) + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.TRUNCATE_EXISTING);
    }
}
