package aurora.edge.gateway.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeviceMessageTest {
    private static final DeviceTopic STATUS =
            DeviceTopic.parse("aurora/sensors/esp32s3_gw_01/status").orElseThrow();

    @Test
    void metadataIsReadUnderAuroraSocsNames() {
        DeviceMessage.Metadata m = metadata("{\"device_type\":\"environmental_presence\",\"board_family\":\"esp32s3\","
                + "\"firmware_stack\":\"rust_embassy\",\"firmware_version\":\"2.0.0\",\"boot_count\":42}");

        assertThat(m)
                .isEqualTo(
                        new DeviceMessage.Metadata("2.0.0", "esp32s3", "environmental_presence", "rust_embassy", 42));
    }

    @Test
    void metadataIsReadUnderOurShortNamesWhichWinOverTheLongOnes() {
        assertThat(metadata("{\"type\":\"env\",\"board\":\"aurora-sensor-v1\",\"fw\":\"1.2.0\",\"boot\":7,\"seq\":1}"))
                .isEqualTo(new DeviceMessage.Metadata("1.2.0", "aurora-sensor-v1", "env", null, 7));
        assertThat(metadata("{\"fw\":\"1.2.0\",\"firmware_version\":\"9.9.9\",\"boot\":7,\"boot_count\":9,\"seq\":1}"))
                .isEqualTo(new DeviceMessage.Metadata("1.2.0", null, null, null, 7));
    }

    @Test
    void aBadBootCountIsNotSaidAndABootCountIsNotAPosition() {
        assertThat(metadata("{\"boot_count\":-1}").boot()).isEqualTo(-1);
        assertThat(metadata("{\"boot_count\":\"3\"}").boot()).isEqualTo(-1);
        DeviceMessage message = ((DeviceMessage.Ok) DeviceMessage.parse(STATUS, bytes("{\"boot_count\":3}"))).message();
        assertThat(message.position()).isNull();
    }

    private static DeviceMessage.Metadata metadata(String json) {
        return ((DeviceMessage.Ok) DeviceMessage.parse(STATUS, bytes(json)))
                .message()
                .metadata();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
