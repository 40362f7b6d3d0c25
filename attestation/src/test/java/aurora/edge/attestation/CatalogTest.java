package aurora.edge.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.attestation.evidence.Verdict;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CatalogTest {
    @Test
    void problemCodesAreDistinctDottedAndLowerCase() {
        assertThat(Arrays.stream(Problem.values()).map(Problem::code))
                .doesNotHaveDuplicates()
                .allMatch(code -> code.matches("[a-z]+\\.[a-z_]+"));
    }

    @Test
    void verdictReasonCodesAreDistinctAndEachStatusHasAReason() {
        assertThat(Arrays.stream(Verdict.Reason.values()).map(Verdict.Reason::code))
                .doesNotHaveDuplicates();
        assertThat(Arrays.stream(Verdict.Reason.values()).map(Verdict.Reason::status))
                .containsAll(Arrays.asList(Verdict.Status.values()));
    }

    @Test
    void verdictRefusesAReasonThatExplainsAnotherStatus() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Verdict.Tampered(Verdict.Reason.HASH_REVOKED, "x"))
                .hasMessageContaining("TAMPERED")
                .hasMessageContaining("HASH_REVOKED");
    }
}
