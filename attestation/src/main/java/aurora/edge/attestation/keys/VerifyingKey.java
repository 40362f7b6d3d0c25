package aurora.edge.attestation.keys;

import aurora.edge.attestation.Problem;
import aurora.edge.attestation.ProblemException;
import aurora.edge.attestation.Result;
import aurora.edge.attestation.Sha256;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * A public key that checks signatures: ECDSA P-256 or Ed25519, held as its canonical DER
 * SubjectPublicKeyInfo. Its {@link #keyHash()} is what MCUboot writes in TLV 0x01 (KEYHASH) and
 * what manifests list as accepted signers.
 */
public final class VerifyingKey {
    private static final int MAX_SPKI_BYTES = 1024;

    private final KeyAlgorithm algorithm;
    private final byte[] spki;
    private final AsymmetricKeyParameter parameters;
    private final Sha256 keyHash;

    private VerifyingKey(KeyAlgorithm algorithm, byte[] spki, AsymmetricKeyParameter parameters) {
        this.algorithm = algorithm;
        this.spki = spki;
        this.parameters = parameters;
        this.keyHash = Sha256.of(spki);
    }

    /** Parses DER SubjectPublicKeyInfo; only the canonical encoding is accepted. */
    public static Result<VerifyingKey> fromSpki(byte[] der) {
        try {
            return Result.ok(parse(der));
        } catch (ProblemException e) {
            return Result.failed(e);
        }
    }

    /** Parses base64 (RFC 4648, padded) DER SubjectPublicKeyInfo, the form JSON documents carry. */
    public static Result<VerifyingKey> fromBase64(String base64) {
        byte[] der;
        try {
            der = java.util.Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return Result.failed(Problem.KEY_MALFORMED, "public key is not base64: " + e.getMessage());
        }
        return fromSpki(der);
    }

    /** Parses a {@code -----BEGIN PUBLIC KEY-----} PEM block (as written by openssl). */
    public static Result<VerifyingKey> fromPem(String pem) {
        try {
            return Result.ok(parse(Pem.decode(pem, Set.of("PUBLIC KEY")).der()));
        } catch (ProblemException e) {
            return Result.failed(e);
        }
    }

    static VerifyingKey of(AsymmetricKeyParameter publicParameters) {
        try {
            return parse(SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(publicParameters)
                    .getEncoded(ASN1Encoding.DER));
        } catch (IOException | ProblemException e) {
            throw new IllegalStateException("our own public key does not encode", e);
        }
    }

    public KeyAlgorithm algorithm() {
        return algorithm;
    }

    /** SHA-256 of the DER SubjectPublicKeyInfo (MCUboot KEYHASH). */
    public Sha256 keyHash() {
        return keyHash;
    }

    public byte[] spki() {
        return spki.clone();
    }

    public String toPem() {
        return Pem.encode("PUBLIC KEY", spki);
    }

    /**
     * Checks {@code signature} over {@code message}: ECDSA P-256 with SHA-256 and a strict DER
     * signature, or pure Ed25519. Any malformed signature is simply "does not verify".
     */
    public boolean verifies(byte[] message, byte[] signature) {
        if (algorithm == KeyAlgorithm.ED25519) {
            if (signature.length != Ed25519PublicKeyParameters.KEY_SIZE * 2) {
                return false;
            }
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(false, parameters);
            signer.update(message, 0, message.length);
            return signer.verifySignature(signature);
        }
        Optional<EcdsaDer.Signature> rs = EcdsaDer.decode(signature);
        if (rs.isEmpty()) {
            return false;
        }
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, parameters);
        return signer.verifySignature(
                Sha256.of(message).bytes(), rs.get().r(), rs.get().s());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VerifyingKey that && MessageDigest.isEqual(spki, that.spki);
    }

    @Override
    public int hashCode() {
        return keyHash.hashCode();
    }

    @Override
    public String toString() {
        return algorithm + " key " + keyHash.hex();
    }

    private static VerifyingKey parse(byte[] der) throws ProblemException {
        if (der.length > MAX_SPKI_BYTES) {
            throw new ProblemException(
                    Problem.KEY_MALFORMED,
                    "public key must be <= " + MAX_SPKI_BYTES + " bytes of DER, found " + der.length);
        }
        AsymmetricKeyParameter parameters;
        byte[] canonical;
        try {
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
            parameters = PublicKeyFactory.createKey(info);
            canonical = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(parameters)
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException | RuntimeException e) {
            // BouncyCastle signals bad ASN.1, unknown algorithms and off-curve points this way.
            throw new ProblemException(
                    Problem.KEY_MALFORMED, "public key is not a valid SubjectPublicKeyInfo: " + e.getMessage());
        }
        KeyAlgorithm algorithm = algorithmOf(parameters);
        if (!MessageDigest.isEqual(canonical, der)) {
            throw new ProblemException(
                    Problem.KEY_MALFORMED,
                    "public key must be canonical DER with an uncompressed point, so its key hash is unique");
        }
        return new VerifyingKey(algorithm, canonical, parameters);
    }

    private static KeyAlgorithm algorithmOf(AsymmetricKeyParameter parameters) throws ProblemException {
        if (parameters instanceof Ed25519PublicKeyParameters) {
            return KeyAlgorithm.ED25519;
        }
        if (parameters instanceof ECPublicKeyParameters ec
                && ec.getParameters() instanceof ECNamedDomainParameters named
                && named.getName().equals(SECObjectIdentifiers.secp256r1)) {
            return KeyAlgorithm.ECDSA_P256;
        }
        throw new ProblemException(
                Problem.KEY_UNSUPPORTED,
                "public key must be ECDSA P-256 or Ed25519, found "
                        + parameters.getClass().getSimpleName());
    }
}
