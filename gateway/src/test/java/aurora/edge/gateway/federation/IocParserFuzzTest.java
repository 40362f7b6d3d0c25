package aurora.edge.gateway.federation;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.testing.FuzzCorpus;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever arrives on the IOC subject is actionable, not ours, or poison with a reason; nothing throws. */
class IocParserFuzzTest {
    private static final FuzzCorpus CORPUS = FuzzCorpus.named("ioc");
    private final IocParser parser = new IocParser();

    @Property
    void everyMessageGetsAStableOutcome(@ForAll("messages") byte[] message) {
        IocParser.Parsed parsed = parser.parse(message);
        assertThat(parsed).isNotNull();
        if (parsed instanceof IocParser.Parsed.Poison poison) {
            assertThat(poison.reason()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<byte[]> messages() {
        return CORPUS.inputs();
    }
}
