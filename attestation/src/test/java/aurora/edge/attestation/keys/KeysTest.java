package aurora.edge.attestation.keys;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.attestation.Problem;
import aurora.edge.attestation.Result;
import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.TestFixtures;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class KeysTest {
    private static final byte[] MESSAGE = "firmware".getBytes(StandardCharsets.UTF_8);

    @Test
    void mcubootExampleKeysHashToTheDenyListedKeyHashes() {
        VerifyingKey ec =
                VerifyingKey.fromBase64(TestFixtures.MCUBOOT_ROOT_EC_P256_SPKI).orElseThrow();
        VerifyingKey ed =
                VerifyingKey.fromBase64(TestFixtures.MCUBOOT_ROOT_ED25519_SPKI).orElseThrow();

        assertThat(ec.keyHash().hex()).isEqualTo("e30466f6b8470c1f29070b17f1e2d3e94d445e3f608087fdc711e4382bb538b6");
        assertThat(ed.keyHash().hex()).isEqualTo("c1907fa4eac7fae3840a78902b6f0710b037e9968e5c6274a12a28790c7d4e3c");
        assertThat(KeyDenyList.isDenied(ec.keyHash())).isTrue();
        assertThat(KeyDenyList.isDenied(ed.keyHash())).isTrue();
        assertThat(KeyDenyList.reason(ec.keyHash())).contains("MCUboot example key root-ec-p256.pem");
    }

    @Test
    void mcubootExamplePrivateKeyMatchesTheDenyListedPublicKey() {
        assertThat(TestFixtures.mcubootExampleKey().verifyingKey().keyHash())
                .isEqualTo(VerifyingKey.fromBase64(TestFixtures.MCUBOOT_ROOT_EC_P256_SPKI)
                        .orElseThrow()
                        .keyHash());
    }

    @Test
    void ourDevKeysAreNotDenied() {
        assertThat(KeyDenyList.isDenied(TestFixtures.IMAGE_P256.verifyingKey().keyHash()))
                .isFalse();
    }

    @Test
    void ecdsaSignaturesAreDeterministicPerRfc6979() {
        // RFC 6979 A.2.5, P-256 with SHA-256, message "sample".
        SigningKey key =
                SigningKey.p256(new BigInteger("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721", 16));
        byte[] signature = key.sign("sample".getBytes(StandardCharsets.US_ASCII));

        EcdsaDer.Signature rs = EcdsaDer.decode(signature).orElseThrow();
        assertThat(rs.r().toString(16)).isEqualTo("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716");
        assertThat(rs.s().toString(16)).isEqualTo("f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8");
        assertThat(key.sign("sample".getBytes(StandardCharsets.US_ASCII))).isEqualTo(signature);
    }

    @Test
    void ed25519MatchesRfc8032TestVector1() {
        SigningKey key = SigningKey.ed25519(
                HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));

        assertThat(HexFormat.of().formatHex(key.sign(new byte[0])))
                .isEqualTo(
                        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    }

    @Test
    void signaturesVerifyOnlyForTheSignedMessageAndKey() {
        for (SigningKey key : new SigningKey[] {TestFixtures.IMAGE_P256, TestFixtures.IMAGE_ED25519}) {
            byte[] signature = key.sign(MESSAGE);
            assertThat(key.verifyingKey().verifies(MESSAGE, signature)).isTrue();
            assertThat(key.verifyingKey().verifies("firmwarf".getBytes(StandardCharsets.UTF_8), signature))
                    .isFalse();
            assertThat(TestFixtures.UNKNOWN_P256.verifyingKey().verifies(MESSAGE, signature))
                    .isFalse();
        }
    }

    @Test
    void ecdsaSignatureWithNonMinimalDerIsRefused() {
        byte[] der = TestFixtures.IMAGE_P256.sign(MESSAGE);
        EcdsaDer.Signature rs = EcdsaDer.decode(der).orElseThrow();
        byte[] r = rs.r().toByteArray();
        byte[] s = rs.s().toByteArray();
        // Same r and s, but r carries a needless leading zero byte: valid BER, not DER.
        byte[] padded = new byte[der.length + 1];
        padded[0] = 0x30;
        padded[1] = (byte) (der.length - 1);
        padded[2] = 0x02;
        padded[3] = (byte) (r.length + 1);
        System.arraycopy(r, 0, padded, 5, r.length);
        padded[5 + r.length] = 0x02;
        padded[6 + r.length] = (byte) s.length;
        System.arraycopy(s, 0, padded, 7 + r.length, s.length);

        assertThat(EcdsaDer.decode(padded)).isEmpty();
        assertThat(TestFixtures.IMAGE_P256.verifyingKey().verifies(MESSAGE, padded))
                .isFalse();
    }

    @Test
    void privateKeysRoundTripThroughPkcs8Pem() {
        for (SigningKey key : new SigningKey[] {TestFixtures.IMAGE_P256, TestFixtures.IMAGE_ED25519}) {
            SigningKey reread = SigningKey.fromPem(key.toPem()).orElseThrow();
            assertThat(reread.verifyingKey()).isEqualTo(key.verifyingKey());
            assertThat(reread.sign(MESSAGE)).isEqualTo(key.sign(MESSAGE));
        }
    }

    @Test
    void publicKeysRoundTripThroughPem() {
        VerifyingKey key = TestFixtures.IMAGE_ED25519.verifyingKey();
        assertThat(VerifyingKey.fromPem(key.toPem()).orElseThrow()).isEqualTo(key);
    }

    @Test
    void garbageSpkiIsKeyMalformed() {
        assertProblem(VerifyingKey.fromSpki(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}), Problem.KEY_MALFORMED);
        assertProblem(VerifyingKey.fromSpki(new byte[0]), Problem.KEY_MALFORMED);
        assertProblem(VerifyingKey.fromBase64("not base64!"), Problem.KEY_MALFORMED);
        assertProblem(VerifyingKey.fromPem("no pem here"), Problem.KEY_MALFORMED);
    }

    @Test
    void p384AndRsaKeysAreUnsupported() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);

        assertProblem(VerifyingKey.fromSpki(ec.generateKeyPair().getPublic().getEncoded()), Problem.KEY_UNSUPPORTED);
        assertProblem(VerifyingKey.fromSpki(rsa.generateKeyPair().getPublic().getEncoded()), Problem.KEY_UNSUPPORTED);
    }

    @Test
    void compressedPointKeyIsRefusedSoEachKeyHasOneHash() throws Exception {
        byte[] spki = TestFixtures.IMAGE_P256.verifyingKey().spki();
        var curve =
                org.bouncycastle.asn1.x9.ECNamedCurveTable.getByName("P-256").getCurve();
        byte[] compressedPoint =
                curve.decodePoint(java.util.Arrays.copyOfRange(spki, 26, 91)).getEncoded(true);
        var original = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(spki);
        byte[] compressed = new org.bouncycastle.asn1.x509.SubjectPublicKeyInfo(
                        original.getAlgorithm(), compressedPoint)
                .getEncoded("DER");

        assertProblem(VerifyingKey.fromSpki(compressed), Problem.KEY_MALFORMED);
    }

    @Test
    void sha256HexIsLowerCaseOnly() {
        Sha256 hash = Sha256.of(MESSAGE);
        assertThat(Sha256.fromHex(hash.hex())).isEqualTo(hash);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Sha256.fromHex(hash.hex().toUpperCase(Locale.ROOT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lower-case");
        assertThat(Base64.getEncoder().encodeToString(hash.bytes())).hasSize(44);
    }

    static void assertProblem(Result<?> result, Problem problem) {
        assertThat(result)
                .isInstanceOfSatisfying(
                        Result.Failed.class, f -> assertThat(f.problem()).isEqualTo(problem));
    }
}
