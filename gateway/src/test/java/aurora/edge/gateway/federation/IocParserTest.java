package aurora.edge.gateway.federation;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.testing.Indicators;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IocParserTest {
    private static final String HASH = "ab".repeat(32);
    private final IocParser parser = new IocParser();

    static String indicator(String pattern) {
        return Indicators.json("indicator--1", pattern);
    }

    private IocParser.Parsed parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAFirmwareHashInEitherSpelling() {
        assertThat(parse(indicator("[x-aurora-firmware:sha256 = '" + HASH.toUpperCase(Locale.ROOT) + "']")))
                .isEqualTo(new IocParser.Parsed.Actionable(new Ioc("indicator--1", Ioc.Kind.FIRMWARE_HASH, HASH)));
        assertThat(parse(indicator("[file:hashes.'SHA-256' = '" + HASH + "']")))
                .isEqualTo(new IocParser.Parsed.Actionable(new Ioc("indicator--1", Ioc.Kind.FIRMWARE_HASH, HASH)));
    }

    @Test
    void readsADevice() {
        assertThat(parse(indicator("[x-aurora-device:id = 'sim-00042']")))
                .isEqualTo(new IocParser.Parsed.Actionable(new Ioc("indicator--1", Ioc.Kind.DEVICE_ID, "sim-00042")));
    }

    @Test
    void anIndicatorAboutSomethingElseIsNotOurs() {
        assertThat(parse(indicator("[ipv4-addr:value = '198.51.100.7']"))).isInstanceOf(IocParser.Parsed.NotOurs.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "not json",
                "[1,2]",
                "{\"type\":\"malware\",\"id\":\"malware--1\"}",
                "{\"type\":\"indicator\",\"pattern\":\"[x]\"}"
            })
    void unreadableMessagesArePoison(String json) {
        assertThat(parse(json)).isInstanceOf(IocParser.Parsed.Poison.class);
    }

    @Test
    void aMalformedAuroraPatternIsPoisonNotIgnored() {
        assertThat(parse(indicator("[x-aurora-firmware:sha256 = 'short']")))
                .isInstanceOf(IocParser.Parsed.Poison.class);
        assertThat(parse(indicator("[x-aurora-device:id = 'bad id/with slash']")))
                .isInstanceOf(IocParser.Parsed.Poison.class);
    }

    @Test
    void readsRevokedAndValidUntil() {
        assertThat(parse(Indicators.revoked("indicator--1", "[x-aurora-device:id = 'sim-00042']")))
                .isEqualTo(new IocParser.Parsed.Actionable(
                        new Ioc("indicator--1", Ioc.Kind.DEVICE_ID, "sim-00042", true, null)));
        Instant until = Instant.parse("2027-01-02T03:04:05.678Z");
        assertThat(parse(Indicators.validUntil("indicator--1", "[x-aurora-device:id = 'sim-00042']", until)))
                .isEqualTo(new IocParser.Parsed.Actionable(
                        new Ioc("indicator--1", Ioc.Kind.DEVICE_ID, "sim-00042", false, until)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"\"revoked\":\"yes\"", "\"revoked\":1", "\"valid_until\":\"tomorrow\"", "\"valid_until\":17"})
    void aBadRevokedOrValidUntilIsPoison(String field) {
        String json = indicator("[x-aurora-device:id = 'sim-00042']");
        assertThat(parse(json.substring(0, json.length() - 1) + "," + field + "}"))
                .isInstanceOf(IocParser.Parsed.Poison.class);
    }

    @Test
    void anIdThatIsNotPlainIsPoison() {
        assertThat(parse(Indicators.json("indicator--" + "a".repeat(129), "[x-aurora-device:id = 'sim-00042']")))
                .isInstanceOf(IocParser.Parsed.Poison.class);
        assertThat(parse(Indicators.json("indicator--a b", "[x-aurora-device:id = 'sim-00042']")))
                .isInstanceOf(IocParser.Parsed.Poison.class);
    }

    @Test
    void anOversizeMessageIsPoison() {
        assertThat(parser.parse(new byte[70_000])).isInstanceOf(IocParser.Parsed.Poison.class);
    }
}
