package aurora.edge.sim;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.attestation.EvidenceLayout;
import aurora.edge.attestation.endorsement.EndorsedDevice;
import aurora.edge.attestation.endorsement.EndorsementList;
import aurora.edge.attestation.evidence.AuroraSocEvidence;
import aurora.edge.attestation.evidence.Challenge;
import aurora.edge.attestation.evidence.Evidence;
import aurora.edge.attestation.evidence.EvidenceVerifier;
import aurora.edge.attestation.evidence.HighWaterMarks;
import aurora.edge.attestation.evidence.Verdict;
import aurora.edge.firmware.SampleFirmware;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Simulated devices answer challenges with evidence the attestation library judges as each behaviour intends. */
class AttesterTest {
    private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
    private static final Firmware FIRMWARE = new Firmware();
    private static final EndorsementList ENDORSED = SampleFirmware.endorsements();
    private static final EvidenceVerifier VERIFIER = new EvidenceVerifier(SampleFirmware.manifest(NOW));

    @ParameterizedTest(name = "{0} on device {1} → {2} / {3}")
    @CsvSource({
        "HONEST,               42, TRUSTED,          ok",
        "HONEST,               49, TRUSTED,          ok",
        "TAMPERED_FIRMWARE,    42, UNKNOWN_FIRMWARE, unknown_hash",
        "TAMPERED_FIRMWARE,    49, UNKNOWN_FIRMWARE, unknown_hash",
        "EXAMPLE_KEY_FIRMWARE, 49, TAMPERED,         signer_denylisted",
        "REVOKED_FIRMWARE,     42, REVOKED,          hash_revoked",
        "WRONG_KEY,            42, TAMPERED,         bad_signature",
        "REPLAYED_EVIDENCE,    42, TAMPERED,         wrong_request",
        "FLOOD,                42, TRUSTED,          ok"
    })
    void answersAChallengeWithEvidenceThatGetsTheIntendedVerdict(
            Behaviour behaviour, int index, Verdict.Status status, String reason) {
        String id = String.format(Locale.ROOT, "sim-%05d", index);
        String board = Firmware.boardOf(index);
        Attester attester =
                new Attester(id, behaviour, FIRMWARE.running(board, behaviour), EvidenceLayout.AURORA_V1, board);
        Challenge challenge = Challenge.issue("req-" + index, new SecureRandom(), NOW, Duration.ofMinutes(2));
        byte[] json = attester.answer(
                Challenge.parseCommand(challenge.toCommandJson(NOW), NOW).orElseThrow(), 17);

        Evidence evidence = Evidence.parse(json).orElseThrow();
        EndorsedDevice device = ENDORSED.device(id).orElseThrow();
        Verdict verdict = VERIFIER.verify(challenge, device, HighWaterMarks.NONE, evidence, NOW.plusSeconds(5));

        assertThat(verdict.status()).as("%s", verdict).isEqualTo(status);
        assertThat(verdict.reason().code()).isEqualTo(reason);
        assertThat(evidence.claims().bootCount()).isEqualTo(behaviour == Behaviour.REPLAYED_EVIDENCE ? 16 : 17);
    }

    @ParameterizedTest(name = "stock {0} on device {1} → {2} / {3}")
    @CsvSource({
        "HONEST,               42, TRUSTED,          ok",
        "HONEST,               49, TRUSTED,          ok",
        "TAMPERED_FIRMWARE,    42, UNKNOWN_FIRMWARE, unknown_hash",
        "REVOKED_FIRMWARE,     49, REVOKED,          hash_revoked",
        "WRONG_KEY,            42, TAMPERED,         bad_signature",
        "REPLAYED_EVIDENCE,    42, TRUSTED,          ok"
    })
    void asStockAuroraSocFirmwareAnswersTheRequestInItsJsonWithADerSignature(
            Behaviour behaviour, int index, Verdict.Status status, String reason) {
        String id = String.format(Locale.ROOT, "sim-%05d", index);
        String board = Firmware.boardOf(index);
        Attester attester =
                new Attester(id, behaviour, FIRMWARE.running(board, behaviour), EvidenceLayout.AURORASOC, board);
        Challenge challenge = Challenge.issue("req-" + index, new SecureRandom(), NOW, Duration.ofMinutes(2));
        byte[] json = attester.answer(
                Challenge.parseAuroraSocRequest(challenge.toAuroraSocRequestJson(NOW), NOW)
                        .orElseThrow(),
                17);

        AuroraSocEvidence evidence = AuroraSocEvidence.parse(json).orElseThrow();
        EndorsedDevice device = ENDORSED.device(id).orElseThrow();
        Verdict verdict = VERIFIER.verify(challenge, device, HighWaterMarks.NONE, evidence, NOW.plusSeconds(5));

        assertThat(verdict.status()).as("%s", verdict).isEqualTo(status);
        assertThat(verdict.reason().code()).isEqualTo(reason);
        assertThat(evidence.signature()[0]).as("DER").isEqualTo((byte) 0x30);
        assertThat(evidence.firmwareStack()).isEqualTo("rust_embassy");
        assertThat(evidence.boardFamily()).isEqualTo(board);
    }

    @ParameterizedTest(name = "stock self-report of {0}")
    @CsvSource({"HONEST, TRUSTED, ok", "REPLAYED_EVIDENCE, TAMPERED, replayed"})
    void stockSelfReportsCarryNoNonceAndAReplayIsOfThePreviousBoot(
            Behaviour behaviour, Verdict.Status status, String reason) {
        String id = "sim-00042";
        Attester attester = new Attester(
                id,
                behaviour,
                FIRMWARE.running(Firmware.boardOf(42), behaviour),
                EvidenceLayout.AURORASOC,
                Firmware.boardOf(42));
        AuroraSocEvidence report = AuroraSocEvidence.parse(
                        behaviour == Behaviour.REPLAYED_EVIDENCE ? attester.replay(17) : attester.selfReport(17))
                .orElseThrow();

        Verdict verdict =
                VERIFIER.verifySelfReport(ENDORSED.device(id).orElseThrow(), new HighWaterMarks(0, 17), report);

        assertThat(report.nonce()).isEmpty();
        assertThat(verdict.status()).as("%s", verdict).isEqualTo(status);
        assertThat(verdict.reason().code()).isEqualTo(reason);
    }
}
