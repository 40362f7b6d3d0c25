package aurora.edge.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.attestation.endorsement.EndorsedDevice;
import aurora.edge.attestation.evidence.AuroraSocEvidence;
import aurora.edge.attestation.evidence.AuroraSocSigner;
import aurora.edge.attestation.evidence.Challenge;
import aurora.edge.attestation.evidence.EvidenceVerifier;
import aurora.edge.attestation.evidence.HighWaterMarks;
import aurora.edge.attestation.evidence.Nonce;
import aurora.edge.attestation.evidence.Verdict;
import aurora.edge.attestation.keys.SigningKey;
import aurora.edge.attestation.keys.VerifyingKey;
import aurora.edge.attestation.manifest.ImageStatus;
import aurora.edge.attestation.manifest.Manifest;
import aurora.edge.attestation.mcuboot.VerifiedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Known-answer tests for stock AuroraSOC evidence, made at test time by a signer nobody here wrote:
 * openssl generates a P-256 device key and signs the text {@code device_id + firmware_hash +
 * boot_count + nonce} that this test spells out by hand (not with our message builder). The
 * commands, so the vectors can be re-made by hand:
 * <pre>
 * openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out device.pem
 * openssl pkey -in device.pem -pubout -out device.pub.pem
 * printf '%s' "$DEVICE_ID$FIRMWARE_HASH$BOOT_COUNT$NONCE" > message.txt
 * openssl dgst -sha256 -sign device.pem -out sig.der message.txt      # DER, signature_hex = xxd -p sig.der
 * openssl asn1parse -inform DER -in sig.der                            # r and s, for the raw r||s variant
 * </pre>
 */
class AuroraSocOpensslTest {
    private static final VerifiedImage IMAGE =
            TestFixtures.verified(TestFixtures.signedImage(TestFixtures.IMAGE_P256, "2.0.0", 1));
    private static final Manifest MANIFEST =
            TestFixtures.manifest(1, 0, List.of(TestFixtures.entry(IMAGE, ImageStatus.ALLOWED)));
    private static final EvidenceVerifier VERIFIER = new EvidenceVerifier(MANIFEST);
    private static final String DEVICE_ID = "stm32_pac_01";
    private static final Pattern ASN1_INTEGER = Pattern.compile("prim:\\s+INTEGER\\s+:([0-9A-Fa-f]+)");

    @TempDir
    Path dir;

    Openssl openssl;
    EndorsedDevice device;
    Challenge challenge;

