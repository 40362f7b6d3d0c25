package aurora.edge.gateway.firmware;

import aurora.edge.attestation.Result;
import aurora.edge.attestation.keys.KeyDenyList;
import aurora.edge.attestation.keys.SigningKey;
import aurora.edge.attestation.manifest.Manifest;
import aurora.edge.attestation.manifest.ManifestReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code manifest sign MANIFEST --key PEM}: writes a detached signature over the file's exact
 * bytes, after checking the content, so a vendor cannot sign a manifest every gateway refuses.
 */
@Command(
        name = "sign",
        description = "Check a manifest and write its detached signature (over the exact file bytes).",
        mixinStandardHelpOptions = true)
final class ManifestSignCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MANIFEST", description = "manifest.json")
    Path manifest;

    @Option(
            names = "--key",
            required = true,
            paramLabel = "PEM",
            description = "vendor private key (PKCS#8 or SEC 1 PEM)")
    Path key;

    @Option(names = "--out", paramLabel = "SIG", description = "signature file (default: MANIFEST.sig)")
    Path output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            byte[] json = CliFiles.read(manifest, ManifestReader.MAX_BYTES);
            SigningKey signingKey = CliFiles.privateKey(key);
            Optional<String> denied =
                    KeyDenyList.reason(signingKey.verifyingKey().keyHash());
            if (denied.isPresent()) {
                out.println("manifest: NOT SIGNED, the key is " + denied.get() + " (its private key is public)");
                return CliFiles.FAILED;
            }
            Result<Manifest> content = ManifestReader.checkBeforeSigning(json);
            if (content instanceof Result.Failed<Manifest> failed) {
                out.println("manifest: NOT SIGNED, content is invalid: " + failed);
                return CliFiles.FAILED;
            }
            Path target = output == null ? Path.of(manifest + ".sig") : output;
            Files.write(target, signingKey.sign(json));
            out.println("manifest: signed sequence " + content.orElseThrow().sequence() + " -> " + target + " with key "
                    + signingKey.verifyingKey().keyHash().hex() + " (" + signingKey.algorithm() + ")");
            return CliFiles.OK;
        } catch (IOException e) {
            spec.commandLine().getErr().println("manifest sign: " + e.getMessage());
            return CliFiles.USAGE;
        }
    }
}
