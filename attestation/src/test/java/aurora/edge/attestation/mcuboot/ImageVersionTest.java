package aurora.edge.attestation.mcuboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageVersionTest {
    @Test
    void parsesEveryFormImgtoolAccepts() {
        assertThat(ImageVersion.parse("1")).isEqualTo(new ImageVersion(1, 0, 0, 0));
        assertThat(ImageVersion.parse("1.2")).isEqualTo(new ImageVersion(1, 2, 0, 0));
        assertThat(ImageVersion.parse("1.2.3")).isEqualTo(new ImageVersion(1, 2, 3, 0));
        assertThat(ImageVersion.parse("255.255.65535+4294967295"))
                .isEqualTo(new ImageVersion(255, 255, 65535, 4294967295L));
        assertThat(ImageVersion.parse("1.4.2+17")).hasToString("1.4.2+17");
    }

    @Test
    void refusesOutOfRangeLeadingZerosAndGarbageNamingTheField() {
        assertThatThrownBy(() -> ImageVersion.parse("256.0.0"))
                .hasMessageContaining("major")
                .hasMessageContaining("256");
        assertThatThrownBy(() -> ImageVersion.parse("1.02.0")).hasMessageContaining("1.02.0");
        assertThatThrownBy(() -> ImageVersion.parse("v1")).hasMessageContaining("maj.min.rev+build");
        assertThatThrownBy(() -> ImageVersion.parse("1.2.3+")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordersByMajorMinorRevisionAndIgnoresTheBuildNumber() {
        assertThat(ImageVersion.parse("1.2.3+9")).isEqualByComparingTo(ImageVersion.parse("1.2.3+1"));
        assertThat(ImageVersion.parse("1.10.0")).isGreaterThan(ImageVersion.parse("1.9.65535"));
    }

    @Test
    void autoSecurityCounterIsImgtoolsFormula() {
        assertThat(ImageVersion.parse("1.2.0").autoSecurityCounter()).isEqualTo(16908288L);
        assertThat(ImageVersion.parse("1.4.2").autoSecurityCounter()).isEqualTo(17039362L);
    }
}
