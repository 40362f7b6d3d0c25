package aurora.edge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Known answers: the worked examples of reference device-and-attestation.md §4.4, within 10 %. */
class BatteryModelTest {
    /** The reference's MQTT/TCP rows assume a short topic; ours is aurora/sensors/sim-00000/telemetry. */
    private static final int TOPIC = "aurora/sensors/sim-00000/telemetry".length();

    @ParameterizedTest(name = "{0}, poll {1} s: {2} µA, {3} h")
    @CsvSource({
        "THREAD_MQTTSN_QOS0,   1, 22.2,  8100",
        "THREAD_MQTTSN_QOS0,  10,  5.9, 30300",
        "THREAD_MQTTSN_QOS0,  60,  4.4, 40600",
        "THREAD_MQTTSN_QOS1,  10,  6.2, 29030",
        "THREAD_MQTT_TCP_QOS1, 10, 7.7, 23650",
        "THREAD_MQTT_TCP_QOS1,  1, 23.9, 7530"
    })
    void aSixtyByteReadingEverySixtySecondsMatchesTheWorkedExample(
            Transport transport, int pollSeconds, double microAmps, double hours) {
        double current = BatteryModel.averageMicroAmps(
                transport, 60, TOPIC, Duration.ofSeconds(60), Duration.ofSeconds(pollSeconds), null);
        assertThat(current).isCloseTo(microAmps, withinPercentage(10));
        assertThat(BatteryModel.lifeHours(current)).isCloseTo(hours, withinPercentage(10));
    }

    @Test
    void theRadioChargeOfOneMessageMatchesTheReferenceTable() {
        assertThat(Transport.THREAD_MQTTSN_QOS0.messageChargeMicroCoulombs(60, TOPIC))
                .isCloseTo(50, withinPercentage(10));
        assertThat(Transport.THREAD_MQTTSN_QOS1.messageChargeMicroCoulombs(60, TOPIC))
                .isCloseTo(68, withinPercentage(10));
        assertThat(Transport.THREAD_MQTT_TCP_QOS1.messageChargeMicroCoulombs(60, TOPIC))
                .isCloseTo(150, withinPercentage(10));
        assertThat(Transport.frameCharge(127)).isCloseTo(40, withinPercentage(10));
        assertThat(Transport.frameCharge(20)).as("a data poll").isCloseTo(BatteryModel.POLL_UC, withinPercentage(10));
    }

    @Test
    void biggerMessagesCostMore() {
        assertThat(Transport.THREAD_MQTT_TCP_QOS1.messageChargeMicroCoulombs(400, TOPIC))
                .isGreaterThan(Transport.THREAD_MQTT_TCP_QOS1.messageChargeMicroCoulombs(60, TOPIC) + 60);
    }

    @Test
    void attestationDailyOrHourlyIsNegligible() {
        Duration minute = Duration.ofSeconds(60);
        Duration poll = Duration.ofSeconds(10);
        double base = BatteryModel.averageMicroAmps(Transport.THREAD_MQTTSN_QOS0, 60, TOPIC, minute, poll, null);
        assertThat(BatteryModel.averageMicroAmps(
                                Transport.THREAD_MQTTSN_QOS0, 60, TOPIC, minute, poll, Duration.ofDays(1))
                        - base)
                .isCloseTo(0.0035, within(0.0005));
        assertThat(BatteryModel.averageMicroAmps(
                                Transport.THREAD_MQTTSN_QOS0, 60, TOPIC, minute, poll, Duration.ofHours(1))
                        - base)
                .isCloseTo(0.083, within(0.002));
    }

    @Test
    void projectedLifeIsCappedAtSevenYears() {
        assertThat(BatteryModel.lifeYears(BatteryModel.usableMicroCoulombs(), 0.5))
                .isEqualTo(BatteryModel.MAX_LIFE_YEARS);
        assertThat(BatteryModel.lifeYears(BatteryModel.usableMicroCoulombs(), 22.2))
                .isCloseTo(0.93, withinPercentage(10));
    }

    @Test
    void aCellDrainedByTheWorkedExampleForItsLifeIsEmptyThenAndNotBefore() {
        Duration poll = Duration.ofSeconds(10);
        CoinCell cell =
                new CoinCell(BatteryModel.usableMicroCoulombs(), 1.0, poll.toNanos(), 0, new SplittableRandom(3));
        double message = Transport.THREAD_MQTTSN_QOS0.messageChargeMicroCoulombs(60, TOPIC);
        long minute = 60_000_000_000L;
        long minutes = (long) (3.5 * 365.25 * 24 * 60 * 0.85); // 85 % of the reference's 3.5 years
        for (long m = 1; m <= minutes; m++) {
            cell.advanceTo(m * minute);
            cell.draw(message);
        }
        assertThat(cell.empty()).isFalse();
        assertThat(cell.openCircuitMv()).isBetween(2600, 2950);
        for (long m = minutes + 1; m <= minutes * 1.3; m++) {
            cell.advanceTo(m * minute);
            cell.draw(message);
        }
        assertThat(cell.empty()).isTrue();
    }

    @Test
    void voltageStaysFlatThenSagsUnderLoadUntilTheTxPulseBrownsTheDeviceOut() {
        CoinCell fresh = new CoinCell(1_000_000, 1.0, 10_000_000_000L, 0, new SplittableRandom(1));
        assertThat(fresh.openCircuitMv()).isEqualTo(3000);
        assertThat(fresh.loadedMv()).isBetween(2850, 2900);
        assertThat(fresh.browsOutUnderLoad()).isFalse();
        CoinCell worn = new CoinCell(1_000_000, 0.5, 10_000_000_000L, 0, new SplittableRandom(1));
        assertThat(worn.openCircuitMv()).isBetween(2900, 2950);
        CoinCell low = new CoinCell(1_000_000, 0.04, 10_000_000_000L, 0, new SplittableRandom(1));
        assertThat(low.loadedMv()).isLessThan(BatteryModel.LOW_BATTERY_MV);
        assertThat(low.browsOutUnderLoad()).isFalse();
        CoinCell nearlyEmpty = new CoinCell(1_000_000, 0.012, 10_000_000_000L, 0, new SplittableRandom(1));
        assertThat(nearlyEmpty.empty()).isFalse();
        assertThat(nearlyEmpty.browsOutUnderLoad()).isTrue();
    }
}
