package aurora.edge.attestation.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.attestation.Problem;
import aurora.edge.attestation.Result;
import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.mcuboot.ImageVersion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class EvidenceFormatTest {
    static final Sha256 HASH = Sha256.fromHex("11".repeat(32));
    static final Sha256 SIGNER = Sha256.fromHex("22".repeat(32));
    static final Nonce NONCE = Nonce.of(filled(0x33));
    static final Claims CLAIMS = new Claims(
            "dev-1", NONCE, HASH, new ImageVersion(1, 2, 0x0304, 0x05060708L), 0x0a0b0c0dL, 0x01020304L, SIGNER);

    @Test
    void auroraV1MessageIsTheDocumentedFixedLayout() {
        byte[] message = EvidenceMessage.toBeSigned(CLAIMS);

        assertThat(message).hasSize(191);
        String hex = HexFormat.of().formatHex(message);
        assertThat(hex)
                .isEqualTo(HexFormat.of().formatHex("AURORA-ATT-v1\0".getBytes(StandardCharsets.US_ASCII))
                        + "05" + HexFormat.of().formatHex("dev-1".getBytes(StandardCharsets.US_ASCII)) + "00".repeat(59)
                        + "33".repeat(32) + "11".repeat(32) + "22".repeat(32)
                        + "01" + "02" + "0304" + "05060708"
                        + "0a0b0c0d"
                        + "01020304");
    }

    @Test
    void evidenceJsonHasTheDocumentedFields() {
        Evidence evidence = new Evidence("req-1", CLAIMS, new byte[] {1, 2, 3});

        assertThat(new String(evidence.toJson(), StandardCharsets.UTF_8))
                .isEqualTo("{\"request_id\":\"req-1\",\"device_id\":\"dev-1\","
                        + "\"nonce\":\"" + NONCE.base64Url() + "\",\"fw_hash\":\"" + HASH.hex()
                        + "\",\"fw_version\":\"1.2.772+84281096\","
                        + "\"security_counter\":168496141,\"boot\":16909060,\"signer\":\"" + SIGNER.hex()
                        + "\",\"layout\":\"aurora-v1\",\"sig\":\"AQID\"}");
        assertThat(Evidence.parse(evidence.toJson()).orElseThrow()).isEqualTo(evidence);
    }

    @Test
    void malformedEvidenceGivesATypedProblemNamingTheField() {
        String good = new String(new Evidence("req-1", CLAIMS, new byte[] {1, 2, 3}).toJson(), StandardCharsets.UTF_8);

        assertProblem("x".repeat(3000), Problem.MESSAGE_TOO_LARGE, "size");
        assertProblem("{\"request_id\":", Problem.MESSAGE_MALFORMED_JSON, "");
        assertProblem("[1]", Problem.MESSAGE_SCHEMA, "top level");
        assertProblem(good.replace("\"boot\":16909060,", ""), Problem.MESSAGE_SCHEMA, "boot is missing");
        assertProblem(
                good.replace("16909060", "-1"), Problem.MESSAGE_SCHEMA, "boot must be in [0, 4294967295], found -1");
        assertProblem(good.replace("16909060", "4294967296"), Problem.MESSAGE_SCHEMA, "boot must be in");
        assertProblem(good.replace("16909060", "1.5"), Problem.MESSAGE_SCHEMA, "boot must be an integer");
        assertProblem(good.replace("16909060", "\"7\""), Problem.MESSAGE_SCHEMA, "boot must be an integer");
        assertProblem(good.replace("aurora-v1", "cbor"), Problem.MESSAGE_SCHEMA, "layout must be");
        // Stock AuroraSOC evidence has its own JSON shape; our shape relabelled "aurorasoc" is nothing.
        assertProblem(good.replace("aurora-v1", "aurorasoc"), Problem.MESSAGE_SCHEMA, "layout must be \"aurora-v1\"");
        assertProblem(good.replace(NONCE.base64Url(), "short"), Problem.MESSAGE_SCHEMA, "nonce must be 43");
        assertProblem(good.replace("\"AQID\"", "\"AQ==\""), Problem.MESSAGE_SCHEMA, "sig must be");
        assertProblem(good.replace("\"AQID\"", "\"AQJ\""), Problem.MESSAGE_SCHEMA, "canonical");
        assertProblem(good.replace(HASH.hex(), "zz"), Problem.MESSAGE_SCHEMA, "fw_hash");
        assertProblem(good.replace("dev-1", "dev 1"), Problem.MESSAGE_SCHEMA, "device_id");
        assertProblem(good.replace("req-1", "req/1"), Problem.MESSAGE_SCHEMA, "request_id");
        assertProblem(good.replace("\"layout\"", "\"layout\":\"x\",\"layout\""), Problem.MESSAGE_MALFORMED_JSON, "");
    }

    @Test
    void nonceWithNonCanonicalTrailingBitsIsRefused() {
        String canonical = NONCE.base64Url();
        char last = canonical.charAt(42);
        String sibling = canonical.substring(0, 42) + (char) (last + 1);
        assertThat(Nonce.fromBase64Url(canonical)).isEqualTo(NONCE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Nonce.fromBase64Url(sibling))
                .hasMessageContaining("canonical");
    }

    @Test
    void challengeCommandRoundTripsThroughTheDeviceParser() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Challenge challenge = new Challenge("3f0c7c2e-6c1d-4a5e-9d1e-0b9c1d6f2a10", NONCE, now.plusSeconds(120));

        byte[] command = challenge.toCommandJson(now);

        assertThat(new String(command, StandardCharsets.UTF_8))
                .isEqualTo("{\"action\":\"attest\",\"request_id\":\"3f0c7c2e-6c1d-4a5e-9d1e-0b9c1d6f2a10\","
                        + "\"nonce\":\"" + NONCE.base64Url() + "\",\"expires_in_s\":120}");
        assertThat(Challenge.parseCommand(command, now).orElseThrow()).isEqualTo(challenge);
    }

    @Test
    void malformedChallengeCommandIsATypedProblem() {
        Instant now = Instant.EPOCH;
        assertThat(Challenge.parseCommand("{\"action\":\"reboot\"}".getBytes(StandardCharsets.UTF_8), now))
                .isInstanceOfSatisfying(
                        Result.Failed.class, f -> assertThat(f.detail()).contains("action must be \"attest\""));
        assertThat(Challenge.parseCommand("nope".getBytes(StandardCharsets.UTF_8), now))
                .isInstanceOfSatisfying(
                        Result.Failed.class, f -> assertThat(f.problem()).isEqualTo(Problem.MESSAGE_MALFORMED_JSON));
    }

    private static void assertProblem(String json, Problem problem, String detail) {
        Result<Evidence> result = Evidence.parse(json.getBytes(StandardCharsets.UTF_8));
        assertThat(result).isInstanceOfSatisfying(Result.Failed.class, f -> {
            assertThat(f.problem()).as(f.detail()).isEqualTo(problem);
            assertThat(f.detail()).contains(detail);
        });
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
