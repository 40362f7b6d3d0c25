package aurora.edge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulated part of a run depends on the seed and the spec only, not on real timing. */
class FleetDeterminismTest {
    private final ExecutorService acks = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        acks.shutdownNow();
    }

    private record Run(FleetReport report, List<String> ids) {}

    private Run run(long seed, double acceleration) {
        FleetSpec spec = FleetSpec.builder("127.0.0.1", 1883, new byte[32])
                .idPrefix("d-")
                .boot(5)
                .seed(seed)
                .deviceCount(40)
                .messagesPerSecondPerDevice(1.0 / 60)
                .acceleration(acceleration)
                .duration(Duration.ofHours(6))
                .alertShare(0.05)
                .model(DeviceModel.DEFAULT.withBadBatchShare(0.1))
                .hostile(
                        HostileRule.share(Behaviour.FLOOD, 0.05).factor(3),
                        HostileRule.share(Behaviour.SEQ_GAP, 0.05),
                        HostileRule.devices(Behaviour.CLOCK_SKEW, 0),
                        HostileRule.share(Behaviour.MALFORMED_JSON, 0.05))
                .build();
        try (Fleet fleet = Fleet.start(spec, Clock.systemUTC(), (c, e) -> new LoopbackConnection(c, e, acks))) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> fleet.publishingStopped().isDone());
            await().atMost(Duration.ofSeconds(30)).until(() -> fleet.stats().unacked() == 0);
            return new Run(fleet.report(), fleet.sentMessageIds());
        }
    }

    @Test
    void theSameSeedGivesTheSameSimulationAndTheSameMessagesAtAnyAcceleration() {
        Run first = run(42, 6 * 3600);
        Run second = run(42, 3 * 3600);
        assertThat(second.report().simulation()).isEqualTo(first.report().simulation());
        assertThat(second.ids()).isEqualTo(first.ids());
        FleetReport.Simulation sim = first.report().simulation();
        assertThat(sim.produced()).isGreaterThan(40 * 300);
        assertThat(sim.simulatedSeconds()).isBetween(6 * 3600L - 60, 6 * 3600L);
        assertThat(sim.devicesByBehaviour())
                .containsEntry("flood", 2)
                .containsEntry("seq-gap", 2)
                .containsEntry("clock-skew", 1)
                .containsEntry("malformed-json", 2)
                .containsEntry("honest", 33);
        assertThat(sim.injectedByBehaviour()).containsKey("malformed-json");
        assertThat(sim.chargeUsedMah()).isPositive();
    }

    @Test
    void anotherSeedGivesAnotherSimulation() {
        assertThat(run(43, 6 * 3600).report().simulation())
                .isNotEqualTo(run(42, 6 * 3600).report().simulation());
    }
}
