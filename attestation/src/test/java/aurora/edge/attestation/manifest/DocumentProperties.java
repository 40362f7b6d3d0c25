package aurora.edge.attestation.manifest;

import static aurora.edge.attestation.TestFixtures.NOW;
import static aurora.edge.attestation.TestFixtures.VENDOR;
import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.attestation.Result;
import aurora.edge.attestation.endorsement.EndorsementReader;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Signed documents: every mutation fails, and even signed garbage only ever gives a typed problem. */
class DocumentProperties {
    private static final byte[] JSON = ManifestReaderTest.JSON;
    private static final byte[] SIGNATURE = VENDOR.sign(JSON);

    @Property(tries = 300)
    void anyChangedByteOfASignedManifestIsRejected(
            @ForAll @IntRange(min = 0, max = 1_000_000) int position, @ForAll @IntRange(min = 1, max = 255) int xor) {
        byte[] json = JSON.clone();
        json[position % json.length] ^= (byte) xor;

        assertThat(ManifestReader.read(json, SIGNATURE, VENDOR.verifyingKey(), 0, NOW))
                .isInstanceOf(Result.Failed.class);
    }

    @Property(tries = 100)
    void changedSignatureBytesAreRejected(
            @ForAll @IntRange(min = 0, max = 1_000_000) int position, @ForAll @IntRange(min = 1, max = 255) int xor) {
        byte[] signature = SIGNATURE.clone();
        signature[position % signature.length] ^= (byte) xor;

        assertThat(ManifestReader.read(JSON, signature, VENDOR.verifyingKey(), 0, NOW))
                .isInstanceOf(Result.Failed.class);
    }

    @Property(tries = 150)
    void signedGarbageGivesATypedProblemAndNeverThrows(@ForAll("jsonish") String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] signature = VENDOR.sign(bytes);

        assertThat(ManifestReader.read(bytes, signature, VENDOR.verifyingKey(), 0, NOW))
                .isInstanceOf(Result.Failed.class);
        assertThat(EndorsementReader.read(bytes, signature, VENDOR.verifyingKey(), 0))
                .isNotNull();
    }

    @Property(tries = 150)
    void signedRandomBytesGiveATypedProblemAndNeverThrow(@ForAll @Size(max = 512) byte[] bytes) {
        assertThat(ManifestReader.read(bytes, VENDOR.sign(bytes), VENDOR.verifyingKey(), 0, NOW))
                .isInstanceOf(Result.Failed.class);
    }

    @Property(tries = 150)
    void contentEditsOfAValidManifestNeverThrowBeforeSigning(
            @ForAll @IntRange(min = 0, max = 1_000_000) int position, @ForAll("jsonTokens") String token) {
        String json = new String(JSON, StandardCharsets.UTF_8);
        int at = position % json.length();
        byte[] edited = (json.substring(0, at) + token + json.substring(at)).getBytes(StandardCharsets.UTF_8);

        assertThat(ManifestReader.checkBeforeSigning(edited)).isNotNull();
    }

    @Provide
    Arbitrary<String> jsonish() {
        return Arbitraries.strings()
                .withChars("{}[]\":,0123456789.eE-+ truefalsn\\u")
                .ofMaxLength(200);
    }

    @Provide
    Arbitrary<String> jsonTokens() {
        return Arbitraries.of(
                "\"",
                "{",
                "}",
                "[",
                "]",
                ",",
                ":",
                "0",
                "-1",
                "1e999",
                "null",
                "\"x\"",
                "\"\\u0000\"",
                "99999999999999999999");
    }
}
