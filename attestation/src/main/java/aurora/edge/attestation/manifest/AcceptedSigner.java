package aurora.edge.attestation.manifest;

import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.keys.VerifyingKey;
import java.util.Objects;
import java.util.Optional;

/**
 * An image signing key the manifest accepts, by KEYHASH. The public key is optional: evidence
 * checks need only the hash, but with the key a tool can also verify image files.
 */
public record AcceptedSigner(Sha256 keyHash, Optional<VerifyingKey> publicKey) {
    public AcceptedSigner {
        Objects.requireNonNull(keyHash, "keyHash");
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey.isPresent() && !publicKey.get().keyHash().equals(keyHash)) {
            throw new IllegalArgumentException(
                    "publicKey hashes to " + publicKey.get().keyHash().hex() + ", not keyHash " + keyHash.hex());
        }
    }

    public static AcceptedSigner of(VerifyingKey key) {
        return new AcceptedSigner(key.keyHash(), Optional.of(key));
    }
}
