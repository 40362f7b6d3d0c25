package aurora.edge.attestation.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.attestation.Result;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Evidence parsing never throws, and no single-byte change of honest evidence is still trusted. */
class EvidenceProperties {
    private static final List<byte[]> HONEST = List.of(
            EvidenceVerifierTest.SIGNER
                    .answer(
                            EvidenceVerifierTest.CHALLENGE,
                            EvidenceVerifierTest.firmware(EvidenceVerifierTest.GOOD),
                            12)
                    .toJson(),
            EvidenceVerifierTest.SIGNER
                    .answer(
                            EvidenceVerifierTest.CHALLENGE,
                            EvidenceVerifierTest.firmware(EvidenceVerifierTest.NEWER),
                            12)
                    .toJson());

    @Property(tries = 300)
    void randomBytesGiveATypedProblem(@ForAll @Size(max = 600) byte[] bytes) {
        assertThat(Evidence.parse(bytes)).isInstanceOf(Result.Failed.class);
        assertThat(Challenge.parseCommand(bytes, java.time.Instant.EPOCH)).isInstanceOf(Result.Failed.class);
        assertThat(AuroraSocEvidence.parse(bytes)).isInstanceOf(Result.Failed.class);
        assertThat(Challenge.parseAuroraSocRequest(bytes, java.time.Instant.EPOCH))
                .isInstanceOf(Result.Failed.class);
    }

    @Property(tries = 500)
    void anyChangedByteOfHonestEvidenceIsNeverTrusted(
            @ForAll @IntRange(min = 0, max = 1) int which,
            @ForAll @IntRange(min = 0, max = 1_000_000) int position,
            @ForAll @IntRange(min = 1, max = 255) int xor) {
        byte[] json = HONEST.get(which).clone();
        int at = position % json.length;
        json[at] ^= (byte) xor;

        Result<Evidence> parsed = Evidence.parse(json);
        if (parsed instanceof Result.Ok<Evidence> ok) {
            Verdict verdict = EvidenceVerifierTest.verify(ok.value(), HighWaterMarks.NONE);
            assertThat(verdict.status())
                    .as("byte %d changed to %s", at, (char) json[at])
                    .isNotEqualTo(Verdict.Status.TRUSTED);
        }
    }

    @Property(tries = 50)
    void honestEvidenceIsTrusted(@ForAll @IntRange(min = 0, max = 1) int which) {
        Evidence evidence = Evidence.parse(HONEST.get(which)).orElseThrow();
        assertThat(EvidenceVerifierTest.verify(evidence, HighWaterMarks.NONE).status())
                .isEqualTo(Verdict.Status.TRUSTED);
    }
}
