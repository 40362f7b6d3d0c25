package aurora.edge.gateway.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a watched file looks like now: modification time, size and SHA-256 of its bytes. The hash
 * catches a replacement within the file system's mtime granularity with the same size; a missing
 * file has its own stamp.
 */
record FileStamp(long modifiedMillis, long size, String sha256) {
    static final FileStamp MISSING = new FileStamp(-1, -1, "");

    static FileStamp of(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return MISSING;
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            return new FileStamp(
                    Files.getLastModifiedTime(file).toMillis(),
                    bytes.length,
                    HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (IOException e) {
            return MISSING;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
