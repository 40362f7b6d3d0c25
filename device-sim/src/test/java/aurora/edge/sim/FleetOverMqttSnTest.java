package aurora.edge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.sim.sn.PredefinedTopics;
import aurora.edge.sim.sn.SnCodec;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Whole simulated fleets over MQTT-SN (plain UDP, lab mode) against a minimal gateway that shows the wire. */
class FleetOverMqttSnTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final FakeSnGateway gateway = newGateway();

    private static FakeSnGateway newGateway() {
        try {
            return new FakeSnGateway();
        } catch (java.net.SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    /** Poll 10 s at ×100: a wake-up every 100 ms real; a reading every 5 simulated s, so devices sleep between. */
    private FleetSpec.Builder spec(WireSettings wire) {
        return FleetSpec.builder("127.0.0.1", gateway.port(), new byte[32])
                .idPrefix("sn-")
                .boot(7)
                .deviceCount(3)
                .messagesPerSecondPerDevice(0.2)
                .acceleration(100)
                .alertShare(0)
                .maxMessagesPerDevice(10L)
                .wire(wire.withSnPlaintext(true));
    }

    @Test
    void sleepingMqttSnDevicesPublishByPredefinedIdAndTakeTheirAcksWhenTheyWake() {
        gateway.ackOnWakeOnly = true;
        try (Fleet fleet =
                Fleet.start(spec(WireSettings.of(WireTransport.MQTTSN_DTLS)).build())) {
            await().atMost(WAIT).until(() -> fleet.stats().acked() == 30);
            assertThat(fleet.stats().unacked()).isZero();
            assertThat(gateway.published)
                    .filteredOn(p -> p.topicId() == PredefinedTopics.TELEMETRY)
                    .allSatisfy(p -> {
                        assertThat(p.topicIdType()).isEqualTo(SnCodec.TOPIC_PREDEFINED);
                        assertThat(p.qos()).isEqualTo(1);
                    })
                    .extracting(FakeSnGateway.Published::clientId)
                    .containsOnly("sn-00000", "sn-00001", "sn-00002");
            // Every device went to sleep with a duration and woke with PINGREQ(client id)
            await().atMost(WAIT).until(() -> gateway.wakers.size() == 3);
            assertThat(gateway.sleepers).containsExactlyInAnyOrder("sn-00000", "sn-00001", "sn-00002");
            assertThat(gateway.acksDeliveredOnWake.get())
                    .as("the last acks reach sleeping devices")
                    .isPositive();
            assertThat(fleet.spec().model().transport()).isEqualTo(Transport.THREAD_MQTTSN_QOS1);
            assertThat(gateway.encapsulatedNodes).isEmpty();
        }
    }

    @Test
    void aRelayCarriesEveryChildsPacketsEncapsulatedOverItsOneAssociationAndIsADeviceOfItsOwnThere() {
        try (Fleet fleet =
                Fleet.start(spec(WireSettings.of(WireTransport.MQTTSN_RELAY)).build())) {
            // The relay holds its children's sessions and forwards only their PUBLISH (and PUBACK of the gateway's
            // QoS 1 PUBLISH), as the real gateway expects; this counts what arrived (the acks that come back
            // through the relay, and the relay's own attestation, are RelayAttestationIT's, against the real
            // gateway).
            await().atMost(WAIT).until(() -> gateway.published.size() >= 30);
            String relay = WireSettings.DEFAULT_RELAY;
            // The relay's own session: CONNECTed as itself, unencapsulated, on the same socket as its children.
            await().atMost(WAIT)
                    .until(() -> gateway.published.stream()
                            .anyMatch(p -> p.clientId().equals(relay)));
            assertThat(fleet.stats().connectFailures()).isZero();
            assertThat(fleet.relayStats().orElseThrow().connectFailures()).isZero();
            assertThat(gateway.encapsulatedNodes).containsExactlyInAnyOrder("sn-00000", "sn-00001", "sn-00002");
            assertThat(gateway.sources)
                    .as("one relay socket for all children and itself")
                    .hasSize(1);
            assertThat(gateway.published.stream()
                            .map(FakeSnGateway.Published::clientId)
                            .collect(Collectors.toSet()))
                    .containsExactlyInAnyOrder("sn-00000", "sn-00001", "sn-00002", relay);
            assertThat(fleet.deviceIds())
                    .as("the relay is not one of the fleet's devices")
                    .doesNotContain(relay);
        }
    }

    @Test
    void atQosZeroReadingsGoWithoutPubackAndTheCumulativeAckStillEmptiesTheRing() {
        try (Fleet fleet =
                Fleet.start(spec(WireSettings.of(WireTransport.MQTTSN_DTLS).withSnQos(SnCodec.Qos.AT_MOST_ONCE))
                        .build())) {
            await().atMost(WAIT).until(() -> fleet.stats().acked() == 30);
            assertThat(gateway.published)
                    .filteredOn(p -> p.topicId() == PredefinedTopics.TELEMETRY)
                    .extracting(FakeSnGateway.Published::qos)
                    .containsOnly(0);
        }
    }

    @Test
    void aDeviceNamingAnotherDevicesTopicMustRegisterItAndIsRefusedWhileHonestDevicesFlow() {
        try (Fleet fleet = Fleet.start(spec(WireSettings.of(WireTransport.MQTTSN_DTLS))
                .hostile(HostileRule.devices(Behaviour.SPOOFED_TOPIC, 1).every(1))
                .build())) {
            await().atMost(WAIT).until(() -> !gateway.refusedRegistrations.isEmpty());
            assertThat(gateway.refusedRegistrations)
                    .allMatch(r -> r.equals("sn-00001 aurora/sensors/sn-00002/telemetry"));
            await().atMost(WAIT).until(() -> fleet.stats().acked() == 30);
            assertThat(gateway.published).noneMatch(p -> p.topicIdType() == SnCodec.TOPIC_NORMAL);
        }
    }
}
