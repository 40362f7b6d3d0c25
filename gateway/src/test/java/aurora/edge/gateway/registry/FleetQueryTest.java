package aurora.edge.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one way the fleet is filtered, ordered and paged, for the console's fleet page and {@code devices list}. */
class FleetQueryTest {
    private static Device device(String id, AttestationState state, boolean quarantined) {
        Device d = DeviceViewTest.device();
        return new Device(
                d.uuid(),
                id,
                d.deviceType(),
                d.board(),
                d.firmwareVersion(),
                d.reportedBoot(),
                d.firstSeen(),
                d.lastSeen(),
                d.securityCounterMark(),
                d.bootCountMark(),
                state,
                quarantined ? "unknown_hash" : "ok",
                quarantined,
                true,
                d.statusChangedAt(),
                d.lastAttestedAt(),
                d.nextAttestAt(),
                0,
                d.keyRef(),
                d.attestedHash(),
                null,
                null);
    }

    private static List<Device> fleet(int n) {
        List<Device> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean bad = i % 1000 == 999;
            out.add(device(
                    String.format(Locale.ROOT, "sim-%05d", i),
                    bad ? AttestationState.TAMPERED : AttestationState.TRUSTED,
                    bad));
        }
        return out;
    }

    @Test
    void quarantinedDevicesComeFirstThenByIdWithCountsOverTheWholeFleet() {
        FleetPage page = new FleetQuery(null, null, null, 0, 3).run(fleet(3000), d -> DeviceView.of(d, null));
        assertThat(page.devices())
                .extracting(d -> d.get("device_id"))
                .containsExactly("sim-00999", "sim-01999", "sim-02999");
        assertThat(page.total()).isEqualTo(3000);
        assertThat(page.matched()).isEqualTo(3000);
        assertThat(page.counts())
                .containsEntry("quarantined", 3L)
                .containsEntry("trusted", 2997L)
                .containsEntry("pending", 0L);
        assertThat(page.summary())
                .isEqualTo("3000 devices: 2997 trusted, 0 pending, 3 quarantined, 0 unapproved; 3000 shown");
    }

    @Test
    void aPollOfTenThousandDevicesBuildsTheJsonOfOnePageOnly() {
        AtomicInteger views = new AtomicInteger();
        FleetPage page = FleetQuery.of(Map.of("page", "3", "size", "50")).run(fleet(10_000), d -> {
            views.incrementAndGet();
            return DeviceView.of(d, null);
        });
        assertThat(page.devices()).hasSize(50);
        assertThat(views).hasValue(50);
        assertThat(page.devices().get(0).get("device_id")).isEqualTo("sim-00140");
    }

    @Test
    void filtersByTrustOrAttestationStateAndByPartOfTheIdInAnyCase() {
        List<Device> devices = fleet(2000);
        assertThat(FleetQuery.all("QUARANTINED", null)
                        .run(devices, d -> DeviceView.of(d, null))
                        .matched())
                .isEqualTo(2);
        assertThat(FleetQuery.all("tampered", null)
                        .run(devices, d -> DeviceView.of(d, null))
                        .matched())
                .isEqualTo(2);
        FleetPage q = FleetQuery.of(Map.of("q", "SIM-0199")).run(devices, d -> DeviceView.of(d, null));
        assertThat(q.devices()).extracting(d -> d.get("device_id")).first().isEqualTo("sim-01999");
        assertThat(q.matched()).isEqualTo(10);
    }

    @Test
    void healthIsMatchedOnTheViewsHealthFieldWhenItHasOne() {
        List<Device> devices = fleet(4);
        FleetPage stale = FleetQuery.all(null, "stale").run(devices, d -> {
            Map<String, Object> v = DeviceView.of(d, null);
            v.put("health", d.deviceId().endsWith("1") ? "Stale" : "Online");
            return v;
        });
        assertThat(stale.devices()).extracting(d -> d.get("device_id")).containsExactly("sim-00001");
        assertThat(FleetQuery.all(null, "stale")
                        .run(devices, d -> DeviceView.of(d, null))
                        .matched())
                .as("no judgement made: every device online, none stale")
                .isZero();
    }

    @Test
    void badParametersAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> FleetQuery.of(Map.of("state", "bogus"))).hasMessageContaining("state must be one of");
        assertThatThrownBy(() -> FleetQuery.of(Map.of("size", "501"))).hasMessageContaining("size must be <= 500");
        assertThatThrownBy(() -> FleetQuery.of(Map.of("page", "-1"))).hasMessageContaining("page must be >= 0");
        assertThatThrownBy(() -> FleetQuery.of(Map.of("page", "x")))
                .hasMessageContaining("page must be a whole number");
        assertThatThrownBy(() -> FleetQuery.of(Map.of("health", "asleep")))
                .hasMessageContaining("health must be one of offline|online|stale");
    }
}
