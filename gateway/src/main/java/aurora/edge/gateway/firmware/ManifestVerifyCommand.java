package aurora.edge.gateway.firmware;

import aurora.edge.attestation.Result;
import aurora.edge.attestation.manifest.AcceptedSigner;
import aurora.edge.attestation.manifest.BoardPolicy;
import aurora.edge.attestation.manifest.Manifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code manifest verify MANIFEST --vendor-key PEM}: signature first, then content, then a summary. */
@Command(
        name = "verify",
        description = "Verify a manifest's detached signature, sequence and expiry; print a summary.",
        mixinStandardHelpOptions = true)
final class ManifestVerifyCommand implements Callable<Integer> {
    @ParentCommand
    ManifestCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MANIFEST", description = "manifest.json")
    Path manifest;

    @Option(names = "--sig", paramLabel = "SIG", description = "detached signature (default: MANIFEST.sig)")
    Path signature;

    @Option(names = "--vendor-key", required = true, paramLabel = "PEM", description = "vendor public key (PEM)")
    Path vendorKey;

    @Option(
            names = "--trusted-sequence",
            paramLabel = "N",
            defaultValue = "0",
            description = "refuse a manifest older than this sequence (default: ${DEFAULT-VALUE})")
    long trustedSequence;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Result<Manifest> result;
        try {
            result = CliFiles.manifest(
                    manifest,
                    signature,
                    vendorKey,
                    trustedSequence,
                    parent.clock().instant());
        } catch (IOException e) {
            spec.commandLine().getErr().println("manifest verify: " + e.getMessage());
            return CliFiles.USAGE;
        }
        if (result instanceof Result.Failed<Manifest> failed) {
            out.println("manifest: FAILED " + failed);
            return CliFiles.FAILED;
        }
        print(out, result.orElseThrow());
        out.println("manifest: OK");
        return CliFiles.OK;
    }

    static void print(PrintWriter out, Manifest m) {
        out.println("sequence: " + m.sequence());
        out.println("valid: " + m.issuedAt() + " .. " + m.expiresAt());
        for (AcceptedSigner signer : m.signers()) {
            out.println("signer: " + signer.keyHash().hex()
                    + signer.publicKey().map(k -> " (" + k.algorithm() + ")").orElse(""));
        }
        for (BoardPolicy board : m.boards().values()) {
            long revoked = board.images().stream().filter(i -> i.isRevoked()).count();
            out.println("board: " + board.board() + " images=" + board.images().size() + " revoked=" + revoked
                    + " min_security_counter=" + board.minSecurityCounter());
        }
    }
}
