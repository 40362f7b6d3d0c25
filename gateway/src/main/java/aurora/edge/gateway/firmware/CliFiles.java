package aurora.edge.gateway.firmware;

import aurora.edge.attestation.Result;
import aurora.edge.attestation.keys.SigningKey;
import aurora.edge.attestation.keys.VerifyingKey;
import aurora.edge.attestation.manifest.Manifest;
import aurora.edge.attestation.manifest.ManifestReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * File input for the firmware commands: every read is capped before it allocates (a wrong path
 * to a huge file must not exhaust the heap), and key files are parsed with a message naming the
 * file. Failures are {@link IOException}s, which the commands report as exit code 2.
 */
final class CliFiles {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int MAX_KEY_BYTES = 16 * 1024;

    private CliFiles() {}

    static byte[] read(Path path, int maxBytes) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new IOException(path + " is larger than the " + maxBytes + " bytes allowed");
            }
            return bytes;
        }
    }

    /** Reads manifest, detached signature and vendor key, then checks them in the library's order. */
    static Result<Manifest> manifest(Path manifest, Path signature, Path vendorKey, long trustedSequence, Instant now)
            throws IOException {
        byte[] json = read(manifest, ManifestReader.MAX_BYTES);
        byte[] sig = read(signature == null ? Path.of(manifest + ".sig") : signature, MAX_KEY_BYTES);
        return ManifestReader.read(json, sig, publicKey(vendorKey), trustedSequence, now);
    }

    static VerifyingKey publicKey(Path path) throws IOException {
        Result<VerifyingKey> key =
                VerifyingKey.fromPem(new String(read(path, MAX_KEY_BYTES), StandardCharsets.US_ASCII));
        if (key instanceof Result.Failed<VerifyingKey> failed) {
            throw new IOException(path + " is not a usable public key PEM: " + failed);
        }
        return key.orElseThrow();
    }

    static SigningKey privateKey(Path path) throws IOException {
        Result<SigningKey> key = SigningKey.fromPem(new String(read(path, MAX_KEY_BYTES), StandardCharsets.US_ASCII));
        if (key instanceof Result.Failed<SigningKey> failed) {
            throw new IOException(path + " is not a usable private key PEM: " + failed);
        }
        return key.orElseThrow();
    }
}
