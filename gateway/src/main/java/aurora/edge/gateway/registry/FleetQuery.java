package aurora.edge.gateway.registry;

import aurora.edge.gateway.device.Health;
import aurora.edge.gateway.device.Trust;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One page of the fleet, filtered and ordered the one way both {@code GET /devices?state=&health=&q=&page=&size=}
 * (the console's fleet page) and {@code devices list --state --health} do it: quarantined devices
 * first, then by id; counts per trust state over the whole fleet. Only the devices of the page are
 * turned into JSON views (unless a health filter needs each one's view), so a poll of a
 * 10,000-device fleet costs one pass over memory and one page of JSON.
 *
 * @param state  a trust state ({@code trusted}, {@code pending}, {@code quarantined}, {@code unapproved}) or an
 *               attestation state ({@code tampered}, {@code unknown_firmware}, …), any case; null for all
 * @param health matched against the view's {@code health} field (Online, Stale, Offline), any case; null for all
 * @param q      part of the device id, any case; null for all
 * @param page   0-based
 */
public record FleetQuery(
        @Nullable String state,
        @Nullable String health,
        @Nullable String q,
        int page,
        int size) {
    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;
    private static final Set<String> STATES = Stream.concat(
                    Stream.of(Trust.values()).map(Trust::wireName),
                    Stream.of(AttestationState.values()).map(s -> s.name().toLowerCase(Locale.ROOT)))
            .collect(Collectors.toUnmodifiableSet());

    public FleetQuery {
        state = blankToNull(state);
        health = blankToNull(health);
        q = blankToNull(q);
        if (state != null && !STATES.contains(state.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("state must be one of "
                    + String.join("|", new java.util.TreeSet<>(STATES)) + ", found \"" + printable(state) + "\"");
        }
        if (health != null && Health.parse(health).isEmpty()) {
            throw new IllegalArgumentException(
                    "health must be one of offline|online|stale, found \"" + printable(health) + "\"");
        }
        if (page < 0) {
            throw new IllegalArgumentException("page must be >= 0, found " + page);
        }
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1, found " + size);
        }
        if (q != null && q.length() > 64) {
            throw new IllegalArgumentException("q must be at most 64 characters, found " + q.length());
        }
    }

    /** Every matching device on one page, for the command line. */
    public static FleetQuery all(String state, String health) {
        return new FleetQuery(state, health, null, 0, Integer.MAX_VALUE);
    }

    /** From the query string of {@code GET /devices}; a bad parameter is an IllegalArgumentException naming it. */
    public static FleetQuery of(Map<String, String> params) {
        int size = number(params, "size", DEFAULT_SIZE);
        if (size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be <= " + MAX_SIZE + ", found " + size);
        }
        return new FleetQuery(
                params.get("state"), params.get("health"), params.get("q"), number(params, "page", 0), size);
    }

    /** The page of the fleet this query asks for. */
    public FleetPage run(Collection<Device> fleet, Function<Device, Map<String, Object>> view) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Trust t : Trust.values()) {
            counts.put(t.wireName(), 0L);
        }
        List<Device> matched = new ArrayList<>();
        String needle = q == null ? null : q.toLowerCase(Locale.ROOT);
        for (Device d : fleet) {
            counts.merge(d.trust().wireName(), 1L, Long::sum);
            if ((state == null
                            || state.equalsIgnoreCase(d.trust().wireName())
                            || state.equalsIgnoreCase(d.state().name()))
                    && (needle == null || d.deviceId().toLowerCase(Locale.ROOT).contains(needle))) {
                matched.add(d);
            }
        }
        matched.sort(Comparator.comparing((Device d) -> !d.quarantined()).thenComparing(Device::deviceId));
        List<Map<String, Object>> views;
        int count;
        long from = (long) page * size;
        if (health == null) {
            count = matched.size();
            views = matched.stream().skip(from).limit(size).map(view).toList();
        } else {
            List<Map<String, Object>> healthy = matched.stream()
                    .map(view)
                    .filter(v -> v.get("health") != null && health.equalsIgnoreCase(String.valueOf(v.get("health"))))
                    .toList();
            count = healthy.size();
            views = healthy.stream().skip(from).limit(size).toList();
        }
        return new FleetPage(fleet.size(), count, page, size, counts, views);
    }

    private static int number(Map<String, String> params, String name, int fallback) {
        String v = params.get(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, found \"" + printable(v) + "\"");
        }
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String printable(String s) {
        return aurora.edge.gateway.device.Printable.of(s);
    }
}
