package aurora.edge.gateway.sim;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.sim.Fleet;
import aurora.edge.testing.RedisProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** Exact accounting by message id between a simulated fleet and what the gateway put in Redis. */
final class SimAccounting {
    static final List<String> DEVICE_STREAMS = List.of("aurora:cps:telemetry", "aurora:cps:alerts");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SimAccounting() {}

    /** Message ids in the device streams whose device id passes {@code device}. */
    static List<String> storedIds(RedisProbe redis, Predicate<String> device) {
        List<String> ids = new ArrayList<>();
        for (String stream : DEVICE_STREAMS) {
            // Stored ids carry the site ({site}:{device}:{boot}:{seq}); the simulator names its messages without it.
            redis.entries(stream).stream()
                    .map(e -> e.fields().get("id"))
                    .map(id -> id.substring(id.indexOf(':') + 1))
                    .filter(id -> device.test(id.substring(0, Math.max(0, id.indexOf(':')))))
                    .forEach(ids::add);
        }
        return ids;
    }

    /** Every id the fleet sent from devices passing {@code device} is in Redis exactly once, and nothing else of theirs. */
    static void assertEachSentMessageStoredOnce(Fleet fleet, RedisProbe redis, Predicate<String> device) {
        List<String> sent = fleet.sentMessageIds().stream()
                .filter(id -> device.test(id.substring(0, id.indexOf(':'))))
                .toList();
        List<String> stored = storedIds(redis, device);
        assertThat(stored).doesNotHaveDuplicates();
        // Set differences, not containsExactlyInAnyOrder: that compares pairwise, minutes for a fleet-day's 57,600 ids.
        Set<String> storedSet = new HashSet<>(stored);
        Set<String> sentSet = new HashSet<>(sent);
        assertThat(sent.stream().filter(id -> !storedSet.contains(id)).limit(20))
                .as("sent, not in Redis (first 20)")
                .isEmpty();
        assertThat(stored.stream().filter(id -> !sentSet.contains(id)).limit(20))
                .as("in Redis, never sent (first 20)")
                .isEmpty();
    }

    /** Audit events in {@code aurora:audit} with {@code code} about {@code deviceId}. */
    static long audited(RedisProbe redis, String code, String deviceId) {
        return redis.entries("aurora:audit").stream()
                .filter(e -> {
                    try {
                        JsonNode data = JSON.readTree(e.fields().get("data"));
                        return code.equals(data.path("fields")
                                        .path("code")
                                        .asText(data.path("title").asText()))
                                && deviceId.equals(data.path("device_id").asText());
                    } catch (IOException ex) {
                        return false;
                    }
                })
                .count();
    }

    static JsonNode data(RedisProbe.Entry entry) {
        try {
            return JSON.readTree(entry.fields().get("data"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