    @BeforeEach
    void opensslMakesTheDeviceKey() throws Exception {
        Assertions.assertTrue(
                Openssl.isInstalled(), "needs " + Openssl.BINARY + ": run `make test`, which installs it");
        openssl = new Openssl(dir);
        openssl.ok("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "device.pem");
        openssl.ok("pkey", "-in", "device.pem", "-pubout", "-out", "device.pub.pem");
        device = new EndorsedDevice(
                DEVICE_ID,
                TestFixtures.BOARD,
                VerifyingKey.fromPem(Files.readString(dir.resolve("device.pub.pem")))
                        .orElseThrow(),
                EvidenceLayout.AURORASOC);
        challenge = new Challenge(
                "r1", Nonce.of(HexFormat.of().parseHex("07a1".repeat(16))), TestFixtures.NOW.plusSeconds(60));
    }

    @Test
    void stockEvidenceWithAnOpensslDerSignatureAnsweringTheChallengeIsTrusted() throws Exception {
        String nonce = challenge.nonce().hex();
        byte[] der = opensslSign(DEVICE_ID + IMAGE.hash().hex() + 42 + nonce);

        AuroraSocEvidence evidence =
                parse(stockJson(IMAGE.hash().hex(), 42, HexFormat.of().formatHex(der), nonce));

        assertThat(HexFormat.of().formatHex(der)).startsWith("30"); // DER, as the documented sample "3044…"
        Verdict verdict = VERIFIER.verify(challenge, device, HighWaterMarks.NONE, evidence, TestFixtures.NOW);
        assertThat(verdict.status()).as(verdict.detail()).isEqualTo(Verdict.Status.TRUSTED);
        assertThat(((Verdict.Trusted) verdict).marks().bootCount()).isEqualTo(42);
    }

    @Test
    void stockEvidenceWithTheSameOpensslSignatureAsRawRAndSIsTrusted() throws Exception {
        String nonce = challenge.nonce().hex();
        byte[] der = opensslSign(DEVICE_ID + IMAGE.hash().hex() + 7 + nonce);
        String raw = rawFromOpensslAsn1Parse();

        AuroraSocEvidence evidence = parse(stockJson(IMAGE.hash().hex(), 7, raw, nonce));

        assertThat(raw).hasSize(128);
        assertThat(der.length).isNotEqualTo(64);
        Verdict verdict = VERIFIER.verify(challenge, device, HighWaterMarks.NONE, evidence, TestFixtures.NOW);
        assertThat(verdict.status()).as(verdict.detail()).isEqualTo(Verdict.Status.TRUSTED);
    }

    @Test
    void aSelfReportWithoutANonceVerifiesAsASelfReportButAnswersNoChallenge() throws Exception {
        byte[] der = opensslSign(DEVICE_ID + IMAGE.hash().hex() + 43);

        AuroraSocEvidence evidence =
                parse(stockJson(IMAGE.hash().hex(), 43, HexFormat.of().formatHex(der), null));

        assertThat(evidence.nonce()).isEmpty();
        assertThat(VERIFIER.verifySelfReport(device, HighWaterMarks.NONE, evidence)
                        .status())
                .isEqualTo(Verdict.Status.TRUSTED);
        assertVerdict(
                VERIFIER.verify(challenge, device, HighWaterMarks.NONE, evidence, TestFixtures.NOW),
                Verdict.Reason.WRONG_NONCE);
    }

    @Test
    void theHashIsSignedAsSpelledSoAnUpperCaseHashVerifies() throws Exception {
        String upper = IMAGE.hash().hex().toUpperCase(java.util.Locale.ROOT);
        byte[] der = opensslSign(DEVICE_ID + upper + 5 + "abc123def456");

        AuroraSocEvidence evidence = parse(stockJson(upper, 5, HexFormat.of().formatHex(der), "abc123def456"));

        assertThat(VERIFIER.verifySelfReport(device, HighWaterMarks.NONE, evidence)
                        .status())
                .isEqualTo(Verdict.Status.TRUSTED);
    }

    @Test
    void aChangedBootCountNonceOrSignatureByteIsABadSignature() throws Exception {
        String nonce = challenge.nonce().hex();
        String signature =
                HexFormat.of().formatHex(opensslSign(DEVICE_ID + IMAGE.hash().hex() + 42 + nonce));

        assertVerdict(
                VERIFIER.verify(
                        challenge,
                        device,
                        HighWaterMarks.NONE,
                        parse(stockJson(IMAGE.hash().hex(), 43, signature, nonce)),
                        TestFixtures.NOW),
                Verdict.Reason.BAD_SIGNATURE);
        assertVerdict(
                VERIFIER.verifySelfReport(
                        device,
                        HighWaterMarks.NONE,
                        parse(stockJson(IMAGE.hash().hex(), 42, signature, "x" + nonce))),
                Verdict.Reason.BAD_SIGNATURE);
        String last = signature.substring(signature.length() - 2);
        String flipped = signature.substring(0, signature.length() - 2) + (last.equals("00") ? "01" : "00");
        assertVerdict(
                VERIFIER.verify(
                        challenge,
                        device,
                        HighWaterMarks.NONE,
                        parse(stockJson(IMAGE.hash().hex(), 42, flipped, nonce)),
                        TestFixtures.NOW),
                Verdict.Reason.BAD_SIGNATURE);
    }

    @Test
    void opensslVerifiesWhatTheSimulatorsSignerSigns() throws Exception {
        SigningKey key =
                SigningKey.fromPem(Files.readString(dir.resolve("device.pem"))).orElseThrow();
        AuroraSocSigner signer = new AuroraSocSigner(DEVICE_ID, key, "stm32", "ada_spark", "2.0.0");

        AuroraSocEvidence der = signer.answer(challenge, IMAGE.hash().hex(), 9, AuroraSocSigner.Encoding.DER);
        AuroraSocEvidence raw = signer.answer(challenge, IMAGE.hash().hex(), 9, AuroraSocSigner.Encoding.RAW);

        openssl.write(
                "ours.txt",
                DEVICE_ID + IMAGE.hash().hex() + 9 + challenge.nonce().hex());
        openssl.write("ours.der", der.signature());
        assertThat(openssl.ok("dgst", "-sha256", "-verify", "device.pub.pem", "-signature", "ours.der", "ours.txt"))
                .contains("Verified OK");
        assertThat(raw.signature()).hasSize(64);
        assertThat(VERIFIER.verify(challenge, device, HighWaterMarks.NONE, parse(raw.toJson()), TestFixtures.NOW)
                        .status())
                .isEqualTo(Verdict.Status.TRUSTED);
    }

    private byte[] opensslSign(String text) throws Exception {
        openssl.write("message.txt", text.getBytes(StandardCharsets.UTF_8));
        openssl.ok("dgst", "-sha256", "-sign", "device.pem", "-out", "sig.der", "message.txt");
        return openssl.read("sig.der");
    }

    /** r and s as openssl's ASN.1 dump shows them, each left-padded to 32 bytes. */
    private String rawFromOpensslAsn1Parse() throws Exception {
        Matcher m = ASN1_INTEGER.matcher(openssl.ok("asn1parse", "-inform", "DER", "-in", "sig.der"));
        StringBuilder raw = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            assertThat(m.find()).as("openssl asn1parse shows r and s").isTrue();
            String hex = m.group(1).toLowerCase(java.util.Locale.ROOT).replaceFirst("^(00)+(?=..)", "");
            raw.append("0".repeat(64 - hex.length())).append(hex);
        }
        return raw.toString();
    }

    /** The JSON as stock firmware sends it, written out by hand (field order as documented). */
    private static byte[] stockJson(String hash, long boot, String signatureHex, String nonce) {
        return ("{\"device_id\":\"" + DEVICE_ID + "\",\"firmware_hash\":\"" + hash + "\",\"boot_count\":" + boot
                        + ",\"signature_hex\":\"" + signatureHex + "\""
                        + (nonce == null ? "" : ",\"nonce\":\"" + nonce + "\"")
                        + ",\"board_family\":\"stm32\",\"firmware_stack\":\"ada_spark\",\"firmware_version\":\"2.0.0\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static AuroraSocEvidence parse(byte[] json) {
        return AuroraSocEvidence.parse(json).orElseThrow();
    }

    private static void assertVerdict(Verdict verdict, Verdict.Reason reason) {
        assertThat(verdict.reason()).as(verdict.detail()).isEqualTo(reason);
    }
}
