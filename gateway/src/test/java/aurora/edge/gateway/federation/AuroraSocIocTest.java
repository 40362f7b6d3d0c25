package aurora.edge.gateway.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** AuroraSOC's own IOC shape ({@code {"type","value",...}}) on AURORA.ioc_sharing, next to STIX indicators. */
class AuroraSocIocTest {
    private static final String HASH = "ab".repeat(32);
    private final IocParser parser = new IocParser();

    private IocParser.Parsed parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aHashSha256IocRevokesThatFirmwareHashUnderAStableIdDerivedFromTypeAndValue() {
        IocParser.Parsed first = parse("{\"type\":\"hash_sha256\",\"value\":\"" + HASH.toUpperCase(Locale.ROOT)
                + "\",\"source\":\"site-b\",\"confidence\":0.9}");
        IocParser.Parsed replay = parse("{\"value\":\"" + HASH + "\",\"type\":\"hash_sha256\"}");

        assertThat(first)
                .isEqualTo(new IocParser.Parsed.Actionable(
                        new Ioc("aurorasoc-ioc--hash_sha256:" + HASH, Ioc.Kind.FIRMWARE_HASH, HASH)));
        assertThat(replay).isEqualTo(first);
    }

    @Test
    void anIocWithItsOwnIdKeepsIt() {
        assertThat(parse("{\"id\":\"5f0c-77\",\"type\":\"hash_sha256\",\"value\":\"" + HASH
                        + "\",\"status\":\"Active\"}"))
                .isEqualTo(new IocParser.Parsed.Actionable(
                        new Ioc("aurorasoc-ioc--5f0c-77", Ioc.Kind.FIRMWARE_HASH, HASH)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ip",
                "domain",
                "url",
                "hash_md5",
                "hash_sha1",
                "email",
                "cve",
                "file_path",
                "registry_key",
                "mutex",
                "user_agent"
            })
    void everyOtherTypeOfTheIocModelIsValidButNotOurs(String type) {
        assertThat(parse("{\"type\":\"" + type + "\",\"value\":\"x-1\"}")).isInstanceOf(IocParser.Parsed.NotOurs.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"expired", "false_positive", "False Positive"})
    void aHashNoLongerActiveRevokesNothing(String status) {
        assertThat(parse("{\"type\":\"hash_sha256\",\"value\":\"" + HASH + "\",\"status\":\"" + status + "\"}"))
                .isInstanceOf(IocParser.Parsed.NotOurs.class);
    }

    @Test
    void aHashThatIsNotOneIsPoison() {
        assertThat(parse("{\"type\":\"hash_sha256\",\"value\":\"abc\"}")).isInstanceOf(IocParser.Parsed.Poison.class);
        assertThat(parse("{\"type\":\"hash_sha256\",\"value\":42}")).isInstanceOf(IocParser.Parsed.Poison.class);
    }
}
