package aurora.edge.attestation.evidence;

import static aurora.edge.attestation.TestFixtures.IMAGE_ED25519;
import static aurora.edge.attestation.TestFixtures.IMAGE_P256;
import static aurora.edge.attestation.TestFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.attestation.TestFixtures;
import aurora.edge.attestation.dev.DevDeviceKeys;
import aurora.edge.attestation.endorsement.EndorsedDevice;
import aurora.edge.attestation.keys.SigningKey;
import aurora.edge.attestation.manifest.ImageStatus;
import aurora.edge.attestation.manifest.Manifest;
import aurora.edge.attestation.mcuboot.ImageVersion;
import aurora.edge.attestation.mcuboot.VerifiedImage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EvidenceVerifierTest {
    static final VerifiedImage REVOKED = TestFixtures.verified(TestFixtures.signedImage(IMAGE_P256, "1.0.0", 1));
    static final VerifiedImage GOOD = TestFixtures.verified(TestFixtures.signedImage(IMAGE_P256, "1.1.0", 2));
    static final VerifiedImage NEWER = TestFixtures.verified(TestFixtures.signedImage(IMAGE_ED25519, "1.2.0", 3));
    static final VerifiedImage OLD = TestFixtures.verified(TestFixtures.signedImage(IMAGE_P256, "0.9.0", 0));
    static final VerifiedImage UNLISTED = TestFixtures.verified(TestFixtures.signedImage(IMAGE_P256, "9.9.9", 9));
    static final Manifest MANIFEST = TestFixtures.manifest(
            1,
            1,
            List.of(
                    TestFixtures.entry(REVOKED, ImageStatus.REVOKED), TestFixtures.entry(GOOD, ImageStatus.ALLOWED),
                    TestFixtures.entry(NEWER, ImageStatus.ALLOWED), TestFixtures.entry(OLD, ImageStatus.ALLOWED)));
    static final String DEVICE_ID = "sim-00042";
    static final SigningKey DEVICE_KEY = DevDeviceKeys.simFleet().privateKeyFor(DEVICE_ID);
    static final EndorsedDevice DEVICE = new EndorsedDevice(DEVICE_ID, TestFixtures.BOARD, DEVICE_KEY.verifyingKey());
    static final EvidenceSigner SIGNER = new EvidenceSigner(DEVICE_ID, DEVICE_KEY);
    static final Challenge CHALLENGE = new Challenge("req-1", Nonce.of(new byte[32]), NOW.plusSeconds(60));
    static final EvidenceVerifier VERIFIER = new EvidenceVerifier(MANIFEST);

    @Test
    void honestDeviceOnAllowedFirmwareIsTrustedAndRaisesItsMarks() {
        Evidence evidence = SIGNER.answer(CHALLENGE, firmware(GOOD), 7);

        Verdict verdict = verify(evidence, new HighWaterMarks(1, 5));

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Trusted.class, t -> {
            assertThat(t.image().hash()).isEqualTo(GOOD.hash());
            assertThat(t.marks()).isEqualTo(new HighWaterMarks(2, 7));
        });
        assertThat(verdict.reason().code()).isEqualTo("ok");
    }

    @Test
    void evidenceSurvivesTheJsonRoundTripAndStillVerifies() {
        Evidence sent = SIGNER.answer(CHALLENGE, firmware(NEWER), 1);
        Evidence received = Evidence.parse(sent.toJson()).orElseThrow();

        assertThat(received).isEqualTo(sent);
        assertThat(verify(received, HighWaterMarks.NONE).status()).isEqualTo(Verdict.Status.TRUSTED);
    }

    @Test
    void answerAfterTheChallengeExpiredIsExpired() {
        Evidence evidence = SIGNER.answer(CHALLENGE, firmware(GOOD), 1);
        Verdict verdict = VERIFIER.verify(CHALLENGE, DEVICE, HighWaterMarks.NONE, evidence, CHALLENGE.expiresAt());
        assertVerdict(verdict, Verdict.Status.EXPIRED, Verdict.Reason.CHALLENGE_EXPIRED);
    }

    @Test
    void answerToAnotherRequestIsTampered() {
        Evidence evidence =
                SIGNER.answer(new Challenge("req-2", CHALLENGE.nonce(), CHALLENGE.expiresAt()), firmware(GOOD), 1);
        assertVerdict(verify(evidence, HighWaterMarks.NONE), Verdict.Status.TAMPERED, Verdict.Reason.WRONG_REQUEST);
    }

    @Test
    void evidenceNamingAnotherDeviceIsTampered() {
        Evidence evidence = new EvidenceSigner("sim-00043", DEVICE_KEY).answer(CHALLENGE, firmware(GOOD), 1);
        assertVerdict(verify(evidence, HighWaterMarks.NONE), Verdict.Status.TAMPERED, Verdict.Reason.WRONG_DEVICE);
    }

    @Test
    void replayedNonceIsTampered() {
        Challenge old = new Challenge(
                "req-1",
                Nonce.of(new byte[] {
                    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
                    28, 29, 30, 31, 32
                }),
                CHALLENGE.expiresAt());
        Evidence evidence = SIGNER.answer(old, firmware(GOOD), 1);
        assertVerdict(verify(evidence, HighWaterMarks.NONE), Verdict.Status.TAMPERED, Verdict.Reason.WRONG_NONCE);
    }

    @Test
    void evidenceSignedByAnUnendorsedKeyIsTampered() {
        SigningKey impostor = DevDeviceKeys.simFleet().privateKeyFor("sim-00043");
        Evidence evidence = new EvidenceSigner(DEVICE_ID, impostor).answer(CHALLENGE, firmware(GOOD), 1);
        assertVerdict(verify(evidence, HighWaterMarks.NONE), Verdict.Status.TAMPERED, Verdict.Reason.BAD_SIGNATURE);
    }

    @Test
    void firmwareSignedByTheMcubootExampleKeyIsTampered() {
        RunningFirmware firmware = new RunningFirmware(
                UNLISTED.hash(),
                UNLISTED.version(),
                9,
                TestFixtures.mcubootExampleKey().verifyingKey().keyHash());
        Evidence evidence = SIGNER.answer(CHALLENGE, firmware, 1);
        assertVerdict(verify(evidence, HighWaterMarks.NONE), Verdict.Status.TAMPERED, Verdict.Reason.SIGNER_DENYLISTED);
    }

    @Test
    void claimsThatContradictTheManifestAreTampered() {
        RunningFirmware liar = new RunningFirmware(
                GOOD.hash(), ImageVersion.parse("1.1.0"), 5, GOOD.signer().keyHash());
        Evidence evidence = SIGNER.answer(CHALLENGE, liar, 1);
        assertVerdict(
                verify(evidence, HighWaterMarks.NONE), Verdict.Status.TAMPERED, Verdict.Reason.CLAIMS_INCONSISTENT);
    }

    @Test
    void imageNotInTheManifestIsUnknownFirmware() {
        Evidence evidence = SIGNER.answer(CHALLENGE, firmware(UNLISTED), 1);
        assertVerdict(
                verify(evidence, HighWaterMarks.NONE), Verdict.Status.UNKNOWN_FIRMWARE, Verdict.Reason.UNKNOWN_HASH);
    }

    @Test
    void deviceOfABoardTheManifestDoesNotCoverIsUnknownFirmware() {
        EndorsedDevice other = new EndorsedDevice(DEVICE_ID, "nrf52840dk", DEVICE_KEY.verifyingKey());
        Evidence evidence = SIGNER.answer(CHALLENGE, firmware(GOOD), 1);
        Verdict verdict = VERIFIER.verify(CHALLENGE, other, HighWaterMarks.NONE, evidence, NOW);
        assertVerdict(verdict, Verdict.Status.UNKNOWN_FIRMWARE, Verdict.Reason.UNKNOWN_BOARD);
    }

    @Test
    void revokedImageIsRevoked() {
        Evidence evidence = SIGNER.answer(CHALLENGE, firmware(REVOKED), 1);
        Verdict verdict = verify(evidence, HighWaterMarks.NONE);
        assertVerdict(verdict, Verdict.Status.REVOKED, Verdict.Reason.HASH_REVOKED);
        assertThat(verdict.detail()).contains("test revocation");
    }

    @Test
    void imageRevokedByAnIocIsRevokedEvenIfTheManifestAllowsIt() {
        Evidence evidence = SIGNER.answer(CHALLENGE, firmware(GOOD), 1);
        Verdict verdict = new EvidenceVerifier(MANIFEST, Set.of(GOOD.hash()))
                .verify(CHALLENGE, DEVICE, HighWaterMarks.NONE, evidence, NOW);
        assertVerdict(verdict, Verdict.Status.REVOKED, Verdict.Reason.HASH_REVOKED);
    }

    @Test
    void imageBelowTheBoardMinimumSecurityCounterIsRevoked() {
        Evidence evidence = SIGNER.answer(CHALLENGE, firmware(OLD), 1);
        assertVerdict(
                verify(evidence, HighWaterMarks.NONE),
                Verdict.Status.REVOKED,
                Verdict.Reason.BELOW_MINIMUM_SECURITY_COUNTER);
    }

    @Test
    void securityCounterBelowTheDevicesHighWaterMarkIsADowngrade() {
        Evidence evidence = SIGNER.answer(CHALLENGE, firmware(GOOD), 9);
        assertVerdict(
                verify(evidence, new HighWaterMarks(3, 1)),
                Verdict.Status.DOWNGRADE,
                Verdict.Reason.SECURITY_COUNTER_BACKWARDS);
    }

    @Test
    void bootCountGoingBackwardsIsADowngradeAndEqualIsFine() {
        Evidence evidence = SIGNER.answer(CHALLENGE, firmware(GOOD), 4);
        assertVerdict(
                verify(evidence, new HighWaterMarks(2, 5)),
                Verdict.Status.DOWNGRADE,
                Verdict.Reason.BOOT_COUNT_BACKWARDS);
        assertThat(verify(evidence, new HighWaterMarks(2, 4)).status()).isEqualTo(Verdict.Status.TRUSTED);
    }

    @Test
    void challengeIssuedWithATtlExpiresExactlyThen() {
        Challenge issued = Challenge.issue("r", new java.security.SecureRandom(), NOW, Duration.ofMinutes(2));
        assertThat(issued.isExpired(NOW.plusSeconds(119))).isFalse();
        assertThat(issued.isExpired(NOW.plusSeconds(120))).isTrue();
    }

    static RunningFirmware firmware(VerifiedImage image) {
        return RunningFirmware.of(image.image());
    }

    static Verdict verify(Evidence evidence, HighWaterMarks marks) {
        return VERIFIER.verify(CHALLENGE, DEVICE, marks, evidence, NOW);
    }

    static void assertVerdict(Verdict verdict, Verdict.Status status, Verdict.Reason reason) {
        assertThat(verdict.status()).as(verdict.detail()).isEqualTo(status);
        assertThat(verdict.reason()).isEqualTo(reason);
        assertThat(verdict.detail()).isNotBlank();
    }
}
