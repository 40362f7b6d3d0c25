package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.sim.Fleet;
import aurora.edge.sim.FleetSpec;
import aurora.edge.sim.WireSettings;
import aurora.edge.sim.WireTransport;
import aurora.edge.testing.NatsProbe;
import io.lettuce.core.RedisCommandTimeoutException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * device-sim's {@code --transport mqttsn-dtls} against the real gateway: sleeping MQTT-SN clients over DTLS 1.2 PSK,
 * each with its own association, with the same accounting as MQTT: every reading exactly once in Redis and every
 * alert once on JetStream, and the cumulative ack reaches each sleeping device (its ring empties).
 */
class SimFleetOverMqttSnIT {
    private static final int DEVICES = 20;
    private static final long MESSAGES = 10;

    @RegisterExtension
    final GatewayStack stack = GatewayStack.with(Map.of("AURORA_MQTTSN_ENABLED", "true", "AURORA_NATS_ALERT_MIN_SEVERITY", "info"));

    static FleetSpec.Builder snFleet(TestGateway gw, String prefix, WireSettings wire) {
        // Acceleration 20: the 10 s poll of the model is a wake-up every 0.5 s of real time, a sleep of 2 s.
        return FleetSpec.builder("127.0.0.1", gw.mqttSnPort(), gw.siteKey())
                .idPrefix(prefix)
                .acceleration(20)
                .messagesPerSecondPerDevice(0.2)
                .wire(wire);
    }

    @Test
    void aSleepingFleetOverDtlsIsStoredExactlyOnceAndItsAcksEmptyEveryRing() throws Exception {
        TestGateway gw = stack.gateway();
        try (Fleet fleet = Fleet.start(snFleet(gw, "snd-", WireSettings.of(WireTransport.MQTTSN_DTLS))
                .deviceCount(DEVICES)
                .maxMessagesPerDevice(MESSAGES)
                .alertShare(0.2)
                .build())) {
            await().atMost(Duration.ofSeconds(90)).until(() -> fleet.stats().acked() == DEVICES * MESSAGES);
            assertThat(fleet.stats().unacked())
                    .as("every ring emptied by the cumulative ack")
                    .isZero();
            assertThat(fleet.stats().connectFailures()).isZero();
            assertThat(gw.metric("aurora_mqttsn_duplicates")).isZero();
            await().atMost(Duration.ofSeconds(30))
                    .ignoreException(RedisCommandTimeoutException.class)
                    .untilAsserted(() ->
                            FleetAccounting.assertRedisHoldsEachSentMessageOnce(fleet, stack.redisProbe(), "snd-"));
            FleetAccounting.assertPerDeviceOrderInRedis(stack.redisProbe(), "snd-");
            NatsProbe nats = new NatsProbe(stack.nats().url(), null);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () -> FleetAccounting.assertJetStreamHoldsEachAlertOnce(stack.redisProbe(), nats, "snd-"));
        }
    }
}
