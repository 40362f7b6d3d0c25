package aurora.edge.attestation.mcuboot;

import static aurora.edge.attestation.mcuboot.RawImage.area;
import static aurora.edge.attestation.mcuboot.RawImage.bytes;
import static aurora.edge.attestation.mcuboot.RawImage.concat;
import static aurora.edge.attestation.mcuboot.RawImage.header;
import static aurora.edge.attestation.mcuboot.RawImage.image;
import static aurora.edge.attestation.mcuboot.RawImage.tlv;
import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.attestation.Problem;
import aurora.edge.attestation.Result;
import aurora.edge.attestation.TestFixtures;
import org.junit.jupiter.api.Test;

class ImageParserTest {
    private static final byte[] SHA = tlv(Tlv.SHA256, bytes(32, 0xaa));
    private static final byte[] KEYHASH = tlv(Tlv.KEYHASH, bytes(32, 0xbb));
    private static final byte[] MINIMAL_TRAILER = area(Tlv.INFO_MAGIC, SHA, KEYHASH);

    @Test
    void parsesHeaderVersionAndTlvsOfAMinimalImage() {
        McubootImage image =
                McubootImage.parse(image(new byte[0], MINIMAL_TRAILER)).orElseThrow();

        assertThat(image.version()).isEqualTo(new ImageVersion(1, 2, 3, 4));
        assertThat(image.header().headerSize()).isEqualTo(32);
        assertThat(image.hashedLength()).isEqualTo(32 + RawImage.BODY.length);
        assertThat(image.tlvs()).extracting(Tlv::type).containsExactly(Tlv.SHA256, Tlv.KEYHASH);
        assertThat(image.securityCounter()).isEmpty();
    }

    @Test
    void readsTheSecurityCounterFromTheProtectedArea() {
        byte[] bytes =
                image(area(Tlv.PROTECTED_INFO_MAGIC, tlv(Tlv.SEC_CNT, RawImage.u32(0x01020304L))), MINIMAL_TRAILER);

        McubootImage image = McubootImage.parse(bytes).orElseThrow();

        assertThat(image.securityCounter()).hasValue(0x01020304L);
        assertThat(image.hashedLength()).isEqualTo(32 + RawImage.BODY.length + 12);
    }

    @Test
    void imageShorterThanAHeaderIsTruncated() {
        assertProblem(new byte[10], Problem.IMAGE_TRUNCATED);
        assertProblem(new byte[0], Problem.IMAGE_TRUNCATED);
    }

    @Test
    void wrongMagicIsBadMagic() {
        assertProblem(
                concat(header(0x96f3b83cL, 32, 0, 8, 0), RawImage.BODY, MINIMAL_TRAILER), Problem.IMAGE_BAD_MAGIC);
    }

    @Test
    void headerSizeBelow32IsBadHeaderSize() {
        assertProblem(
                concat(header(ImageHeader.MAGIC, 16, 0, 8, 0), RawImage.BODY, MINIMAL_TRAILER),
                Problem.IMAGE_BAD_HEADER_SIZE);
    }

    @Test
    void encryptedOrCompressedImagesAreUnsupported() {
        assertProblem(
                concat(header(ImageHeader.MAGIC, 32, 0, 8, 0x04), RawImage.BODY, MINIMAL_TRAILER),
                Problem.IMAGE_UNSUPPORTED_FLAGS);
        assertProblem(
                concat(header(ImageHeader.MAGIC, 32, 0, 8, 0x400), RawImage.BODY, MINIMAL_TRAILER),
                Problem.IMAGE_UNSUPPORTED_FLAGS);
    }

    @Test
    void lyingImageSizeIsTruncatedWithoutAllocating() {
        assertProblem(
                concat(header(ImageHeader.MAGIC, 32, 0, 0xffff_ffffL, 0), RawImage.BODY, MINIMAL_TRAILER),
                Problem.IMAGE_TRUNCATED);
        assertProblem(concat(header(ImageHeader.MAGIC, 0xffff, 0, 8, 0), RawImage.BODY), Problem.IMAGE_TRUNCATED);
    }

    @Test
    void missingTrailerIsTruncated() {
        assertProblem(concat(header(ImageHeader.MAGIC, 32, 0, 8, 0), RawImage.BODY), Problem.IMAGE_TRUNCATED);
    }

    @Test
    void wrongTlvInfoMagicIsBadTlvInfo() {
        assertProblem(image(new byte[0], area(0x1234, SHA)), Problem.IMAGE_BAD_TLV_INFO);
    }

    @Test
    void tlvTotalBelowItsOwnHeaderIsBadTlvInfo() {
        assertProblem(
                image(new byte[0], concat(RawImage.u16(Tlv.INFO_MAGIC), RawImage.u16(2))), Problem.IMAGE_BAD_TLV_INFO);
    }

