package aurora.edge.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.gateway.broker.ConnectionLimits.Refusal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void strangersFromOneAddressAreCappedButAuthenticatedOnesNoLongerCount() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(100, 2, registry);
        InetAddress a = InetAddress.getByName("10.0.0.1");
        InetAddress b = InetAddress.getByName("10.0.0.2");
        assertThat(limits.admit(a)).isNull();
        assertThat(limits.admit(a)).isNull();
        assertThat(limits.admit(a)).isEqualTo(Refusal.PENDING_PER_ADDRESS);
        assertThat(limits.admit(b)).as("another address has its own allowance").isNull();
        limits.authenticated(a);
        assertThat(limits.admit(a))
                .as("an authenticated connection frees its stranger slot")
                .isNull();
        assertThat(registry.get("aurora_mqtt_connections").gauge().value()).isEqualTo(4);
        assertThat(registry.get("aurora_mqtt_connections_unauthenticated")
                        .gauge()
                        .value())
                .isEqualTo(3);
        assertThat(registry.get("aurora_mqtt_refused")
                        .tag("reason", "pending_per_address")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void theTotalIsCappedAndClosedConnectionsGiveTheirSlotBack() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(2, 10, registry);
        InetAddress a = InetAddress.getByName("10.0.0.1");
        assertThat(limits.admit(a)).isNull();
        assertThat(limits.admit(a)).isNull();
        assertThat(limits.admit(a)).isEqualTo(Refusal.MAX_CONNECTIONS);
        limits.closed(a, true);
        assertThat(limits.admit(a)).isNull();
        assertThat(registry.get("aurora_mqtt_connections").gauge().value()).isEqualTo(2);
        assertThat(registry.get("aurora_mqtt_connections_unauthenticated")
                        .gauge()
                        .value())
                .isEqualTo(2);
    }
}
