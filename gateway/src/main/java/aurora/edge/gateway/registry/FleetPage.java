package aurora.edge.gateway.registry;

import java.util.List;
import java.util.Map;

/**
 * One page of the fleet ({@link FleetQuery}), as {@code GET /devices?…} serves it.
 *
 * @param total   registered devices
 * @param matched devices that pass the filters (over all pages)
 * @param counts  registered devices per trust state ({@code trusted}, {@code pending}, {@code quarantined}, {@code unapproved})
 * @param devices the page: JSON views, quarantined first, then by id
 */
public record FleetPage(
        int total, int matched, int page, int size, Map<String, Long> counts, List<Map<String, Object>> devices) {
    public FleetPage {
        counts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(counts));
        devices = List.copyOf(devices);
    }

    /** The one-line summary {@code devices list} prints. */
    public String summary() {
        return total + " devices: " + counts.getOrDefault("trusted", 0L) + " trusted, "
                + counts.getOrDefault("pending", 0L) + " pending, "
                + counts.getOrDefault("quarantined", 0L) + " quarantined, " + counts.getOrDefault("unapproved", 0L)
                + " unapproved; "
                + matched + " shown";
    }
}
