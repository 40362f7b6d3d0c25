package aurora.edge.gateway.registry;

import aurora.edge.gateway.device.Health;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one JSON view of a registered device: what {@code GET /devices}, {@code GET /devices/{id}},
 * the operator commands' answers and {@code devices list|show --json} print. Never a nonce, never a
 * key (only the endorsed key's fingerprint). A field added here appears everywhere at once.
 */
public final class DeviceView {
    /** The field names, in order; pinned by a test because scripts and the SOC read them. */
    public static final List<String> FIELDS = List.of(
            "device_id",
            "uuid",
            "device_type",
            "board",
            "firmware_version",
            "firmware_stack",
            "reported_boot",
            "first_seen",
            "last_seen",
            "health",
            "health_since",
            "status",
            "reason",
            "trust",
            "quarantined",
            "approved",
            "status_changed_at",
            "last_attested_at",
            "next_attest_at",
            "unanswered_challenges",
            "security_counter_mark",
            "boot_count_mark",
            "endorsed_key",
            "attested_hash");

    private DeviceView() {}

    /**
     * The device as a JSON-ready map, keys in {@link #FIELDS} order; absent values are null.
     *
     * @param health the health check's last judgement of the device, or null when it made none (the device is Online)
     */
    public static Map<String, Object> of(Device d, @Nullable HealthMark health) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device_id", d.deviceId());
        m.put("uuid", d.uuid());
        m.put("device_type", d.deviceType());
        m.put("board", d.board());
        m.put("firmware_version", d.firmwareVersion());
        m.put("firmware_stack", d.firmwareStack());
        m.put("reported_boot", d.reportedBoot());
        m.put("first_seen", text(d.firstSeen()));
        m.put("last_seen", text(d.lastSeen()));
        m.put("health", (health == null ? Health.ONLINE : health.health()).wireName());
        m.put("health_since", health == null ? null : text(health.since()));
        m.put("status", d.state().name());
        m.put("reason", d.reason());
        m.put("trust", d.trust().wireName());
        m.put("quarantined", d.quarantined());
        m.put("approved", d.approved());
        m.put("status_changed_at", text(d.statusChangedAt()));
        m.put("last_attested_at", text(d.lastAttestedAt()));
        m.put("next_attest_at", text(d.nextAttestAt()));
        m.put("unanswered_challenges", d.unanswered());
        m.put("security_counter_mark", d.securityCounterMark());
        m.put("boot_count_mark", d.bootCountMark());
        m.put("endorsed_key", d.keyRef());
        m.put("attested_hash", d.attestedHash());
        return m;
    }

    /** ISO-8601 UTC, or null. */
    public static @Nullable String text(@Nullable Instant at) {
        return at == null ? null : at.toString();
    }
}
