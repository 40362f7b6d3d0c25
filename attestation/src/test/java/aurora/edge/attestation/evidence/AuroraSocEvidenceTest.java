package aurora.edge.attestation.evidence;

import static aurora.edge.attestation.TestFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.attestation.EvidenceLayout;
import aurora.edge.attestation.Problem;
import aurora.edge.attestation.Result;
import aurora.edge.attestation.TestFixtures;
import aurora.edge.attestation.endorsement.EndorsedDevice;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The {@code aurorasoc} layout: its JSON, its signed text, its challenge, and how it is appraised (openssl KATs: AuroraSocOpensslTest). */
class AuroraSocEvidenceTest {
    static final String HASH = EvidenceVerifierTest.GOOD.hash().hex();
    static final EndorsedDevice DEVICE = new EndorsedDevice(
            EvidenceVerifierTest.DEVICE_ID,
            TestFixtures.BOARD,
            EvidenceVerifierTest.DEVICE_KEY.verifyingKey(),
            EvidenceLayout.AURORASOC);
    static final AuroraSocSigner SIGNER = new AuroraSocSigner(
            EvidenceVerifierTest.DEVICE_ID, EvidenceVerifierTest.DEVICE_KEY, "nrf52840", "rust_embassy", "2.0.0");
    /** The sample on AuroraSOC's attestation-protocol page, verbatim (reference/aurorasoc.md §3.1). */
    static final String DOCUMENTED_SAMPLE = """
            {
              "device_id": "stm32_pac_01",
              "firmware_hash": "a3f2b8c1d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0",
              "boot_count": 42,
              "signature_hex": "304402201a2b3c4d...f0e1d2c3",
              "nonce": "abc123def456",
              "board_family": "stm32",
              "firmware_stack": "ada_spark",
              "firmware_version": "2.0.0"
            }""";

    @Test
    void signedMessageIsTheUndelimitedTextOfIdHashDecimalBootCountAndNonce() {
        String hash = "a3f2b8c1d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f001";
        AuroraSocEvidence e = new AuroraSocEvidence(
                "stm32_pac_01", hash, 42, "abc123def456", "stm32", "ada_spark", "2.0.0", new byte[64]);

        assertThat(new String(e.signedMessage(), StandardCharsets.UTF_8))
                .isEqualTo("stm32_pac_01" + hash + "42abc123def456");
        assertThat(new String(
                        new AuroraSocEvidence("d", hash, 0, "", null, null, null, new byte[64]).signedMessage(),
                        StandardCharsets.UTF_8))
                .isEqualTo("d" + hash + "0");
    }

    @Test
    void theDocumentedSampleHasOurFieldsButIsTooElidedToVerify() {
        // Its hash has 62 digits and its signature is cut with "...": it pins the shape, not a signature.
        assertProblem(DOCUMENTED_SAMPLE, "firmware_hash must be 64 hex digits");
        String fullHash = DOCUMENTED_SAMPLE.replace("d8e9f0\"", "d8e9f000\"");
        assertProblem(fullHash, "signature_hex must be");

        AuroraSocEvidence e = AuroraSocEvidence.parse(
                        fullHash.replace("...", "00").getBytes(StandardCharsets.UTF_8))
                .orElseThrow();
        assertThat(e.deviceId()).isEqualTo("stm32_pac_01");
        assertThat(e.bootCount()).isEqualTo(42);
        assertThat(e.nonce()).isEqualTo("abc123def456");
        assertThat(e.boardFamily()).isEqualTo("stm32");
        assertThat(e.firmwareStack()).isEqualTo("ada_spark");
        assertThat(e.firmwareVersion()).isEqualTo("2.0.0");
        assertThat(e.signature()).startsWith(0x30, 0x44, 0x02, 0x20);
    }

    @Test
    void jsonIsTheStockShapeAndRoundTrips() {
        AuroraSocEvidence sent = SIGNER.sign(HASH, 3, "0a".repeat(32), AuroraSocSigner.Encoding.DER);

        String json = new String(sent.toJson(), StandardCharsets.UTF_8);

        assertThat(json)
                .startsWith("{\"device_id\":\"sim-00042\",\"firmware_hash\":\"" + HASH
                        + "\",\"boot_count\":3,\"signature_hex\":\"30")
                .endsWith("\"nonce\":\"" + "0a".repeat(32)
                        + "\",\"board_family\":\"nrf52840\",\"firmware_stack\":\"rust_embassy\","
                        + "\"firmware_version\":\"2.0.0\"}");
        assertThat(AuroraSocEvidence.parse(sent.toJson()).orElseThrow()).isEqualTo(sent);
        assertThat(new String(
                        SIGNER.sign(HASH, 3, "", AuroraSocSigner.Encoding.RAW).toJson(), StandardCharsets.UTF_8))
                .doesNotContain("nonce");
    }

