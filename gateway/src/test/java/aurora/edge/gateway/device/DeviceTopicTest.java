package aurora.edge.gateway.device;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.attestation.DeviceId;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceTopicTest {
    @Test
    void parsesTheThreeDeviceChannels() {
        assertThat(DeviceTopic.parse("aurora/sensors/dev-1/telemetry"))
                .get()
                .extracting(DeviceTopic::channel)
                .isEqualTo(Channel.TELEMETRY);
        assertThat(DeviceTopic.parse("aurora/sensors/dev-1/alerts"))
                .get()
                .extracting(DeviceTopic::channel)
                .isEqualTo(Channel.ALERT);
        assertThat(DeviceTopic.parse("aurora/sensors/dev_1/attestation"))
                .get()
                .extracting(DeviceTopic::deviceId)
                .isEqualTo("dev_1");
    }

    @Test
    void acceptsTheAuroraSocAliases() {
        assertThat(DeviceTopic.parse("aurora/sensors/d/status"))
                .get()
                .extracting(DeviceTopic::channel)
                .isEqualTo(Channel.TELEMETRY);
        assertThat(DeviceTopic.parse("aurora/attestation/d/response"))
                .get()
                .extracting(DeviceTopic::channel)
                .isEqualTo(Channel.ATTESTATION);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "aurora/sensors/+/telemetry",
                "aurora/sensors/#",
                "aurora/sensors/a.b/telemetry",
                "aurora/sensors//telemetry",
                "aurora/sensors/d/telemetry/extra",
                "other/sensors/d/telemetry",
                "aurora/sensors/d/commands",
                "aurora/sensors/d e/alerts",
                ""
            })
    void rejectsOddTopics(String topic) {
        assertThat(DeviceTopic.parse(topic)).isEmpty();
    }

    @Test
    void rejectsOverlongDeviceIds() {
        assertThat(DeviceTopic.parse("aurora/sensors/" + "x".repeat(65) + "/telemetry"))
                .isEmpty();
        assertThat(DeviceTopic.parse("aurora/sensors/" + "x".repeat(64) + "/telemetry"))
                .isPresent();
    }

    @Test
    void aDeviceMaySubscribeOnlyToItsOwnCommandTopics() {
        assertThat(DeviceTopic.isOwnCommandFilter("aurora/command/d1/action", "d1"))
                .isTrue();
        assertThat(DeviceTopic.isOwnCommandFilter("aurora/command/d1/ack", "d1"))
                .isTrue();
        assertThat(DeviceTopic.isOwnCommandFilter("aurora/command/d1/#", "d1")).isTrue();
        assertThat(DeviceTopic.isOwnCommandFilter("aurora/command/+/action", "d1"))
                .isFalse();
        assertThat(DeviceTopic.isOwnCommandFilter("aurora/command/#", "d1")).isFalse();
        assertThat(DeviceTopic.isOwnCommandFilter("aurora/command/d2/action", "d1"))
                .isFalse();
        assertThat(DeviceTopic.isOwnCommandFilter("aurora/sensors/d1/telemetry", "d1"))
                .isFalse();
        assertThat(DeviceTopic.isOwnCommandFilter("aurora/command/d1/action/x", "d1"))
                .isFalse();
    }

    @Test
    void aDeviceMaySubscribeToExactlyItsOwnAuroraSocAttestationRequestTopic() {
        assertThat(DeviceTopic.isOwnCommandFilter("aurora/attestation/d1/request", "d1"))
                .isTrue();
        assertThat(DeviceTopic.isOwnCommandFilter("aurora/attestation/d2/request", "d1"))
                .isFalse();
        assertThat(DeviceTopic.isOwnCommandFilter("aurora/attestation/+/request", "d1"))
                .isFalse();
        assertThat(DeviceTopic.isOwnCommandFilter("aurora/attestation/d1/#", "d1"))
                .isFalse();
        assertThat(DeviceTopic.isOwnCommandFilter("aurora/attestation/d1/response", "d1"))
                .isFalse();
        assertThat(DeviceTopic.isOwnCommandFilter("aurora/attestation/#", "d1")).isFalse();
        assertThat(DeviceTopic.attestationRequestTopic("d1")).isEqualTo("aurora/attestation/d1/request");
    }

    /** The parse without split answers as the split-based one did, for topics built from the parts that matter. */
    @Property
    void parsingWithoutSplitAgreesWithSplittingOnSlashes(@ForAll("topics") String topic) {
        assertThat(DeviceTopic.parse(topic)).isEqualTo(splitParse(topic));
    }

    @Provide
    Arbitrary<String> topics() {
        Arbitrary<String> part = Arbitraries.oneOf(
                Arbitraries.of(
                        "aurora",
                        "sensors",
                        "access",
                        "attestation",
                        "telemetry",
                        "status",
                        "alerts",
                        "response",
                        "command_result",
                        "badge_event",
                        "dev-1",
                        "",
                        "Aurora",
                        "x/y",
                        "d+",
                        "#"),
                Arbitraries.strings().withChars("ab-_/.+#").ofMaxLength(6));
        return part.list().ofMinSize(1).ofMaxSize(6).map(l -> String.join("/", l));
    }

    private static Optional<DeviceTopic> splitParse(String topic) {
        if (topic.length() > 200 || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            return Optional.empty();
        }
        String[] parts = topic.split("/", -1);
        if (parts.length != 4
                || !"aurora".equals(parts[0])
                || !DeviceId.SYNTAX.matcher(parts[2]).matches()) {
            return Optional.empty();
        }
        String id = parts[2];
        if ("sensors".equals(parts[1])) {
            return switch (parts[3]) {
                case "telemetry" -> Optional.of(new DeviceTopic(id, Channel.TELEMETRY, "telemetry"));
                case "status" -> Optional.of(new DeviceTopic(id, Channel.TELEMETRY, "status"));
                case "alerts" -> Optional.of(new DeviceTopic(id, Channel.ALERT, "alerts"));
                case "attestation" -> Optional.of(new DeviceTopic(id, Channel.ATTESTATION, "attestation"));
                case "command_result" -> Optional.of(new DeviceTopic(id, Channel.AUDIT, "command_result"));
                default -> Optional.empty();
            };
        }
        if ("access".equals(parts[1]) && "badge_event".equals(parts[3])) {
            return Optional.of(new DeviceTopic(id, Channel.ALERT, "badge_event"));
        }
        if ("attestation".equals(parts[1]) && "response".equals(parts[3])) {
            return Optional.of(new DeviceTopic(id, Channel.ATTESTATION, "attestation"));
        }
        return Optional.empty();
    }

    @Test
    void theOwnerOfACommandFilterIsTheOneDeviceItNamesAndAWildcardAcrossDevicesHasNone() {
        assertThat(DeviceTopic.commandFilterOwner("aurora/command/child-1/#")).isEqualTo("child-1");
        assertThat(DeviceTopic.commandFilterOwner("aurora/attestation/child-1/request"))
                .isEqualTo("child-1");
        assertThat(DeviceTopic.commandFilterOwner("aurora/access/child-1/command"))
                .isEqualTo("child-1");
        assertThat(DeviceTopic.commandFilterOwner("aurora/command/+/#")).isNull();
        assertThat(DeviceTopic.commandFilterOwner("aurora/sensors/child-1/telemetry"))
                .isNull();
        assertThat(DeviceTopic.commandFilterOwner("#")).isNull();
    }
}
