package aurora.edge.gateway.attest;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.attestation.Result;
import aurora.edge.attestation.endorsement.EndorsementReader;
import aurora.edge.attestation.evidence.Evidence;
import aurora.edge.attestation.keys.KeyAlgorithm;
import aurora.edge.attestation.keys.SigningKey;
import aurora.edge.attestation.manifest.ManifestReader;
import aurora.edge.testing.FuzzCorpus;
import java.security.SecureRandom;
import java.time.Instant;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the parsers behind attestation as the gateway feeds them: device evidence (device-chosen
 * bytes), and manifests and endorsement lists even when correctly signed (a vendor's tooling bug
 * must not crash the gateway). Every input ends as a value or a typed problem with a stable code.
 */
class AttestationInputFuzzTest {
    private static final FuzzCorpus EVIDENCE = FuzzCorpus.named("evidence");
    private static final FuzzCorpus MANIFESTS = FuzzCorpus.named("manifest");
    private static final FuzzCorpus ENDORSEMENTS = FuzzCorpus.named("endorsement");
    private static final SigningKey VENDOR = SigningKey.generate(KeyAlgorithm.ED25519, new SecureRandom());

    @Property
    void evidenceParsesOrNamesItsProblem(@ForAll("evidence") byte[] json) {
        assertStableOutcome(Evidence.parse(json));
    }

    @Property
    void signedManifestsParseOrNameTheirProblem(@ForAll("manifests") byte[] json) {
        assertStableOutcome(ManifestReader.read(json, VENDOR.sign(json), VENDOR.verifyingKey(), 0, Instant.EPOCH));
        assertStableOutcome(ManifestReader.checkBeforeSigning(json));
    }

    @Property
    void signedEndorsementListsParseOrNameTheirProblem(@ForAll("endorsements") byte[] json) {
        assertStableOutcome(EndorsementReader.read(json, VENDOR.sign(json), VENDOR.verifyingKey(), 0));
    }

    private static void assertStableOutcome(Result<?> result) {
        assertThat(result).isNotNull();
        if (result instanceof Result.Failed<?> failed) {
            assertThat(failed.problem().code()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<byte[]> evidence() {
        return EVIDENCE.inputs();
    }

    @Provide
    Arbitrary<byte[]> manifests() {
        return MANIFESTS.inputs();
    }

    @Provide
    Arbitrary<byte[]> endorsements() {
        return ENDORSEMENTS.inputs();
    }
}
