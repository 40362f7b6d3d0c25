package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.sim.Behaviour;
import aurora.edge.sim.Fleet;
import aurora.edge.sim.FleetSpec;
import aurora.edge.sim.HostileRule;
import aurora.edge.sim.WireSettings;
import aurora.edge.sim.WireTransport;
import aurora.edge.testing.OpsRequests;
import aurora.edge.testing.RedisProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * device-sim's {@code --transport mqttsn-dtls} and {@code mqttsn-relay} against the real gateway: a relay's bound
 * children land with {@code relay_id} and an unbound one is refused; hostile MQTT-SN devices are refused with their
 * codes while honest ones flow. (The exact-accounting run of a sleeping fleet under load is not here yet: some QoS 1
 * PUBACKs never reached the sim on a loaded box; see the issue #13 note.)
 */
class SimFleetOverMqttSnIT {
    private static final long MESSAGES = 10;

    @RegisterExtension
    final GatewayStack stack = GatewayStack.with(Map.of(
            "AURORA_MQTTSN_ENABLED",
            "true",
            "AURORA_NATS_ALERT_MIN_SEVERITY",
            "info",
            // Every simulated device comes from 127.0.0.1: one site behind one address, as the setting's doc says.
            "AURORA_MQTTSN_DTLS_HANDSHAKES_PER_MINUTE_PER_ADDRESS",
            "600"));

    static FleetSpec.Builder snFleet(TestGateway gw, String prefix, WireSettings wire) {
        // Acceleration 20: the 10 s poll of the model is a wake-up every 0.5 s of real time, a sleep of 2 s.
        return FleetSpec.builder("127.0.0.1", gw.mqttSnPort(), gw.siteKey())
                .idPrefix(prefix)
                .acceleration(20)
                .messagesPerSecondPerDevice(0.2)
                .wire(wire);
    }

    @Test
    void aRelayCarriesItsBoundChildrenWithRelayIdAndIsRefusedForAnUnboundOne() throws Exception {
        TestGateway gw = stack.gateway();
        assertThat(bind(gw, "rch-00000", "relay-sn-1")).isEqualTo(200);
        assertThat(bind(gw, "rch-00001", "relay-sn-1")).isEqualTo(200);
        // rch-00002 is not bound: the relay forwarding for it is a forged forwarder.
        try (Fleet relayed = Fleet.start(snFleet(
                                gw,
                                "rch-",
                                WireSettings.of(WireTransport.MQTTSN_RELAY).withRelayId("relay-sn-1"))
                        .deviceCount(3)
                        .maxMessagesPerDevice(MESSAGES)
                        .alertShare(0)
                        .build());
                Fleet honest = Fleet.start(snFleet(gw, "hon-", WireSettings.of(WireTransport.MQTTSN_DTLS))
                        .deviceCount(3)
                        .maxMessagesPerDevice(MESSAGES)
                        .alertShare(0)
                        .build())) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> telemetry(stack.redisProbe(), "rch-00000").size() == MESSAGES
                            && telemetry(stack.redisProbe(), "rch-00001").size() == MESSAGES);
            for (String child : List.of("rch-00000", "rch-00001")) {
                assertThat(telemetry(stack.redisProbe(), child))
                        .allSatisfy(e -> assertThat(e.path("relay_id").asText()).isEqualTo("relay-sn-1"));
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> gw.metric("aurora_intake_rejected", "code", "RELAY_NOT_BOUND") >= 1);
            assertThat(telemetry(stack.redisProbe(), "rch-00002")).isEmpty();
            assertThat(relayed.stats().connectFailures())
                    .as("the relay answers its children's CONNECT")
                    .isZero();
            await().atMost(Duration.ofSeconds(60)).until(() -> honest.stats().acked() == 3 * MESSAGES);
        }
    }

    @Test
    void hostileMqttSnDevicesAreRefusedWithTheirCodesWhileHonestOnesFlow() throws Exception {
        TestGateway gw = stack.gateway();
        try (Fleet fleet = Fleet.start(snFleet(gw, "hsn-", WireSettings.of(WireTransport.MQTTSN_DTLS))
                        .deviceCount(6)
                        .maxMessagesPerDevice(MESSAGES)
                        .alertShare(0)
                        .hostile(
                                HostileRule.devices(Behaviour.SPOOFED_TOPIC, 1),
                                HostileRule.devices(Behaviour.WRONG_PASSWORD, 2))
                        .build());
                DatagramSocket garbage = new DatagramSocket()) {
            byte[] junk = {0x17, 0x03, 0x7f, 0x00, 0x42, 0x13, 0x37};
            for (int i = 0; i < 20; i++) {
                garbage.send(new DatagramPacket(junk, junk.length, InetAddress.getLoopbackAddress(), gw.mqttSnPort()));
            }
            // A wrong PSK fails the Finished check, which DTLS drops silently: the handshake ends on its timeout.
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> gw.metric("aurora_intake_rejected", "code", "SN_TOPIC_ID_INVALID") >= 1
                            && gw.metric("aurora_intake_rejected", "code", "DTLS_HANDSHAKE_FAILED") >= 1
                            && dtlsDropped(gw) >= 20);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (String honest : List.of("hsn-00000", "hsn-00003", "hsn-00004", "hsn-00005")) {
                    if (telemetry(stack.redisProbe(), honest).size() < MESSAGES) {
                        return false;
                    }
                }
                return true;
            });
            assertThat(telemetry(stack.redisProbe(), "hsn-00002"))
                    .as("wrong PSK: nothing stored")
                    .isEmpty();
            assertThat(fleet.stats().connectFailures())
                    .as("the wrong PSK's handshakes")
                    .isPositive();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static double dtlsDropped(TestGateway gw) {
        return gw.metric("aurora_mqttsn_dtls_dropped"); // every reason
    }

    private static List<JsonNode> telemetry(RedisProbe redis, String deviceId) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (RedisProbe.Entry e : redis.entries("aurora:cps:telemetry")) {
            JsonNode n = JSON.readTree(e.fields().get("data"));
            if (deviceId.equals(n.path("device_id").asText())) {
                out.add(n);
            }
        }
        return out;
    }

    private int bind(TestGateway gw, String child, String relay) throws Exception {
        return OpsRequests.post(
                        gw.httpPort(),
                        stack.dataDir().resolve("ops.token"),
                        "/devices/" + child + "/bind?relay=" + relay,
                        "alice")
                .statusCode();
    }
}
