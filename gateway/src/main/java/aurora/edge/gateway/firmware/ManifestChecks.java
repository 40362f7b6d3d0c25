package aurora.edge.gateway.firmware;

import aurora.edge.attestation.Result;
import aurora.edge.attestation.manifest.Manifest;
import aurora.edge.attestation.manifest.ManifestReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The checks of {@code manifest verify}, for commands that act on a manifest ({@code manifest
 * install}): reads are capped before they allocate, and a manifest is verified over the exact
 * bytes that will be used afterwards, so what is checked is what is installed.
 */
public final class ManifestChecks {
    private ManifestChecks() {}

    /** A manifest file, at most {@link ManifestReader#MAX_BYTES}. */
    public static byte[] readManifest(Path manifest) throws IOException {
        return CliFiles.read(manifest, ManifestReader.MAX_BYTES);
    }

    /** A detached signature file. */
    public static byte[] readSignature(Path signature) throws IOException {
        return CliFiles.read(signature, CliFiles.MAX_KEY_BYTES);
    }

    /** Signature with the vendor key first, then content, sequence (not below {@code trustedSequence}) and expiry. */
    public static Result<Manifest> verify(
            byte[] json, byte[] signature, Path vendorKey, long trustedSequence, Instant now) throws IOException {
        return ManifestReader.read(json, signature, CliFiles.publicKey(vendorKey), trustedSequence, now);
    }

    /** The summary {@code manifest verify} prints (sequence, validity, signers, boards). */
    public static void print(java.io.PrintWriter out, Manifest manifest) {
        ManifestVerifyCommand.print(out, manifest);
    }
}
