package aurora.edge.attestation.mcuboot;

import static aurora.edge.attestation.TestFixtures.IMAGE_ED25519;
import static aurora.edge.attestation.TestFixtures.IMAGE_P256;
import static aurora.edge.attestation.TestFixtures.UNKNOWN_P256;
import static aurora.edge.attestation.mcuboot.RawImage.area;
import static aurora.edge.attestation.mcuboot.RawImage.bytes;
import static aurora.edge.attestation.mcuboot.RawImage.image;
import static aurora.edge.attestation.mcuboot.RawImage.tlv;
import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.attestation.Problem;
import aurora.edge.attestation.Result;
import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.TestFixtures;
import aurora.edge.attestation.keys.SigningKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageVerifierTest {
    private static final ImageVerifier VERIFIER = new ImageVerifier(List.of(
            IMAGE_P256.verifyingKey(),
            IMAGE_ED25519.verifyingKey(),
            TestFixtures.mcubootExampleKey().verifyingKey()));
    /** 0x200 header + 1500 body: where imgtool puts the TLV areas. */
    private static final int BODY_END = 0x200 + 1500;

    @Test
    void acceptsP256ImageInTheLayoutImgtoolWrites() {
        byte[] bytes = TestFixtures.signedImage(IMAGE_P256, "1.2.3+4", 7);

        VerifiedImage verified = VERIFIER.verify(bytes).orElseThrow();

        assertThat(verified.version()).isEqualTo(new ImageVersion(1, 2, 3, 4));
        assertThat(verified.securityCounter()).isEqualTo(7);
        assertThat(verified.signer()).isEqualTo(IMAGE_P256.verifyingKey());
        assertThat(verified.hash()).isEqualTo(Sha256.of(bytes, 0, BODY_END + 12));
        // --pad-header: the 32-byte header, then 0xff up to ih_hdr_size.
        assertThat(Arrays.copyOfRange(bytes, 32, 0x200)).containsOnly((byte) 0xff);
        assertThat(hex(bytes, 8, 2)).isEqualTo("0002");
        // Protected area: info {0x6908, 12}, SEC_CNT {0x50, 0, 4} = 7.
        assertThat(hex(bytes, BODY_END, 12)).isEqualTo("08690c00" + "50000400" + "07000000");
        // Unprotected area: info {0x6907, tot}, then SHA256 {0x10, 0, 32} first.
        assertThat(hex(bytes, BODY_END + 12, 2)).isEqualTo("0769");
        assertThat(hex(bytes, BODY_END + 16, 4)).isEqualTo("10002000");
        assertThat(hex(bytes, BODY_END + 16 + 36, 4)).isEqualTo("01002000");
        assertThat(hex(bytes, BODY_END + 16 + 72, 2)).isEqualTo("2200");
    }

    @Test
    void acceptsEd25519ImageWhoseSignatureCoversTheDigest() {
        byte[] bytes = TestFixtures.signedImage(IMAGE_ED25519, "2.0.0", 3);

        VerifiedImage verified = VERIFIER.verify(bytes).orElseThrow();

        assertThat(IMAGE_ED25519
                        .verifyingKey()
                        .verifies(verified.hash().bytes(), tlvValue(verified.image(), Tlv.ED25519)))
                .isTrue();
        assertThat(hex(bytes, BODY_END + 16 + 72, 4)).isEqualTo("24004000");
    }

    @Test
    void acceptsAnImageWithThe32ByteHeaderAndNoSecurityCounter() {
        byte[] bytes =
                ImageBuilder.forBody(TestFixtures.body(100, 1)).headerSize(32).sign(IMAGE_P256);

        VerifiedImage verified = VERIFIER.verify(bytes).orElseThrow();

        assertThat(verified.securityCounter()).isZero();
        assertThat(verified.image().securityCounter()).isEmpty();
    }

    @Test
    void bodyAlteredAfterSigningIsAHashMismatch() {
        byte[] bytes = TestFixtures.signedImage(IMAGE_P256, "1.0.0", 1);
        bytes[0x200 + 10] ^= 0x01;

        assertProblem(VERIFIER.verify(bytes), Problem.IMAGE_HASH_MISMATCH);
        assertProblem(ImageVerifier.checkIntegrity(bytes), Problem.IMAGE_HASH_MISMATCH);
    }

    @Test
    void raisedSecurityCounterAfterSigningIsAHashMismatch() {
        byte[] bytes = TestFixtures.signedImage(IMAGE_P256, "1.0.0", 1);
        bytes[BODY_END + 8] = 9;

        assertProblem(VERIFIER.verify(bytes), Problem.IMAGE_HASH_MISMATCH);
    }

    @Test
    void imageFromAnUnknownKeyIsSignerUnknown() {
        assertProblem(
                VERIFIER.verify(TestFixtures.signedImage(UNKNOWN_P256, "1.0.0", 1)), Problem.IMAGE_SIGNER_UNKNOWN);
    }

    @Test
    void imageFromTheMcubootExampleKeyIsDenyListedEvenWhenConfiguredAsTrusted() {
        byte[] bytes = TestFixtures.signedImage(TestFixtures.mcubootExampleKey(), "1.0.0", 1);

        assertProblem(VERIFIER.verify(bytes), Problem.IMAGE_SIGNER_DENYLISTED);
        assertProblem(ImageVerifier.checkIntegrity(bytes), Problem.IMAGE_SIGNER_DENYLISTED);
    }

    @Test
    void signatureByAnotherKeyUnderATrustedKeyHashIsInvalid() {
        ImageBuilder builder = TestFixtures.image("1.0.0", 1);
        byte[] forged = builder.withSignature(IMAGE_P256.verifyingKey(), UNKNOWN_P256.sign(builder.toBeSigned()));

        assertProblem(VERIFIER.verify(forged), Problem.IMAGE_SIGNATURE_INVALID);
    }

    @Test
    void ecdsaSignatureTlvWithAnEd25519KeyHashIsAnAlgorithmMismatch() {
        byte[] bytes = TestFixtures.signedImage(IMAGE_P256, "1.0.0", 1);
        byte[] edHash = IMAGE_ED25519.verifyingKey().keyHash().bytes();
        System.arraycopy(edHash, 0, bytes, BODY_END + 16 + 36 + 4, 32);

        assertProblem(VERIFIER.verify(bytes), Problem.IMAGE_SIGNATURE_ALGORITHM_MISMATCH);
    }

    @Test
    void ecdsaSignatureZeroPaddedTo72BytesIsAccepted() {
        ImageBuilder builder = TestFixtures.image("1.0.0", 1);
        byte[] padded = Arrays.copyOf(IMAGE_P256.sign(builder.toBeSigned()), 72);

        assertThat(VERIFIER.verify(builder.withSignature(IMAGE_P256.verifyingKey(), padded))
                        .isOk())
                .isTrue();
    }

    @Test
    void ecdsaSignatureWithNonZeroPaddingIsMalformed() {
        ImageBuilder builder = TestFixtures.image("1.0.0", 1);
        for (int revision = 1; IMAGE_P256.sign(builder.toBeSigned()).length == 72; revision++) {
            builder = TestFixtures.image("1.0." + revision, 1); // a DER signature shorter than 72 bytes
        }
        byte[] padded = Arrays.copyOf(IMAGE_P256.sign(builder.toBeSigned()), 72);
        padded[71] = 1;

        assertProblem(
                VERIFIER.verify(builder.withSignature(IMAGE_P256.verifyingKey(), padded)),
                Problem.IMAGE_SIGNATURE_MALFORMED);
    }

    @Test
    void missingHashKeyOrSignatureIsReportedByName() {
        byte[] keyHash = tlv(Tlv.KEYHASH, IMAGE_P256.verifyingKey().keyHash().bytes());
        byte[] noHash = image(new byte[0], area(Tlv.INFO_MAGIC, keyHash));
        byte[] hashOnly = withCorrectHash(new byte[0]);
        byte[] noSignature = withCorrectHash(keyHash);

        assertProblem(VERIFIER.verify(noHash), Problem.IMAGE_HASH_MISSING);
        assertProblem(VERIFIER.verify(hashOnly), Problem.IMAGE_KEY_MISSING);
        assertProblem(VERIFIER.verify(noSignature), Problem.IMAGE_SIGNATURE_MISSING);
    }

    @Test
    void pubkeyTlvIdentifiesTheSignerByItsHash() {
        ImageBuilder builder = TestFixtures.image("1.0.0", 1);
        byte[] hashed = builder.toBeSigned();
        byte[] trailer = area(
                Tlv.INFO_MAGIC,
                tlv(Tlv.SHA256, Sha256.of(hashed).bytes()),
                tlv(Tlv.PUBKEY, IMAGE_P256.verifyingKey().spki()),
                tlv(Tlv.ECDSA_SIG, IMAGE_P256.sign(hashed)));

        assertThat(VERIFIER.verify(RawImage.concat(hashed, trailer))
                        .orElseThrow()
                        .signer())
                .isEqualTo(IMAGE_P256.verifyingKey());
    }

    @Test
    void deterministicSigningGivesByteEqualImages() {
        for (SigningKey key : new SigningKey[] {IMAGE_P256, IMAGE_ED25519}) {
            assertThat(TestFixtures.signedImage(key, "1.0.0", 1)).isEqualTo(TestFixtures.signedImage(key, "1.0.0", 1));
        }
    }

    private static byte[] withCorrectHash(byte[] extraTlv) {
        byte[] hashed =
                RawImage.concat(RawImage.header(ImageHeader.MAGIC, 32, 0, RawImage.BODY.length, 0), RawImage.BODY);
        return RawImage.concat(
                hashed, area(Tlv.INFO_MAGIC, tlv(Tlv.SHA256, Sha256.of(hashed).bytes()), extraTlv));
    }

    private static byte[] tlvValue(McubootImage image, int type) {
        return image.value(image.tlv(type).orElseThrow());
    }

    private static String hex(byte[] bytes, int offset, int length) {
        return HexFormat.of().formatHex(bytes, offset, offset + length);
    }

    static void assertProblem(Result<?> result, Problem problem) {
        assertThat(result)
                .isInstanceOfSatisfying(
                        Result.Failed.class, f -> assertThat(f.problem()).isEqualTo(problem));
    }
}
