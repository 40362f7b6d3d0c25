package aurora.edge.attestation.manifest;

import static aurora.edge.attestation.TestFixtures.IMAGE_ED25519;
import static aurora.edge.attestation.TestFixtures.IMAGE_P256;
import static aurora.edge.attestation.TestFixtures.NOW;
import static aurora.edge.attestation.TestFixtures.VENDOR;
import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.attestation.Problem;
import aurora.edge.attestation.Result;
import aurora.edge.attestation.TestFixtures;
import aurora.edge.attestation.keys.SigningKey;
import aurora.edge.attestation.mcuboot.VerifiedImage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ManifestReaderTest {
    static final VerifiedImage V1 = TestFixtures.verified(TestFixtures.signedImage(IMAGE_P256, "1.0.0", 1));
    static final VerifiedImage V2 = TestFixtures.verified(TestFixtures.signedImage(IMAGE_ED25519, "1.1.0", 2));
    static final Manifest MANIFEST = TestFixtures.manifest(
            5, 1, List.of(TestFixtures.entry(V1, ImageStatus.REVOKED), TestFixtures.entry(V2, ImageStatus.ALLOWED)));
    static final byte[] JSON = ManifestWriter.write(MANIFEST);

    @Test
    void readsWhatTheWriterWroteOnceTheSignatureVerifies() {
        Manifest read = ManifestReader.read(JSON, VENDOR.sign(JSON), VENDOR.verifyingKey(), 0, NOW)
                .orElseThrow();

        assertThat(read).isEqualTo(MANIFEST);
        assertThat(read.image(TestFixtures.BOARD, V2.hash()))
                .hasValueSatisfying(i -> assertThat(i.isRevoked()).isFalse());
        assertThat(read.image(TestFixtures.BOARD, V1.hash()))
                .hasValueSatisfying(i -> assertThat(i.isRevoked()).isTrue());
        assertThat(read.signerKeys()).containsExactly(IMAGE_P256.verifyingKey(), IMAGE_ED25519.verifyingKey());
        assertThat(ManifestWriter.write(read)).isEqualTo(JSON);
    }

    @Test
    void ed25519VendorSignatureIsAcceptedToo() {
        SigningKey vendor = TestFixtures.VENDOR_ED25519;
        assertThat(ManifestReader.read(JSON, vendor.sign(JSON), vendor.verifyingKey(), 0, NOW)
                        .isOk())
                .isTrue();
    }

    @Test
    void anyChangedByteFailsTheSignatureBeforeParsing() {
        byte[] signature = VENDOR.sign(JSON);
        byte[] edited = JSON.clone();
        edited[JSON.length / 2] ^= 0x01;

        assertProblem(
                ManifestReader.read(edited, signature, VENDOR.verifyingKey(), 0, NOW),
                Problem.DOCUMENT_SIGNATURE_INVALID);
        // Garbage with a bad signature reports the signature, proving nothing was parsed.
        assertProblem(
                ManifestReader.read("{{{".getBytes(StandardCharsets.UTF_8), signature, VENDOR.verifyingKey(), 0, NOW),
                Problem.DOCUMENT_SIGNATURE_INVALID);
    }

    @Test
    void signatureFromAnotherKeyIsInvalid() {
        assertProblem(
                ManifestReader.read(JSON, TestFixtures.UNKNOWN_P256.sign(JSON), VENDOR.verifyingKey(), 0, NOW),
                Problem.DOCUMENT_SIGNATURE_INVALID);
    }

    @Test
    void mcubootExampleKeyIsRefusedAsManifestSigner() {
        SigningKey example = TestFixtures.mcubootExampleKey();
        assertProblem(
                ManifestReader.read(JSON, example.sign(JSON), example.verifyingKey(), 0, NOW),
                Problem.DOCUMENT_SIGNER_DENYLISTED);
    }

    @Test
    void olderSequenceThanTheTrustedOneIsRollbackAndEqualIsAccepted() {
        byte[] signature = VENDOR.sign(JSON);
        assertProblem(ManifestReader.read(JSON, signature, VENDOR.verifyingKey(), 6, NOW), Problem.DOCUMENT_ROLLBACK);
        assertThat(ManifestReader.read(JSON, signature, VENDOR.verifyingKey(), 5, NOW)
                        .isOk())
                .isTrue();
    }

    @Test
    void manifestPastItsExpiryIsExpired() {
        assertProblem(
                ManifestReader.read(JSON, VENDOR.sign(JSON), VENDOR.verifyingKey(), 0, MANIFEST.expiresAt()),
                Problem.DOCUMENT_EXPIRED);
    }

    @Test
    void signedGarbageIsMalformedJson() {
        assertSigned("{\"format\": ", Problem.DOCUMENT_MALFORMED_JSON);
        assertSigned("{\"a\":1,\"a\":2}", Problem.DOCUMENT_MALFORMED_JSON);
        assertSigned("{} {}", Problem.DOCUMENT_MALFORMED_JSON);
        assertSigned("[]", Problem.DOCUMENT_SCHEMA);
    }

    @Test
    void schemaErrorsNameTheFieldAndTheBadValue() {
        String json = new String(JSON, StandardCharsets.UTF_8);
        assertSigned(
                json.replace("\"sequence\" : 5", "\"sequence\" : 5.5"),
                Problem.DOCUMENT_SCHEMA,
                "sequence must be an integer");
        assertSigned(
                json.replace("\"status\" : \"allowed\"", "\"status\" : \"maybe\""),
                Problem.DOCUMENT_SCHEMA,
                "boards.aurora-sensor-v1.images[1].status must be \"allowed\" or \"revoked\", found \"maybe\"");
        assertSigned(
                json.replace("\"manifest_version\" : 1,", "\"manifest_version\" : 1, \"extra\" : 1,"),
                Problem.DOCUMENT_SCHEMA,
                "extra is not a known field");
        assertSigned(
                json.replace("\"hash_alg\" : \"sha-256\"", "\"hash_alg\" : \"sha-512\""),
                Problem.DOCUMENT_SCHEMA,
                "hash_alg");
        assertSigned(
                json.replace(V2.hash().hex(), V2.hash().hex().toUpperCase(Locale.ROOT)),
                Problem.DOCUMENT_SCHEMA,
                "lower-case hex");
        assertSigned(
                json.replace("\"version\" : \"1.1.0\"", "\"version\" : \"one\""), Problem.DOCUMENT_SCHEMA, "version");
    }

    @Test
    void imageSignedByAKeyTheManifestDoesNotAcceptIsInconsistent() {
        String json = new String(JSON, StandardCharsets.UTF_8)
                .replace(
                        "\"signer\" : \"" + IMAGE_P256.verifyingKey().keyHash().hex(),
                        "\"signer\" : \"" + "ab".repeat(32));
        assertSigned(json, Problem.DOCUMENT_INCONSISTENT, "not in signers");
    }

    @Test
    void duplicateImageHashIsInconsistent() {
        String json = new String(JSON, StandardCharsets.UTF_8)
                .replace(V1.hash().hex(), V2.hash().hex());
        assertSigned(json, Problem.DOCUMENT_INCONSISTENT, "distinct hashes");
    }

    @Test
    void mcubootExampleKeyAsAcceptedImageSignerIsDenyListed() {
        String exampleHash =
                TestFixtures.mcubootExampleKey().verifyingKey().keyHash().hex();
        String json = new String(JSON, StandardCharsets.UTF_8)
                .replaceFirst(
                        "\"key_hash\" : \"[0-9a-f]{64}\",\\s*\"public_key\" : \"[^\"]*\"",
                        "\"key_hash\" : \"" + exampleHash + "\"");
        assertSigned(json, Problem.KEY_DENYLISTED, "MCUboot example key");
    }

    @Test
    void publicKeyThatDoesNotMatchItsKeyHashIsInconsistent() {
        String json = new String(JSON, StandardCharsets.UTF_8)
                .replaceFirst("\"key_hash\" : \"[0-9a-f]{64}\"", "\"key_hash\" : \"" + "cd".repeat(32) + "\"");
        assertSigned(json, Problem.DOCUMENT_INCONSISTENT, "hashes to");
    }

    @Test
    void oversizedManifestIsRefusedBeforeTheSignatureCheck() {
        byte[] huge = new byte[ManifestReader.MAX_BYTES + 1];
        assertProblem(
                ManifestReader.read(huge, VENDOR.sign(huge), VENDOR.verifyingKey(), 0, NOW),
                Problem.DOCUMENT_TOO_LARGE);
    }

    private static void assertSigned(String json, Problem problem, String... detailParts) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        Result<Manifest> result = ManifestReader.read(bytes, VENDOR.sign(bytes), VENDOR.verifyingKey(), 0, NOW);
        assertThat(result).isInstanceOfSatisfying(Result.Failed.class, f -> {
            assertThat(f.problem()).isEqualTo(problem);
            for (String part : detailParts) {
                assertThat(f.detail()).contains(part);
            }
        });
    }

    static void assertProblem(Result<?> result, Problem problem) {
        assertThat(result)
                .isInstanceOfSatisfying(
                        Result.Failed.class, f -> assertThat(f.problem()).isEqualTo(problem));
    }
}
