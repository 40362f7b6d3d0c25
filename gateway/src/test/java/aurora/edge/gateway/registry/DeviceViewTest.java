package aurora.edge.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.gateway.device.Health;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeviceViewTest {
    static Device device() {
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        return new Device(
                "c0ffee00-0000-4000-8000-000000000001",
                "sensor-1",
                "nrf52840",
                "nrf52840dk",
                "1.2.0",
                7,
                t,
                t.plusSeconds(60),
                3,
                7,
                AttestationState.TRUSTED,
                "ok",
                false,
                true,
                t.plusSeconds(5),
                t.plusSeconds(5),
                t.plusSeconds(86_400),
                0,
                "ab".repeat(32),
                "cd".repeat(32),
                "req-1",
                "rust_embassy");
    }

    @Test
    void theDeviceViewHasExactlyThePinnedFieldsInOrder() {
        assertThat(DeviceView.of(device(), null).keySet()).containsExactlyElementsOf(DeviceView.FIELDS);
        assertThat(DeviceView.FIELDS)
                .containsExactly(
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
    }

    @Test
    void theDeviceViewShowsStateAndTimesAsTheWireSpellsThemAndNoRequestIds() {
        var view = DeviceView.of(device(), null);
        assertThat(view)
                .containsEntry("status", "TRUSTED")
                .containsEntry("trust", "trusted")
                .containsEntry("reported_boot", 7L)
                .containsEntry("first_seen", "2026-12-01T10:00:00Z")
                .containsEntry("last_attested_at", "2026-12-01T10:00:05Z")
                .containsEntry("endorsed_key", "ab".repeat(32))
                .containsEntry("attested_hash", "cd".repeat(32))
                .containsEntry("firmware_stack", "rust_embassy");
        assertThat(view.values()).doesNotContain("req-1");
    }

    @Test
    void theDeviceViewShowsTheHealthCheckJudgementAndOnlineWhenThereIsNone() {
        assertThat(DeviceView.of(device(), null))
                .containsEntry("health", "online")
                .containsEntry("health_since", null);
        Instant t = Instant.parse("2026-12-01T11:00:00Z");
        var stale = DeviceView.of(device(), new HealthMark("sensor-1", Health.STALE, t, t.minusSeconds(600)));
        assertThat(stale).containsEntry("health", "stale").containsEntry("health_since", "2026-12-01T11:00:00Z");
    }
}