    @Test
    void malformedStockEvidenceGivesATypedProblemNamingTheField() {
        String good = new String(
                SIGNER.sign(HASH, 3, "n1", AuroraSocSigner.Encoding.DER).toJson(), StandardCharsets.UTF_8);

        assertProblem(good.replace("\"boot_count\":3,", ""), "boot_count is missing");
        assertProblem(good.replace("\"boot_count\":3", "\"boot_count\":-3"), "boot_count must be in");
        assertProblem(good.replace("\"boot_count\":3", "\"boot_count\":3.5"), "boot_count must be an integer");
        assertProblem(good.replace("\"boot_count\":3", "\"boot_count\":\"3\""), "boot_count must be an integer");
        assertProblem(good.replace(HASH, HASH.substring(2)), "firmware_hash must be 64 hex digits");
        assertProblem(good.replace("\"signature_hex\":\"30", "\"signature_hex\":\"3"), "signature_hex must be");
        assertProblem(good.replace("\"signature_hex\":\"30", "\"signature_hex\":\"zz"), "signature_hex must be");
        assertProblem(good.replace("sim-00042", "sim/00042"), "deviceId must match");
        assertProblem(good.replace("\"n1\"", "7"), "nonce must be a string");
        assertThat(AuroraSocEvidence.parse(good.replace("\"n1\"", "null").getBytes(StandardCharsets.UTF_8))
                        .orElseThrow()
                        .nonce())
                .isEmpty();
    }

    @Test
    void challengeRequestIsTheStockJsonWithAHexNonceAndRoundTrips() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Challenge challenge = new Challenge("3f0c7c2e", Nonce.of(new byte[32]), now.plusSeconds(90));

        byte[] request = challenge.toAuroraSocRequestJson(now);

