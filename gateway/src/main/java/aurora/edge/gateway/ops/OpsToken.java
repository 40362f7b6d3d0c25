package aurora.edge.gateway.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The ops token ({@code ops.token_file}): a random secret that every operator write on the ops
 * port must carry as {@code Authorization: Bearer <token>}. Being loopback is not enough: any
 * local user, and a browser page on the box reached through DNS rebinding, can talk to loopback;
 * only the service user (and root) can read this file (mode 0600, created at first start).
 */
public final class OpsToken {
    static final int TOKEN_BYTES = 32;
    private static final int MIN_TEXT_CHARS = 32;

    private final byte[] digest;
    private final String text;

    private OpsToken(String text) {
        this.text = text;
        this.digest = sha256(text);
    }

    /** Reads the token file, creating it with a fresh random token (mode 0600) if it does not exist. */
    public static OpsToken loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            create(file);
        }
        return load(file);
    }

    /** Reads the token file, as the command line does; fails with the path named when it is unreadable or too short. */
    public static OpsToken load(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (text.length() < MIN_TEXT_CHARS || !text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IOException("ops token file " + file + " must hold one line of at least " + MIN_TEXT_CHARS
                    + " printable characters");
        }
        return new OpsToken(text);
    }

    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        byte[] random = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(random);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            return; // another process created it first; use theirs
        }
        Files.writeString(
                file, Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n", StandardCharsets.US_ASCII);
    }

    /**
     * Whether {@code presented} is the token. Both sides are hashed first and compared with
     * {@link MessageDigest#isEqual}, so the time taken says nothing about how much of a guess was right,
     * nor about the token's length.
     */
    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    /** The header value the command line sends. */
    public String bearer() {
        return "Bearer " + text;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "OpsToken[****]";
    }
}
