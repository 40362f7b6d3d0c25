package aurora.edge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

import aurora.edge.sim.sn.SnCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What each wire costs a CR2032: the reference's worked example (60-byte reading every 60 s, poll 10 s, reference
 * device-and-attestation.md §4.4) on each wire's radio profile, and devices that send more drain faster.
 */
class BatteryPerTransportTest {
    private static final int TOPIC = "aurora/sensors/sim-00000/telemetry".length();
    private static final Duration MINUTE = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofSeconds(10);

    private static double years(Transport profile) {
        double microAmps = BatteryModel.averageMicroAmps(profile, 60, TOPIC, MINUTE, POLL, null);
        return BatteryModel.lifeHours(microAmps) / BatteryModel.HOURS_PER_YEAR;
    }

    @ParameterizedTest(name = "{0} QoS {1} plaintext {2}: {3} y")
    @CsvSource({
        // the reference case: MQTT-SN QoS 0, poll 10 s, CR2032 ≈ 3.5 y
        "MQTTSN_DTLS,  0, true,  3.5",
        "MQTTSN_RELAY, 0, false, 3.5",
        "MQTTSN_DTLS,  1, true,  3.3",
        "MQTTSN_RELAY, 1, false, 3.3",
        // MQTT/TCP QoS 1, poll 10 s ≈ 2.7 y
        "MQTT_TCP,     1, false, 2.7"
    })
    void eachWireIsChargedTheReferenceFigureOfItsRadioProfile(
            WireTransport wire, int qos, boolean plaintext, double referenceYears) {
        WireSettings settings =
                WireSettings.of(wire).withSnQos(SnCodec.Qos.of(qos)).withSnPlaintext(plaintext);
        assertThat(years(settings.radioProfile())).isCloseTo(referenceYears, withinPercentage(10));
    }

    @Test
    void securityCostsSomeLifeButNeverMoreThanTcpCosts() {
        double snQos0 = years(Transport.THREAD_MQTTSN_QOS0);
        double dtlsQos0 = years(Transport.THREAD_MQTTSN_DTLS_QOS0);
        double dtlsQos1 = years(Transport.THREAD_MQTTSN_DTLS_QOS1);
        double tcp = years(Transport.THREAD_MQTT_TCP_QOS1);
        double tls = years(Transport.THREAD_MQTT_TLS_QOS1);
        assertThat(dtlsQos0).isLessThan(snQos0).isGreaterThan(dtlsQos1);
        assertThat(dtlsQos1).isGreaterThan(tcp);
        assertThat(tls).isLessThan(tcp).isCloseTo(2.7, withinPercentage(10));
        // 29 bytes of DTLS record push the 60-byte reading into a second 6LoWPAN fragment
        assertThat(Transport.THREAD_MQTTSN_DTLS_QOS0.packetBytes(60, TOPIC) + Transport.MAC_OVERHEAD)
                .isGreaterThan(Transport.MAX_PSDU);
        assertThat(WireSettings.of(WireTransport.MQTTSN_DTLS)
                        .withSnQos(SnCodec.Qos.FIRE_AND_FORGET)
                        .radioProfile())
                .isEqualTo(Transport.THREAD_MQTTSN_DTLS_QOS0);
        assertThat(WireTransport.MQTT_TLS.radioProfile(SnCodec.Qos.AT_LEAST_ONCE, false))
                .isEqualTo(Transport.THREAD_MQTT_TLS_QOS1);
    }

    @Test
    void anAttestationCostsAboutThreeHundredMicroCoulombsOnMqttSnAndMoreOverTcp() {
        assertThat(Transport.THREAD_MQTTSN_QOS0.attestationChargeMicroCoulombs(TOPIC))
                .isCloseTo(BatteryModel.ATTEST_UC, withinPercentage(10));
        assertThat(Transport.THREAD_MQTT_TCP_QOS1.attestationChargeMicroCoulombs(TOPIC))
                .isGreaterThan(Transport.THREAD_MQTTSN_QOS1.attestationChargeMicroCoulombs(TOPIC) + 50);
    }

    @Test
    void aFloodingDeviceDrainsItsCellFasterAndIsProjectedToDieSooner() {
        FleetSpec spec = FleetSpec.builder("127.0.0.1", 1884, new byte[32])
                .idPrefix("b-")
                .deviceCount(2)
                .messagesPerSecondPerDevice(1.0 / 60)
                .acceleration(3600)
                .duration(Duration.ofHours(2))
                .alertShare(0)
                .hostile(HostileRule.devices(Behaviour.FLOOD, 1).factor(10))
                .wire(WireSettings.of(WireTransport.MQTTSN_RELAY))
                .build();
        try (Fleet fleet = Fleet.start(spec, Clock.systemUTC(), ScriptedConnection::new)) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> fleet.publishingStopped().isDone());
            List<DeviceSnapshot> devices = fleet.snapshots();
            DeviceSnapshot honest = devices.get(0);
            DeviceSnapshot flood = devices.get(1);
            assertThat(flood.behaviour()).isEqualTo(Behaviour.FLOOD);
            assertThat(honest.behaviour()).isEqualTo(Behaviour.HONEST);
            assertThat(flood.usedMicroCoulombs()).isGreaterThan(honest.usedMicroCoulombs());
            assertThat(flood.projectedLifeYears()).isLessThan(honest.projectedLifeYears() * 0.8);
            assertThat(honest.projectedLifeYears()).isBetween(2.5, 3.6);
        }
    }
}