        assertThat(new String(request, StandardCharsets.UTF_8))
                .isEqualTo("{\"nonce\":\"" + "00".repeat(32) + "\",\"request_id\":\"3f0c7c2e\",\"expires_in_s\":90}");
        assertThat(Challenge.parseAuroraSocRequest(request, now).orElseThrow()).isEqualTo(challenge);
        assertThat(Challenge.parseAuroraSocRequest(challenge.toCommandJson(now), now))
                .isInstanceOf(Result.Failed.class);
    }

    @Test
    void anAnswerToTheChallengeIsTrustedAndRaisesTheBootMark() {
        Challenge c = EvidenceVerifierTest.CHALLENGE;
        Verdict verdict = verifier()
                .verify(
                        c,
                        DEVICE,
                        new HighWaterMarks(1, 5),
                        SIGNER.answer(c, HASH, 7, AuroraSocSigner.Encoding.DER),
                        NOW);

        assertThat(verdict)
                .isInstanceOfSatisfying(
                        Verdict.Trusted.class, t -> assertThat(t.marks()).isEqualTo(new HighWaterMarks(2, 7)));
    }

    @Test
    void aBootCountBelowOneAlreadyVerifiedIsAReplayAndAnEqualOneIsFine() {
        AuroraSocEvidence old = SIGNER.sign(HASH, 4, "", AuroraSocSigner.Encoding.DER);

        assertVerdict(
                verifier().verifySelfReport(DEVICE, new HighWaterMarks(2, 5), old),
                Verdict.Status.TAMPERED,
                Verdict.Reason.REPLAYED);
        assertThat(verifier()
                        .verifySelfReport(DEVICE, new HighWaterMarks(2, 4), old)
                        .status())
                .isEqualTo(Verdict.Status.TRUSTED);
        Challenge c = EvidenceVerifierTest.CHALLENGE;
        assertVerdict(
                verifier()
                        .verify(
                                c,
                                DEVICE,
                                new HighWaterMarks(2, 5),
                                SIGNER.answer(c, HASH, 4, AuroraSocSigner.Encoding.RAW),
                                NOW),
                Verdict.Status.TAMPERED,
                Verdict.Reason.REPLAYED);
    }

    @Test
    void appraisalIsTheManifestsAndTheUnsignedFieldsDecideNothing() {
        AuroraSocSigner liar = new AuroraSocSigner(
                EvidenceVerifierTest.DEVICE_ID, EvidenceVerifierTest.DEVICE_KEY, "other", "other", "99.0");
        assertThat(verifier()
                        .verifySelfReport(
                                DEVICE, HighWaterMarks.NONE, liar.sign(HASH, 1, "", AuroraSocSigner.Encoding.DER))
                        .status())
                .isEqualTo(Verdict.Status.TRUSTED);
        assertVerdict(
                verifier()
                        .verifySelfReport(
                                DEVICE,
                                HighWaterMarks.NONE,
                                SIGNER.sign(
                                        EvidenceVerifierTest.UNLISTED.hash().hex(),
                                        1,
                                        "",
                                        AuroraSocSigner.Encoding.DER)),
                Verdict.Status.UNKNOWN_FIRMWARE,
                Verdict.Reason.UNKNOWN_HASH);
        assertVerdict(
                verifier()
                        .verifySelfReport(
                                DEVICE,
                                HighWaterMarks.NONE,
                                SIGNER.sign(
                                        EvidenceVerifierTest.REVOKED.hash().hex(),
                                        1,
                                        "",
                                        AuroraSocSigner.Encoding.DER)),
                Verdict.Status.REVOKED,
                Verdict.Reason.HASH_REVOKED);
        assertVerdict(
                verifier()
                        .verifySelfReport(
                                DEVICE,
                                new HighWaterMarks(3, 0),
                                SIGNER.sign(HASH, 1, "", AuroraSocSigner.Encoding.DER)),
                Verdict.Status.DOWNGRADE,
                Verdict.Reason.SECURITY_COUNTER_BACKWARDS);
    }

    @Test
    void aWrongNonceAnotherDevicesEvidenceOrALateAnswerIsRefused() {
        Challenge c = EvidenceVerifierTest.CHALLENGE;
        AuroraSocEvidence answer = SIGNER.answer(c, HASH, 1, AuroraSocSigner.Encoding.DER);
        assertVerdict(
                verifier()
                        .verify(
                                c,
                                DEVICE,
                                HighWaterMarks.NONE,
                                SIGNER.sign(HASH, 1, "11".repeat(32), AuroraSocSigner.Encoding.DER),
                                NOW),
                Verdict.Status.TAMPERED,
                Verdict.Reason.WRONG_NONCE);
        EndorsedDevice other =
                new EndorsedDevice("sim-00043", TestFixtures.BOARD, EvidenceVerifierTest.DEVICE_KEY.verifyingKey());
        assertVerdict(
                verifier().verify(c, other, HighWaterMarks.NONE, answer, NOW),
                Verdict.Status.TAMPERED,
                Verdict.Reason.WRONG_DEVICE);
        assertVerdict(
                verifier().verify(c, DEVICE, HighWaterMarks.NONE, answer, c.expiresAt()),
                Verdict.Status.EXPIRED,
                Verdict.Reason.CHALLENGE_EXPIRED);
        AuroraSocEvidence upper = new AuroraSocEvidence(
                answer.deviceId(),
                answer.firmwareHashText(),
                1,
                answer.nonce().toUpperCase(java.util.Locale.ROOT),
                null,
                null,
                null,
                answer.signature());
        assertThat(EvidenceVerifier.answers(upper, c)).isTrue();
    }

    private static EvidenceVerifier verifier() {
        return EvidenceVerifierTest.VERIFIER;
    }

    private static void assertVerdict(Verdict verdict, Verdict.Status status, Verdict.Reason reason) {
        assertThat(verdict.status()).as(verdict.detail()).isEqualTo(status);
        assertThat(verdict.reason()).isEqualTo(reason);
    }

    private static void assertProblem(String json, String detail) {
        Result<AuroraSocEvidence> result = AuroraSocEvidence.parse(json.getBytes(StandardCharsets.UTF_8));
        assertThat(result).isInstanceOfSatisfying(Result.Failed.class, f -> {
            assertThat(f.problem()).as(f.detail()).isEqualTo(Problem.MESSAGE_SCHEMA);
            assertThat(f.detail()).contains(detail);
        });
    }
}
