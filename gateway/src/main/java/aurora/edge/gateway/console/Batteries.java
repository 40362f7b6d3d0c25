package aurora.edge.gateway.console;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest {@code battery_mv} of each device, in memory (one small entry per device that reported
 * one; only admitted devices reach it, so it is bounded by the registry). Lost at restart: the next
 * reading fills it again.
 */
final class Batteries {
    record Reading(int millivolts, Instant at) {}

    private final Map<String, Reading> latest = new ConcurrentHashMap<>();

    void put(String deviceId, int millivolts, Instant at) {
        latest.merge(
                deviceId, new Reading(millivolts, at), (old, now) -> now.at().isBefore(old.at()) ? old : now);
    }

    Optional<Reading> of(String deviceId) {
        return Optional.ofNullable(latest.get(deviceId));
    }
}
