package aurora.edge.gateway.mqttsn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The gateway's predefined topic ids are the contract (docs/operations.md); device-sim keeps its own copy so it
 * needs no gateway classes. The two tables must be the same, id for id, or simulated MQTT-SN devices publish
 * telemetry on a topic the gateway reads as something else.
 */
class PredefinedTopicsContractTest {
    private static final String DEVICE = "sn-contract-1";

    @Test
    void deviceSimsPredefinedTopicIdsAreTheGatewaysIdForId() {
        for (int id = 0; id < PredefinedTopics.FIRST_REGISTERED; id++) {
            Optional<String> gateway = PredefinedTopics.topic(id, DEVICE);
            Optional<String> sim = Optional.ofNullable(aurora.edge.sim.sn.PredefinedTopics.topic(id, DEVICE));
            assertThat(sim).as("predefined topic id %d", id).isEqualTo(gateway);
        }
    }

    @Test
    void everyToDeviceIdTheGatewaySendsIsOneTheSimMapsBack() {
        for (int id = 0; id < PredefinedTopics.FIRST_REGISTERED; id++) {
            if (PredefinedTopics.isToDevice(id)) {
                String topic = PredefinedTopics.topic(id, DEVICE).orElseThrow();
                assertThat(aurora.edge.sim.sn.PredefinedTopics.idOf(topic, DEVICE))
                        .as(topic)
                        .contains(id);
            }
        }
    }
}
