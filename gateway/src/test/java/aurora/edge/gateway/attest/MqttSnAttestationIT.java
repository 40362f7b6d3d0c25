package aurora.edge.gateway.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.TestGateway;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.sim.Fleet;
import aurora.edge.sim.FleetSpec;
import aurora.edge.sim.WireSettings;
import aurora.edge.sim.WireTransport;
import aurora.edge.testing.RedisProbe;
import io.lettuce.core.RedisCommandTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attestation over MQTT-SN: sleeping device-sim devices over DTLS take their challenges on predefined topic id 17 at
 * their wake and answer on id 3, and become TRUSTED; a gateway restart while they sleep with messages queued for
 * them in mqttsn.db loses nothing (every reading stored once, every device TRUSTED).
 */
class MqttSnAttestationIT {
    private static final int FLEET = 6;

    @RegisterExtension
    static final AttestationStack stack = new AttestationStack();

    private static FleetSpec spec(TestGateway gw, long messages) {
        return FleetSpec.builder("127.0.0.1", gw.mqttSnPort(), gw.siteKey())
                .deviceCount(FLEET)
                .idPrefix("sim-")
                .seed(13)
                .acceleration(20)
                .messagesPerSecondPerDevice(0.2)
                .maxMessagesPerDevice(messages)
                .alertShare(0)
                .wire(WireSettings.of(WireTransport.MQTTSN_DTLS))
                .build();
    }

    @Test
    void aSleepingFleetOverDtlsAttestsTrusted() throws Exception {
        TestGateway gw = stack.start(Map.of("AURORA_MQTTSN_ENABLED", "true"));
        FleetSpec spec = spec(gw, 40);
        try (Fleet fleet = Fleet.start(spec)) {
            for (int i = 0; i < FLEET; i++) {
                stack.awaitState(spec.deviceId(i), AttestationState.TRUSTED);
            }
            assertThat(fleet.stats().attestationsAnswered()).isGreaterThanOrEqualTo(FLEET);
        }
    }

    @Test
    void aRestartWhileDevicesSleepWithQueuedMessagesLosesNothingAndTheyBecomeTrusted() throws Exception {
        TestGateway gw = stack.start(Map.of("AURORA_MQTTSN_ENABLED", "true"));
        FleetSpec spec = spec(gw, 30);
        try (Fleet fleet = Fleet.start(spec)) {
            // Wait until the gateway holds messages (challenges, acks) for sleeping devices, then restart it.
            await().atMost(AttestationStack.WAIT)
                    .until(() ->
                            queued(gw) > 0 && asleep(gw) > 0 && fleet.stats().sent() > FLEET);
            gw.restartOnSamePorts();
            // The devices notice the restart only when a request of theirs times out (5 s), then shake hands anew.
            for (int i = 0; i < FLEET; i++) {
                String id = spec.deviceId(i);
                await().atMost(Duration.ofMinutes(2))
                        .untilAsserted(() -> assertThat(stack.registered(id).state())
                                .as("%s after the restart; %s", id, fleet.stats())
                                .isEqualTo(AttestationState.TRUSTED));
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> fleet.stats().acked() == FLEET * 30L);
            assertThat(fleet.stats().unacked()).isZero();
            await().atMost(Duration.ofSeconds(30))
                    .ignoreException(RedisCommandTimeoutException.class)
                    .untilAsserted(() -> {
                        List<String> stored = storedIds(stack.redisProbe());
                        assertThat(stored).doesNotHaveDuplicates();
                        assertThat(stored).containsExactlyInAnyOrderElementsOf(fleet.sentMessageIds());
                    });
        }
    }

    private static double queued(TestGateway gw) {
        var g = gw.gateway().metrics().registry().find("aurora_mqttsn_queued").gauge();
        return g == null ? 0 : g.value();
    }

    private static double asleep(TestGateway gw) {
        var g = gw.gateway()
                .metrics()
                .registry()
                .find("aurora_mqttsn_sessions")
                .tag("state", "asleep")
                .gauge();
        return g == null ? 0 : g.value();
    }

    private static List<String> storedIds(RedisProbe redis) {
        List<String> ids = new ArrayList<>();
        for (RedisProbe.Entry e : redis.entries("aurora:cps:telemetry")) {
            String id = e.fields().get("id");
            String withoutSite = id.substring(id.indexOf(':') + 1);
            if (withoutSite.startsWith("sim-")) {
                ids.add(withoutSite);
            }
        }
        return ids;
    }
}
