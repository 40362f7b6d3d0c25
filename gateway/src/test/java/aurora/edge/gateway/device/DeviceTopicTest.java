package aurora.edge.gateway.device;

import static org.assertj.core.api.Assertions.assertThat;

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
