package aurora.edge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class FleetSpecTest {
    private static final byte[] KEY = new byte[32];

    private static FleetSpec.Builder valid() {
        return FleetSpec.builder("127.0.0.1", 1883, KEY);
    }

    private static void assertRejected(UnaryOperator<FleetSpec.Builder> change, String field, String value) {
        assertThatThrownBy(() -> change.apply(valid()).build())
                .isInstanceOfSatisfying(InvalidFleetSpecException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.value()).isEqualTo(value);
                })
                .hasMessageStartingWith(field + " ")
                .hasMessageEndingWith("found: " + value);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        FleetSpec spec = valid().build();
        assertThat(spec.deviceCount()).isEqualTo(1);
        assertThat(spec.idPrefix()).isEqualTo("sim-");
        assertThat(spec.messagesPerSecondPerDevice()).isEqualTo(1.0);
        assertThat(spec.alertShare()).isEqualTo(0.02);
        assertThat(spec.ringCapacity()).isEqualTo(256);
        assertThat(spec.seed()).isEqualTo(1);
        assertThat(spec.duration()).isNull();
        assertThat(spec.maxMessagesPerDevice()).isNull();
        assertThat(spec.boot()).isNull();
        assertThat(spec.maxConcurrentConnects()).isEqualTo(50);
        assertThat(spec.reconnect()).isEqualTo(Backoff.DEFAULT);
    }

    @Test
    void deviceIdsArePrefixAndAZeroPaddedIndexOfAtLeastFiveDigits() {
        FleetSpec spec = valid().deviceCount(3).build();
        assertThat(spec.deviceId(0)).isEqualTo("sim-00000");
        assertThat(spec.deviceId(2)).isEqualTo("sim-00002");
        FleetSpec big = valid().deviceCount(100_000).idPrefix("dev_").build();
        assertThat(big.deviceId(99_999)).isEqualTo("dev_99999");
        assertThat(valid().deviceCount(100_000).build().deviceId(7)).isEqualTo("sim-00007");
        assertThatThrownBy(() -> spec.deviceId(3)).hasMessageContaining("found: 3");
    }

    @Test
    void aFirstIndexShiftsTheIdsSoASecondFleetTakesOtherIdsOfTheSameList() {
        FleetSpec spec = valid().deviceCount(4).firstIndex(50).build();
        assertThat(spec.deviceId(0)).isEqualTo("sim-00050");
        assertThat(spec.deviceId(3)).isEqualTo("sim-00053");
        assertThat(valid().deviceCount(2).firstIndex(999_999).build().deviceId(1))
                .isEqualTo("sim-1000000");
        assertThatThrownBy(() -> valid().firstIndex(-1).build())
                .isInstanceOf(InvalidFleetSpecException.class)
                .hasMessageContaining("firstIndex");
    }

    @Test
    void eachBadFieldIsNamedWithItsValue() {
        assertRejected(b -> b.deviceCount(0), "deviceCount", "0");
        assertRejected(b -> b.deviceCount(100_001), "deviceCount", "100001");
        assertRejected(b -> b.messagesPerSecondPerDevice(0), "messagesPerSecondPerDevice", "0.0");
        assertRejected(b -> b.messagesPerSecondPerDevice(Double.NaN), "messagesPerSecondPerDevice", "NaN");
        assertRejected(b -> b.messagesPerSecondPerDevice(1001), "messagesPerSecondPerDevice", "1001.0");
        assertRejected(b -> b.alertShare(1.5), "alertShare", "1.5");
        assertRejected(b -> b.alertShare(-0.1), "alertShare", "-0.1");
        assertRejected(b -> b.ringCapacity(0), "ringCapacity", "0");
        assertRejected(b -> b.duration(Duration.ZERO), "duration", "PT0S");
        assertRejected(b -> b.duration(Duration.ofSeconds(-1)), "duration", "PT-1S");
        assertRejected(b -> b.maxMessagesPerDevice(0L), "maxMessagesPerDevice", "0");
        assertRejected(b -> b.boot(-1L), "boot", "-1");
        assertRejected(b -> b.boot(1L << 32), "boot", "4294967296");
        assertRejected(b -> b.maxConcurrentConnects(0), "maxConcurrentConnects", "0");
        assertRejected(b -> b.idPrefix("a/b"), "idPrefix", "'a/b'");
        assertRejected(b -> b.idPrefix("x".repeat(60)), "idPrefix", "'" + "x".repeat(60) + "'");
        assertThatThrownBy(() -> FleetSpec.builder(" ", 1883, KEY).build()).hasMessageStartingWith("host ");
        assertThatThrownBy(() -> FleetSpec.builder("h", 0, KEY).build())
                .hasMessage("port must be between 1 and 65535, found: 0");
        assertThatThrownBy(() -> FleetSpec.builder("h", 1, new byte[8]).build())
                .hasMessage("siteKey must have at least 16 bytes, found: 8 bytes");
    }

    @Test
    void emptyPrefixAndLimitsAtTheEdgeAreAccepted() {
        FleetSpec spec = valid().idPrefix("")
                .alertShare(1)
                .messagesPerSecondPerDevice(1000)
                .boot(0xFFFF_FFFFL)
                .build();
        assertThat(spec.deviceId(0)).isEqualTo("00000");
    }

    @Test
    void toStringShowsTheKeyLengthOnly() {
        byte[] key = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(FleetSpec.builder("h", 1, key).build().toString())
                .contains("siteKey=<32 bytes>")
                .doesNotContain("0123456789abcdef");
    }

    @Test
    void theKeyIsCopiedInAndOut() {
        byte[] key = new byte[16];
        FleetSpec spec = FleetSpec.builder("h", 1, key).build();
        key[0] = 9;
        assertThat(spec.siteKey()[0]).isZero();
        spec.siteKey()[1] = 9;
        assertThat(spec.siteKey()[1]).isZero();
        assertThat(spec).isEqualTo(FleetSpec.builder("h", 1, new byte[16]).build());
    }
}
