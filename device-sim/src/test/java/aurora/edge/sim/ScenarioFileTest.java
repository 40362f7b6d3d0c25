package aurora.edge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioFileTest {
    @Test
    void readsTheModelAndAMixOfHostileRules() {
        ScenarioFile.Scenario s = ScenarioFile.parse("""
                model:
                  poll_interval: 30s
                  transport: thread-mqttsn-qos1
                  battery_start: 0.5
                  bad_batch_share: 0.01
                hostile:
                  - behaviour: flood
                    share: 0.01
                    factor: 50
                  - behaviour: clock-skew
                    devices: [4, 9]
                    skew: -26h
                  - behaviour: seq-gap
                    share: 0.02
                    every: 3
                """);
        assertThat(s.model())
                .isEqualTo(new DeviceModel(Duration.ofSeconds(30), Transport.THREAD_MQTTSN_QOS1, 0.5, 0.05, 0.01));
        assertThat(s.hostile())
                .containsExactly(
                        HostileRule.share(Behaviour.FLOOD, 0.01).factor(50),
                        new HostileRule(Behaviour.CLOCK_SKEW, 0, List.of(4, 9), 5, 20, Duration.ofHours(-26)),
                        HostileRule.share(Behaviour.SEQ_GAP, 0.02).every(3));
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsKeyAndValue() {
        assertThatThrownBy(() -> ScenarioFile.parse("""
                modle: {}
                model:
                  poll_interval: soon
                hostile:
                  - behaviour: teleport
                  - behaviour: flood
                    share: 2
                """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("modle: unknown key")
                .hasMessageContaining("model.poll_interval:")
                .hasMessageContaining("soon")
                .hasMessageContaining("hostile[0].behaviour: must be one of")
                .hasMessageContaining("'teleport'")
                .hasMessageContaining("hostile[1].share: share must be between 0 and 1, found: 2.0");
    }

    @Test
    void modelTransportNamesAWireOrAnOldRadioProfileAndAnythingElseIsReportedWithTheChoices() {
        ScenarioFile.Scenario wire = ScenarioFile.parse("model:\n  transport: mqttsn-relay\n");
        assertThat(wire.wire()).isEqualTo(WireTransport.MQTTSN_RELAY);
        assertThat(wire.radioExplicit()).isFalse();
        ScenarioFile.Scenario radio = ScenarioFile.parse("model:\n  transport: thread-mqttsn-dtls-qos0\n");
        assertThat(radio.wire()).isNull();
        assertThat(radio.radioExplicit()).isTrue();
        assertThat(radio.model().transport()).isEqualTo(Transport.THREAD_MQTTSN_DTLS_QOS0);
        assertThatThrownBy(() -> ScenarioFile.parse("model:\n  transport: zigbee\n"))
                .hasMessageContaining("model.transport: must be mqtt-tcp, mqtt-tls, mqttsn-dtls or mqttsn-relay")
                .hasMessageContaining("found: zigbee");
    }

    @Test
    void anEmptyScenarioIsTheDefaultModelAndAnHonestFleet() {
        assertThat(ScenarioFile.parse("")).isEqualTo(new ScenarioFile.Scenario(DeviceModel.DEFAULT, List.of()));
    }

    @Test
    void rulesTakeDevicesInOrderAndTheSameSeedPicksTheSameOnes() {
        FleetSpec spec = FleetSpec.builder("h", 1, new byte[32])
                .deviceCount(100)
                .seed(3)
                .hostile(HostileRule.devices(Behaviour.OVERSIZE, 7), HostileRule.share(Behaviour.FLOOD, 0.1))
                .build();
        HostileRule[] a = Assignments.assign(spec);
        assertThat(a[7].behaviour()).isEqualTo(Behaviour.OVERSIZE);
        assertThat(java.util.Arrays.stream(a).filter(r -> r != null && r.behaviour() == Behaviour.FLOOD))
                .hasSize(10);
        assertThat(Assignments.assign(spec)).isEqualTo(a);
    }
}