    @Test
    void protectedSizeThatDisagreesWithTheAreaIsAMismatch() {
        byte[] protectedArea = area(Tlv.PROTECTED_INFO_MAGIC, tlv(Tlv.SEC_CNT, RawImage.u32(1)));
        byte[] lying = concat(header(ImageHeader.MAGIC, 32, 16, 8, 0), RawImage.BODY, protectedArea, MINIMAL_TRAILER);
        byte[] hidden = concat(header(ImageHeader.MAGIC, 32, 0, 8, 0), RawImage.BODY, protectedArea, MINIMAL_TRAILER);

        assertProblem(lying, Problem.IMAGE_PROTECTED_SIZE_MISMATCH);
        assertProblem(hidden, Problem.IMAGE_PROTECTED_SIZE_MISMATCH);
    }

    @Test
    void tlvLengthPastTheAreaIsAnOverrun() {
        byte[] overrun = concat(
                RawImage.u16(Tlv.INFO_MAGIC),
                RawImage.u16(4 + 36),
                RawImage.u16(Tlv.SHA256),
                RawImage.u16(40),
                bytes(32, 0));
        byte[] splitHeader = concat(RawImage.u16(Tlv.INFO_MAGIC), RawImage.u16(4 + 2), RawImage.u16(Tlv.SHA256));

        assertProblem(image(new byte[0], overrun), Problem.IMAGE_TLV_OVERRUN);
        assertProblem(image(new byte[0], splitHeader), Problem.IMAGE_TLV_OVERRUN);
    }

    @Test
    void bytesAfterTheTrailerAreRefused() {
        assertProblem(concat(image(new byte[0], MINIMAL_TRAILER), new byte[] {0}), Problem.IMAGE_TRAILING_BYTES);
    }

    @Test
    void repeatedHashOrSignatureIsADuplicate() {
        assertProblem(image(new byte[0], area(Tlv.INFO_MAGIC, SHA, SHA)), Problem.IMAGE_TLV_DUPLICATE);
        byte[] twoSignatures =
                area(Tlv.INFO_MAGIC, SHA, KEYHASH, tlv(Tlv.ED25519, bytes(64, 1)), tlv(Tlv.ECDSA_SIG, bytes(70, 1)));
        assertProblem(image(new byte[0], twoSignatures), Problem.IMAGE_TLV_DUPLICATE);
        byte[] twoCounters =
                area(Tlv.PROTECTED_INFO_MAGIC, tlv(Tlv.SEC_CNT, RawImage.u32(1)), tlv(Tlv.SEC_CNT, RawImage.u32(2)));
        assertProblem(image(twoCounters, MINIMAL_TRAILER), Problem.IMAGE_TLV_DUPLICATE);
    }

    @Test
    void unsupportedOrMisplacedTlvIsUnexpected() {
        assertProblem(
                image(new byte[0], area(Tlv.INFO_MAGIC, SHA, tlv(Tlv.RSA2048_PSS, bytes(256, 1)))),
                Problem.IMAGE_TLV_UNEXPECTED);
        assertProblem(
                image(new byte[0], area(Tlv.INFO_MAGIC, SHA, tlv(Tlv.SEC_CNT, RawImage.u32(1)))),
                Problem.IMAGE_TLV_UNEXPECTED);
        assertProblem(image(area(Tlv.PROTECTED_INFO_MAGIC, SHA), MINIMAL_TRAILER), Problem.IMAGE_TLV_UNEXPECTED);
    }

    @Test
    void wrongValueLengthIsBadLength() {
        assertProblem(
                image(new byte[0], area(Tlv.INFO_MAGIC, tlv(Tlv.SHA256, bytes(31, 0)))), Problem.IMAGE_TLV_BAD_LENGTH);
        assertProblem(
                image(area(Tlv.PROTECTED_INFO_MAGIC, tlv(Tlv.SEC_CNT, bytes(2, 0))), MINIMAL_TRAILER),
                Problem.IMAGE_TLV_BAD_LENGTH);
        assertProblem(
                image(new byte[0], area(Tlv.INFO_MAGIC, SHA, tlv(Tlv.ECDSA_SIG, bytes(80, 0)))),
                Problem.IMAGE_TLV_BAD_LENGTH);
    }

    @Test
    void imageAboveTheSizeCapIsTooLarge() {
        assertProblem(new byte[McubootImage.MAX_IMAGE_BYTES + 1], Problem.IMAGE_TOO_LARGE);
    }

    @Test
    void signedSampleImageParsesWithItsHeaderSize() {
        McubootImage image = McubootImage.parse(TestFixtures.signedImage(TestFixtures.IMAGE_P256, "1.0.0", 1))
                .orElseThrow();
        assertThat(image.header().headerSize()).isEqualTo(0x200);
    }

    private static void assertProblem(byte[] bytes, Problem problem) {
        Result<McubootImage> result = McubootImage.parse(bytes);
        assertThat(result)
                .isInstanceOfSatisfying(
                        Result.Failed.class, f -> assertThat(f.problem()).isEqualTo(problem));
    }
}
