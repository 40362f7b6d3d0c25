package aurora.edge.attestation.keys;

import aurora.edge.attestation.Problem;
import aurora.edge.attestation.ProblemException;
import aurora.edge.attestation.Result;
import aurora.edge.attestation.Sha256;
import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * A private key that signs: ECDSA P-256 (deterministic k per RFC 6979, DER output) or Ed25519.
 * Deterministic signing makes generated sample files reproducible byte for byte. The library
 * itself never stores private keys; this is for the device side (evidence), the firmware tooling
 * and the {@code manifest sign} command.
 */
public final class SigningKey {
    static final ECNamedDomainParameters P256 = new ECNamedDomainParameters(
            SECObjectIdentifiers.secp256r1, ECNamedCurveTable.getByOID(SECObjectIdentifiers.secp256r1));

    private final AsymmetricKeyParameter privateParameters;
    private final VerifyingKey verifyingKey;

    private SigningKey(AsymmetricKeyParameter privateParameters, AsymmetricKeyParameter publicParameters) {
        this.privateParameters = privateParameters;
        this.verifyingKey = VerifyingKey.of(publicParameters);
    }

    /** An ECDSA P-256 key from its private scalar, which must be in {@code [1, n-1]}. */
    public static SigningKey p256(BigInteger scalar) {
        if (scalar.signum() <= 0 || scalar.compareTo(P256.getN()) >= 0) {
            throw new IllegalArgumentException("P-256 private scalar must be in [1, n-1]");
        }
        var point = new FixedPointCombMultiplier().multiply(P256.getG(), scalar).normalize();
        return new SigningKey(new ECPrivateKeyParameters(scalar, P256), new ECPublicKeyParameters(point, P256));
    }

    /** An Ed25519 key from its 32-byte seed (RFC 8032 private key). */
    public static SigningKey ed25519(byte[] seed) {
        if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("Ed25519 seed must be 32 bytes, found " + seed.length);
        }
        var key = new Ed25519PrivateKeyParameters(seed, 0);
        return new SigningKey(key, key.generatePublicKey());
    }

    public static SigningKey generate(KeyAlgorithm algorithm, SecureRandom random) {
        if (algorithm == KeyAlgorithm.ED25519) {
            byte[] seed = new byte[Ed25519PrivateKeyParameters.KEY_SIZE];
            random.nextBytes(seed);
            return ed25519(seed);
        }
        BigInteger scalar;
        do {
            scalar = new BigInteger(256, random);
        } while (scalar.signum() == 0 || scalar.compareTo(P256.getN()) >= 0);
        return p256(scalar);
    }

    /** Reads PKCS#8 ({@code PRIVATE KEY}) or SEC 1 ({@code EC PRIVATE KEY}) PEM, as openssl writes. */
    public static Result<SigningKey> fromPem(String pem) {
        try {
            Pem.Block block = Pem.decode(pem, Set.of("PRIVATE KEY", "EC PRIVATE KEY"));
            return Result.ok(fromParameters(PrivateKeyFactory.createKey(pkcs8(block))));
        } catch (ProblemException e) {
            return Result.failed(e);
        } catch (IOException | RuntimeException e) {
            return Result.failed(Problem.KEY_MALFORMED, "private key does not decode: " + e.getMessage());
        }
    }

    public KeyAlgorithm algorithm() {
        return verifyingKey.algorithm();
    }

    public VerifyingKey verifyingKey() {
        return verifyingKey;
    }

    /** Signs {@code message}: ECDSA-SHA256 with DER output, or pure Ed25519. */
    public byte[] sign(byte[] message) {
        if (privateParameters instanceof Ed25519PrivateKeyParameters) {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, privateParameters);
            signer.update(message, 0, message.length);
            return signer.generateSignature();
        }
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, privateParameters);
        BigInteger[] rs = signer.generateSignature(Sha256.of(message).bytes());
        return EcdsaDer.encode(rs[0], rs[1]);
    }

    /** PKCS#8 PEM. Whoever calls this is writing a private key somewhere: mark it. */
    public String toPem() {
        try {
            return Pem.encode(
                    "PRIVATE KEY",
                    PrivateKeyInfoFactory.createPrivateKeyInfo(privateParameters)
                            .getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new IllegalStateException("our own private key does not encode", e);
        }
    }

    @Override
    public String toString() {
        return "private " + verifyingKey;
    }

    private static byte[] pkcs8(Pem.Block block) throws IOException {
        if (block.label().equals("PRIVATE KEY")) {
            return block.der();
        }
        // SEC 1 carries its curve inside; wrap it so one factory reads both forms.
        ECPrivateKey sec1 = ECPrivateKey.getInstance(block.der());
        var algorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256r1);
        return new PrivateKeyInfo(algorithm, sec1).getEncoded(ASN1Encoding.DER);
    }

    private static SigningKey fromParameters(AsymmetricKeyParameter key) throws ProblemException {
        if (key instanceof Ed25519PrivateKeyParameters ed) {
            return new SigningKey(ed, ed.generatePublicKey());
        }
        if (key instanceof ECPrivateKeyParameters ec
                && ec.getParameters() instanceof ECNamedDomainParameters named
                && named.getName().equals(SECObjectIdentifiers.secp256r1)) {
            return p256(ec.getD());
        }
        throw new ProblemException(
                Problem.KEY_UNSUPPORTED,
                "private key must be ECDSA P-256 or Ed25519, found "
                        + key.getClass().getSimpleName());
    }
}
