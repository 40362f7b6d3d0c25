package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.sim.Fleet;
import aurora.edge.sim.FleetSpec;
import aurora.edge.testing.RedisProbe;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Both sinks down, the outbox fills past its limit: only telemetry is evicted, counted and audited; alerts all arrive. */
class OutboxCapIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @RegisterExtension
    final GatewayStack stack = GatewayStack.with(Map.of(
                    "AURORA_OUTBOX_MAX_BYTES",
                    "1MiB",
                    "AURORA_OUTBOX_HARD_MAX_BYTES",
                    "4MiB",
                    "AURORA_NATS_ALERT_MIN_SEVERITY",
                    "info"))
            .withDurableRedis();

    @Test
    void anOutageThatOverfillsTheOutboxEvictsOnlyTelemetryAndReportsIt() throws Exception {
        TestGateway gw = stack.gateway();
        stack.redis().kill();
        stack.nats().kill();
        Fleet fleet = stack.closeAfter(Fleet.start(FleetSpec.builder("127.0.0.1", gw.mqttPort(), gw.siteKey())
                .deviceCount(20)
                .idPrefix("cap-")
                .messagesPerSecondPerDevice(50)
                .alertShare(0.2)
                .maxMessagesPerDevice(250)
                .seed(5)
                .build()));
        await().atMost(PATIENCE)
                .until(() -> fleet.publishingStopped().isDone() && fleet.stats().unacked() == 0);
        await().atMost(PATIENCE).until(() -> gw.metric("aurora_outbox_evicted", "channel", "telemetry") > 0);
        double acceptedAlerts = gw.metric("aurora_intake_accepted", "channel", "alert");
        double acceptedTelemetry = gw.metric("aurora_intake_accepted", "channel", "telemetry");

        stack.redis().restart();
        stack.nats().restart();
        await().atMost(PATIENCE)
                .until(() -> gw.gateway().status().sinks().stream().allMatch(s -> s.backlog() == 0));
        double evicted = gw.metric("aurora_outbox_evicted", "channel", "telemetry");
        assertThat(gw.metric("aurora_outbox_evicted", "channel", "alert")).isZero();

        try (RedisProbe probe = new RedisProbe(stack.redis().url())) {
            List<String> alerts = ids(probe, "aurora:cps:alerts");
            List<String> telemetry = ids(probe, "aurora:cps:telemetry");
            assertThat(alerts).doesNotHaveDuplicates().hasSize((int) acceptedAlerts);
            assertThat(telemetry).doesNotHaveDuplicates().hasSize((int) (acceptedTelemetry - evicted));
            Set<String> sent = new HashSet<>(fleet.sentMessageIds());
            assertThat(sent).containsAll(alerts).containsAll(telemetry);
            long auditedEvictions = probe.entries("aurora:audit").stream()
                    .mapToLong(e -> evictedCount(e.fields().get("data")))
                    .sum();
            assertThat(auditedEvictions).isEqualTo((long) evicted);
        }
    }

    private static List<String> ids(RedisProbe probe, String stream) {
        return probe.entries(stream).stream()
                .map(e -> FleetAccounting.withoutSite(e.fields().get("id")))
                .filter(id -> id.startsWith("cap-"))
                .toList();
    }

    private static long evictedCount(String data) {
        try {
            var fields = JSON.readTree(data).path("fields");
            return "OUTBOX_EVICTED".equals(fields.path("code").asText())
                    ? fields.path("count").asLong()
                    : 0;
        } catch (Exception e) {
            return 0;
        }
    }
}
