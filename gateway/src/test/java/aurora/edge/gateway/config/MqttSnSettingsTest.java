package aurora.edge.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MqttSnSettingsTest {
    @Test
    void mqttSnIsOffByDefaultOnPort1884WithoutPlaintext() throws Exception {
        GatewayConfig.MqttSn sn = new ConfigLoader(Map.of()).load(null).mqttsn();

        assertThat(sn.enabled()).isFalse();
        assertThat(sn.port()).isEqualTo(1884);
        assertThat(sn.allowPlaintext()).isFalse();
        assertThat(sn.retryInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void enablingMqttSnWithoutPlaintextMeansDtlsWithItsDefaultLimits() throws Exception {
        GatewayConfig config = new ConfigLoader(Map.of("AURORA_MQTTSN_ENABLED", "true")).load(null);
        assertThat(config.mqttsn().allowPlaintext()).isFalse();
        assertThat(config.dtls().idleTimeout()).isEqualTo(java.time.Duration.ofHours(24));
        assertThat(config.dtls().maxAssociations()).isEqualTo(10_000);
        assertThat(config.dtls().maxHandshakesPerAddress()).isEqualTo(2);
        assertThat(config.dtls().helloVerifyPerSecond()).isEqualTo(200);
        assertThat(config.dtls().handshakeTimeout()).isEqualTo(java.time.Duration.ofSeconds(5));
    }

    @Test
    void theHandshakeCapPerAddressAndTheHelloVerifyBudgetAreValidatedByName() {
        assertThatThrownBy(
                        () -> new ConfigLoader(Map.of("AURORA_MQTTSN_DTLS_MAX_HANDSHAKES_PER_ADDRESS", "0")).load(null))
                .hasMessageContaining("mqttsn.dtls.max_handshakes_per_address");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("AURORA_MQTTSN_DTLS_HELLO_VERIFY_PER_SECOND", "0")).load(null))
                .hasMessageContaining("mqttsn.dtls.hello_verify_per_second");
    }

    @Test
    void aDtlsLimitOutOfRangeIsAnErrorNamingTheKey() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("AURORA_MQTTSN_DTLS_MAX_HANDSHAKES", "0")).load(null))
                .hasMessageContaining("mqttsn.dtls.max_handshakes");
    }

    @Test
    void keepAliveBoundsAndSessionCapsAreCheckedTogether() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of(
                                "AURORA_MQTTSN_MIN_KEEP_ALIVE", "2h",
                                "AURORA_MQTTSN_MAX_KEEP_ALIVE", "1h",
                                "AURORA_MQTTSN_MAX_SESSIONS", "10",
                                "AURORA_MQTTSN_MAX_SESSIONS_PER_ADDRESS", "11"))
                        .load(null))
                .hasMessageContaining("mqttsn.min_keep_alive")
                .hasMessageContaining("mqttsn.max_sessions_per_address");
    }

    @Test
    void plaintextMqttSnOnAnyFreePortLoads() throws Exception {
        GatewayConfig.MqttSn sn = new ConfigLoader(Map.of(
                        "AURORA_MQTTSN_ENABLED",
                        "true",
                        "AURORA_MQTTSN_ALLOW_PLAINTEXT",
                        "true",
                        "AURORA_MQTTSN_PORT",
                        "0"))
                .load(null)
                .mqttsn();

        assertThat(sn.enabled()).isTrue();
        assertThat(sn.port()).isZero();
    }
}
