package aurora.edge.gateway.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.GatewayStack;
import aurora.edge.gateway.TestGateway;
import aurora.edge.sim.Fleet;
import aurora.edge.sim.FleetReport;
import aurora.edge.sim.FleetSpec;
import io.lettuce.core.RedisCommandTimeoutException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** 200 honest coin-cell devices live through a simulated day in half a minute; the gateway loses and duplicates nothing. */
class HonestFleetDayIT {
    private static final Logger log = LoggerFactory.getLogger(HonestFleetDayIT.class);
    private static final int DEVICES = 200;
    /** One reading every 5 simulated minutes: 288 a day per device. */
    private static final double RATE = 1.0 / 300;
    /** A simulated day in 30 real seconds. */
    private static final double ACCELERATION = 86_400.0 / 30;

    @RegisterExtension
    final GatewayStack stack = GatewayStack.with(Map.of());

    private TestGateway gw() {
        return stack.gateway();
    }

    @Test
    void anHonestFleetRunsASimulatedDayInUnderAMinuteWithEveryMessageStoredOnce() throws Exception {
        long startedAt = System.nanoTime();
        FleetReport report;
        try (Fleet fleet = Fleet.start(FleetSpec.builder("127.0.0.1", gw().mqttPort(), gw().siteKey())
                .deviceCount(DEVICES)
                .idPrefix("day-")
                .seed(11)
                .messagesPerSecondPerDevice(RATE)
                .acceleration(ACCELERATION)
                .duration(Duration.ofDays(1))
                .alertShare(0.01)
                .maxConcurrentConnects(200)
                .build())) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> fleet.publishingStopped().isDone());
            assertThat(Duration.ofNanos(System.nanoTime() - startedAt)).isLessThan(Duration.ofMinutes(1));
            await().atMost(Duration.ofSeconds(30)).until(() -> fleet.stats().unacked() == 0);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> gw().gateway().status().sinks().stream().allMatch(s -> s.backlog() == 0));
            report = fleet.report();
            log.info("honest fleet day report={}", report);

            FleetReport.Simulation sim = report.simulation();
            assertThat(sim.produced()).isBetween(DEVICES * 287L, DEVICES * 288L);
            assertThat(report.stats().sent()).isEqualTo(sim.produced());
            assertThat(report.stats().droppedOnDevice()).isZero();
            assertThat(sim.simulatedSeconds()).isGreaterThan(86_400 - 300);
            assertThat(sim.devicesBrownedOut()).isZero();
            assertThat(sim.batteryMinMv()).isGreaterThanOrEqualTo(2950);
            assertThat(sim.projectedLifeYearsMin()).isBetween(2.0, 7.0);
            assertThat(report.latency().count()).isEqualTo(sim.produced());
            // Reading 57,600 entries back can exceed the probe's 2 s timeout on two busy cores: retry, don't fail.
            await().atMost(Duration.ofSeconds(60))
                    .ignoreException(RedisCommandTimeoutException.class)
                    .untilAsserted(() -> SimAccounting.assertEachSentMessageStoredOnce(
                            fleet, stack.redisProbe(), id -> id.startsWith("day-")));
        }
        assertThat(gw().metric("aurora_intake_rejected")).isZero();
    }
}
