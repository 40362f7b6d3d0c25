package aurora.edge.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

/** The character-by-character check answers exactly as the documented rule ({@link DeviceId#SYNTAX}). */
class DeviceIdTest {
    @Property
    void theCheckAgreesWithTheRuleForIdLikeStrings(
            @ForAll
                    @StringLength(max = 70)
                    @CharRange(from = 'A', to = 'z')
                    @Chars({'-', '_', '0', '9', '.', '/', ' ', '\u00e9'})
                    String candidate) {
        assertThat(DeviceId.isValid(candidate))
                .isEqualTo(DeviceId.SYNTAX.matcher(candidate).matches());
    }

    @Property
    void theCheckAgreesWithTheRuleForAnyString(@ForAll @StringLength(max = 80) String candidate) {
        assertThat(DeviceId.isValid(candidate))
                .isEqualTo(DeviceId.SYNTAX.matcher(candidate).matches());
    }

    @Property(tries = 10)
    void sixtyFourCharactersAreTheLongestId(@ForAll @CharRange(from = 'a', to = 'z') char c) {
        assertThat(DeviceId.isValid(String.valueOf(c).repeat(64))).isTrue();
        assertThat(DeviceId.isValid(String.valueOf(c).repeat(65))).isFalse();
        assertThat(DeviceId.isValid("")).isFalse();
    }
}
