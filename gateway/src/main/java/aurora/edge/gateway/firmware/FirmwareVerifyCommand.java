package aurora.edge.gateway.firmware;

import aurora.edge.attestation.Result;
import aurora.edge.attestation.keys.VerifyingKey;
import aurora.edge.attestation.manifest.BoardPolicy;
import aurora.edge.attestation.manifest.Manifest;
import aurora.edge.attestation.manifest.ManifestImage;
import aurora.edge.attestation.mcuboot.ImageVerifier;
import aurora.edge.attestation.mcuboot.McubootImage;
import aurora.edge.attestation.mcuboot.VerifiedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code firmware verify IMAGE}: structure, SHA-256 TLV, signer (never an MCUboot example key),
 * signature, and with a manifest also whether the image is allowed for its board. The signer keys
 * come from the verified manifest and/or {@code --key}; without any, only {@code --integrity-only}
 * is possible, so a "verified" never silently means "signature not checked".
 */
@Command(
        name = "verify",
        description = "Verify an MCUboot image (hash, signer, signature, manifest status).",
        mixinStandardHelpOptions = true)
final class FirmwareVerifyCommand implements Callable<Integer> {
    @ParentCommand
    FirmwareCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "IMAGE", description = "signed MCUboot image (.bin)")
    Path image;

    @Option(names = "--manifest", paramLabel = "M", description = "signed firmware manifest (manifest.json)")
    Path manifest;

    @Option(names = "--manifest-sig", paramLabel = "S", description = "its detached signature (default: M.sig)")
    Path manifestSignature;

    @Option(names = "--vendor-key", paramLabel = "K", description = "vendor public key (PEM) that signs the manifest")
    Path vendorKey;

    @Option(names = "--trusted-sequence", paramLabel = "N", defaultValue = "0", description = "refuse older manifests")
    long trustedSequence;

    @Option(names = "--key", paramLabel = "PEM", description = "a trusted image signing public key (repeatable)")
    List<Path> keys = new ArrayList<>();

    @Option(names = "--board", paramLabel = "B", description = "board class to look the image up in (default: any)")
    String board;

    @Option(names = "--integrity-only", description = "without keys: check structure and hash only")
    boolean integrityOnly;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (manifest == null && (vendorKey != null || manifestSignature != null)) {
                return usage("--vendor-key and --manifest-sig need --manifest");
            }
            if (manifest != null && vendorKey == null) {
                return usage("--manifest needs --vendor-key, the manifest is checked before it is used");
            }
            byte[] bytes = CliFiles.read(image, McubootImage.MAX_IMAGE_BYTES);
            Optional<Manifest> trusted = Optional.empty();
            if (manifest != null) {
                Result<Manifest> loaded = CliFiles.manifest(
                        manifest,
                        manifestSignature,
                        vendorKey,
                        trustedSequence,
                        parent.clock().instant());
                if (loaded instanceof Result.Failed<Manifest> failed) {
                    out.println("manifest: FAILED " + failed);
                    return CliFiles.FAILED;
                }
                trusted = Optional.of(loaded.orElseThrow());
            }
            List<VerifyingKey> signers =
                    new ArrayList<>(trusted.map(Manifest::signerKeys).orElse(List.of()));
            for (Path key : keys) {
                signers.add(CliFiles.publicKey(key));
            }
            if (signers.isEmpty()) {
                return integrityOnly
                        ? integrity(out, bytes)
                        : usage("give --manifest/--vendor-key or --key to check the signature, or --integrity-only");
            }
            return verify(out, bytes, signers, trusted);
        } catch (IOException e) {
            spec.commandLine().getErr().println("firmware verify: " + e.getMessage());
            return CliFiles.USAGE;
        }
    }

    private int integrity(PrintWriter out, byte[] bytes) {
        Result<McubootImage> result = ImageVerifier.checkIntegrity(bytes);
        if (result instanceof Result.Failed<McubootImage> failed) {
            out.println("RESULT: FAILED " + failed);
            return CliFiles.FAILED;
        }
        McubootImage parsed = result.orElseThrow();
        describe(out, parsed);
        out.println("hash: " + parsed.claimedHash().orElseThrow().hex() + " (matches the SHA256 TLV)");
        out.println("signature: NOT CHECKED (--integrity-only)");
        out.println("RESULT: OK");
        return CliFiles.OK;
    }

    private int verify(PrintWriter out, byte[] bytes, List<VerifyingKey> signers, Optional<Manifest> trusted) {
        Result<VerifiedImage> result = new ImageVerifier(signers).verify(bytes);
        if (result instanceof Result.Failed<VerifiedImage> failed) {
            out.println("RESULT: FAILED " + failed);
            return CliFiles.FAILED;
        }
        VerifiedImage verified = result.orElseThrow();
        describe(out, verified.image());
        out.println("hash: " + verified.hash().hex());
        out.println("signer: " + verified.signer().keyHash().hex() + " ("
                + verified.signer().algorithm() + ")");
        out.println("signature: OK");
        Optional<String> refusal = trusted.flatMap(m -> appraise(out, m, verified));
        if (refusal.isPresent()) {
            out.println("RESULT: FAILED " + refusal.get());
            return CliFiles.FAILED;
        }
        out.println("RESULT: OK");
        return CliFiles.OK;
    }

    /** The manifest's verdict on the image; empty when it is allowed. */
    private Optional<String> appraise(PrintWriter out, Manifest m, VerifiedImage verified) {
        Optional<BoardPolicy> policy = board == null ? m.boardListing(verified.hash()) : m.board(board);
        Optional<ManifestImage> listed = policy.flatMap(p -> p.image(verified.hash()));
        if (listed.isEmpty()) {
            return Optional.of("manifest " + m.sequence() + ": image is not listed"
                    + (board == null ? "" : " for board " + board));
        }
        if (listed.get().isRevoked()) {
            return Optional.of("manifest " + m.sequence() + ": image is revoked for board "
                    + policy.get().board()
                    + (listed.get().reason().isEmpty()
                            ? ""
                            : ": " + listed.get().reason()));
        }
        if (verified.securityCounter() < policy.get().minSecurityCounter()) {
            return Optional.of("manifest " + m.sequence() + ": security counter " + verified.securityCounter()
                    + " is below the minimum " + policy.get().minSecurityCounter() + " of board "
                    + policy.get().board());
        }
        out.println("manifest: sequence " + m.sequence() + ", allowed for board "
                + policy.get().board());
        return Optional.empty();
    }

    private static void describe(PrintWriter out, McubootImage parsed) {
        out.println("version: " + parsed.version());
        out.println("header_size: " + parsed.header().headerSize());
        out.println("image_size: " + parsed.header().imageSize());
        out.println("security_counter: "
                + (parsed.securityCounter().isPresent()
                        ? parsed.securityCounter().getAsLong()
                        : "none"));
    }

    private int usage(String message) {
        spec.commandLine().getErr().println("firmware verify: " + message);
        return CliFiles.USAGE;
    }
}
