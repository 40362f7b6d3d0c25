package aurora.edge.gateway.soc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/** A SOC command key made and used by openssl, so the gateway is checked against a signer nobody here wrote. */
final class OpensslSigner {
    private final Path dir;
    private final Path privateKey;
    final Path publicKey;

    private OpensslSigner(Path dir) {
        this.dir = dir;
        this.privateKey = dir.resolve("soc.key");
        this.publicKey = dir.resolve("soc.pub");
    }

    static OpensslSigner newP256Key(Path dir) {
        OpensslSigner signer = new OpensslSigner(dir);
        signer.run(List.of(
                "openssl",
                "ecparam",
                "-genkey",
                "-name",
                "prime256v1",
                "-noout",
                "-out",
                signer.privateKey.toString()));
        signer.run(List.of(
                "openssl", "ec", "-in", signer.privateKey.toString(), "-pubout", "-out", signer.publicKey.toString()));
        return signer;
    }

    /** Base64 of the DER ECDSA P-256/SHA-256 signature over exactly {@code data}. */
    String sign(byte[] data) {
        try {
            Path in = Files.createTempFile(dir, "cmd", ".json");
            Path out = Files.createTempFile(dir, "cmd", ".sig");
            Files.write(in, data);
            run(List.of(
                    "openssl",
                    "dgst",
                    "-sha256",
                    "-sign",
                    privateKey.toString(),
                    "-out",
                    out.toString(),
                    in.toString()));
            return Base64.getEncoder().encodeToString(Files.readAllBytes(out));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(command + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
