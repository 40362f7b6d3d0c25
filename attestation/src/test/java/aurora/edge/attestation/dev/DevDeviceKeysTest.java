package aurora.edge.attestation.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aurora.edge.attestation.keys.KeyAlgorithm;
import org.junit.jupiter.api.Test;

class DevDeviceKeysTest {
    @Test
    void sameSeedAndDeviceGiveTheSameKeyAndOtherDevicesOtherKeys() {
        var a = DevDeviceKeys.simFleet().privateKeyFor("sim-00001");
        var b = DevDeviceKeys.simFleet().privateKeyFor("sim-00001");
        var c = DevDeviceKeys.simFleet().privateKeyFor("sim-00002");
        var otherSeed = new DevDeviceKeys("another seed").privateKeyFor("sim-00001");

        assertThat(a.verifyingKey()).isEqualTo(b.verifyingKey());
        assertThat(a.verifyingKey()).isNotEqualTo(c.verifyingKey()).isNotEqualTo(otherSeed.verifyingKey());
        assertThat(a.algorithm()).isEqualTo(KeyAlgorithm.ECDSA_P256);
    }

    @Test
    void simDeviceIdsAreFiveDigitsAndBounded() {
        assertThat(DevDeviceKeys.simDeviceId(0)).isEqualTo("sim-00000");
        assertThat(DevDeviceKeys.simDeviceId(99_999)).isEqualTo("sim-99999");
        assertThatThrownBy(() -> DevDeviceKeys.simDeviceId(100_000)).hasMessageContaining("100000");
    }
}
