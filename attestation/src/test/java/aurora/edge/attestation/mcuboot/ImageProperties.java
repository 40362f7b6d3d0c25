package aurora.edge.attestation.mcuboot;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.attestation.Result;
import aurora.edge.attestation.TestFixtures;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The verifier only ever returns a typed result, and no mutation of a signed image passes. */
class ImageProperties {
    private static final ImageVerifier VERIFIER = new ImageVerifier(
            List.of(TestFixtures.IMAGE_P256.verifyingKey(), TestFixtures.IMAGE_ED25519.verifyingKey()));
    private static final List<byte[]> SIGNED = List.of(
            TestFixtures.signedImage(TestFixtures.IMAGE_P256, "1.2.3+4", 7),
            TestFixtures.signedImage(TestFixtures.IMAGE_ED25519, "2.0.0", 1),
            ImageBuilder.forBody(TestFixtures.body(64, 3)).headerSize(32).sign(TestFixtures.IMAGE_P256));

    @Property(tries = 300)
    void randomBytesAreRejectedWithATypedProblem(@ForAll @Size(max = 2048) byte[] bytes) {
        assertThat(VERIFIER.verify(bytes)).isInstanceOf(Result.Failed.class);
        assertThat(ImageVerifier.checkIntegrity(bytes)).isInstanceOf(Result.Failed.class);
    }

    @Property(tries = 300)
    void randomHeadersBehindAValidMagicAreRejectedWithATypedProblem(@ForAll("headerThenNoise") byte[] bytes) {
        assertThat(VERIFIER.verify(bytes)).isInstanceOf(Result.Failed.class);
    }

    @Property(tries = 400)
    void anyChangedByteOfASignedImageIsRejected(
            @ForAll @IntRange(min = 0, max = 2) int which,
            @ForAll @IntRange(min = 0, max = 1_000_000) int position,
            @ForAll @IntRange(min = 1, max = 255) int xor) {
        byte[] image = SIGNED.get(which).clone();
        int at = position % image.length;
        image[at] ^= (byte) xor;

        assertThat(VERIFIER.verify(image)).as("byte %d changed", at).isInstanceOf(Result.Failed.class);
    }

    @Property(tries = 200)
    void truncatedOrExtendedSignedImagesAreRejected(
            @ForAll @IntRange(min = 0, max = 2) int which, @ForAll @IntRange(min = -3000, max = 64) int delta) {
        byte[] original = SIGNED.get(which);
        int length = Math.max(0, original.length + (delta == 0 ? 1 : delta));
        byte[] image = Arrays.copyOf(original, length);

        assertThat(VERIFIER.verify(image)).isInstanceOf(Result.Failed.class);
    }

    @Property(tries = 200)
    void overwrittenLengthFieldsNeverEscapeAsExceptions(
            @ForAll @IntRange(min = 0, max = 2) int which,
            @ForAll("lengthFieldOffsets") int offset,
            @ForAll int value) {
        byte[] image = SIGNED.get(which).clone();
        int at = offset < 0 ? image.length + offset : offset;
        image[at] = (byte) value;
        image[at + 1] = (byte) (value >>> 8);

        assertThat(VERIFIER.verify(image)).isInstanceOf(Result.Failed.class);
    }

    @Provide
    Arbitrary<byte[]> headerThenNoise() {
        Arbitrary<byte[]> header = Combinators.combine(
                        Arbitraries.integers().between(0, 0xffff),
                                Arbitraries.integers().between(0, 0xffff),
                        Arbitraries.longs().between(0, 0xffff_ffffL),
                                Arbitraries.longs().between(0, 0x1ff))
                .as((hdr, prot, img, flags) -> RawImage.header(ImageHeader.MAGIC, hdr, prot, img, flags));
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        return Combinators.combine(header, noise).as(RawImage::concat);
    }

    @Provide
    Arbitrary<Integer> lengthFieldOffsets() {
        // ih_hdr_size, ih_protect_tlv_size, ih_img_size (low half), and trailer fields near the end.
        return Arbitraries.of(8, 10, 12, 14, -80, -76, -40, -2);
    }
}
