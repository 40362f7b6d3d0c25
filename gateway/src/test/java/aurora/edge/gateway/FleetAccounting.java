package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.sim.Fleet;
import aurora.edge.testing.NatsProbe;
import aurora.edge.testing.RedisProbe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Exact accounting by message id: what a fleet sent against what reached Redis and JetStream. */
final class FleetAccounting {
    private FleetAccounting() {}

    /** The gateway's id of a device message, {@code site:device:boot:seq}, as the simulator names it: {@code device:boot:seq}. */
    static String withoutSite(String storedId) {
        return storedId.substring(storedId.indexOf(':') + 1);
    }

    /** Every id the fleet sent is in Redis (telemetry or alerts) exactly once, and nothing else of the fleet is. */
    static void assertRedisHoldsEachSentMessageOnce(Fleet fleet, RedisProbe redis, String idPrefix) {
        List<String> stored = new ArrayList<>();
        for (String stream : List.of("aurora:cps:telemetry", "aurora:cps:alerts")) {
            redis.entries(stream).stream()
                    .map(e -> withoutSite(e.fields().get("id")))
                    .filter(id -> id.startsWith(idPrefix))
                    .forEach(stored::add);
        }
        assertThat(stored).doesNotHaveDuplicates();
        assertThat(stored).containsExactlyInAnyOrderElementsOf(fleet.sentMessageIds());
    }

    /** Within each stream, each device's messages appear in seq order. */
    static void assertPerDeviceOrderInRedis(RedisProbe redis, String idPrefix) {
        for (String stream : List.of("aurora:cps:telemetry", "aurora:cps:alerts")) {
            List<String> ids = redis.entries(stream).stream()
                    .map(e -> withoutSite(e.fields().get("id")))
                    .filter(id -> id.startsWith(idPrefix))
                    .toList();
            assertInDeviceOrder(ids);
        }
    }

    /** Every alert the fleet sent is on the JetStream alerts subject exactly once, in per-device order. */
    static void assertJetStreamHoldsEachAlertOnce(RedisProbe redis, NatsProbe nats, String idPrefix) {
        List<String> alertIds = redis.entries("aurora:cps:alerts").stream()
                .map(e -> withoutSite(e.fields().get("id")))
                .filter(id -> id.startsWith(idPrefix))
                .toList();
        List<String> federated = nats.messages("AURORA", "AURORA.alerts").stream()
                .map(NatsProbe.StoredMessage::msgId)
                .filter(id -> id != null)
                .map(FleetAccounting::withoutSite)
                .filter(id -> id.startsWith(idPrefix))
                .toList();
        assertThat(federated).doesNotHaveDuplicates();
        assertThat(federated).containsExactlyInAnyOrderElementsOf(alertIds);
        assertInDeviceOrder(federated);
    }

    private static void assertInDeviceOrder(List<String> ids) {
        Map<String, List<Long>> seqsByDevice = new HashMap<>();
        for (String id : ids) {
            String[] parts = id.split(":");
            seqsByDevice
                    .computeIfAbsent(parts[0] + ":" + parts[1], k -> new ArrayList<>())
                    .add(Long.parseLong(parts[2]));
        }
        seqsByDevice.forEach(
                (device, seqs) -> assertThat(seqs).as("order of %s", device).isSorted());
    }

    static Map<String, Long> countById(List<String> ids) {
        return ids.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }
}
