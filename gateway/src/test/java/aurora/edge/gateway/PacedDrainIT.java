package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.sim.Fleet;
import aurora.edge.sim.FleetSpec;
import aurora.edge.testing.RedisProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code forward.drain_max_rate}: after an outage the telemetry backlog reaches Redis no faster than
 * the configured pace, while a live alert overtakes it on the priority lane.
 */
class PacedDrainIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int BACKLOG = 3000;
    private static final int RATE = 1000;
    private static final int BATCH = 100;

    @RegisterExtension
    final GatewayStack stack = GatewayStack.with(Map.of(
            "AURORA_FORWARD_DRAIN_MAX_RATE", String.valueOf(RATE), "AURORA_FORWARD_BATCH_SIZE", String.valueOf(BATCH)));

    @Test
    void aBacklogDrainsAtTheConfiguredPaceWhileALiveAlertOvertakesIt() throws Exception {
        TestGateway gw = stack.gateway();
        stack.redis().kill();
        Fleet fleet = stack.closeAfter(Fleet.start(FleetSpec.builder("127.0.0.1", gw.mqttPort(), gw.siteKey())
                .deviceCount(10)
                .idPrefix("pace-")
                .messagesPerSecondPerDevice(100)
                .alertShare(0)
                .maxMessagesPerDevice(BACKLOG / 10)
                .seed(9)
                .build()));
        await().atMost(PATIENCE)
                .until(() -> fleet.publishingStopped().isDone() && fleet.stats().unacked() == 0);

        stack.redis().restart();
        RedisProbe probe = stack.redisProbe();
        await().atMost(PATIENCE).until(() -> probe.xlen("aurora:cps:telemetry") > 0);
        assertThat(MosquittoClients.publish(
                                gw.mqttPort(),
                                "pace-live",
                                gw.passwordFor("pace-live"),
                                "aurora/sensors/pace-live/alerts",
                                "{\"seq\":1,\"severity\":\"high\",\"kind\":\"tamper\"}",
                                1)
                        .exitCode())
                .isZero();
        await().atMost(PATIENCE).until(() -> probe.xlen("aurora:cps:telemetry") == BACKLOG);

        List<RedisProbe.Entry> telemetry = probe.entries("aurora:cps:telemetry");
        long drainMillis = millis(telemetry.get(telemetry.size() - 1)) - millis(telemetry.get(0));
        // the first batch goes at once, every further one waits for its share of the pace
        assertThat(drainMillis).isGreaterThanOrEqualTo((long) ((BACKLOG - BATCH) * 1000L / RATE * 0.9));
        RedisProbe.Entry alert = probe.entries("aurora:cps:alerts").stream()
                .filter(e -> e.fields().get("id").startsWith("site-test:pace-live:"))
                .findFirst()
                .orElseThrow();
        assertThat(millis(alert)).isLessThan(millis(telemetry.get(telemetry.size() - 1)));
    }

    /** The Redis server's clock when it appended the entry, from the entry id. */
    private static long millis(RedisProbe.Entry e) {
        return Long.parseLong(e.id().substring(0, e.id().indexOf('-')));
    }
}
