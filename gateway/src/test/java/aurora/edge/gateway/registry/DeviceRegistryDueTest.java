package aurora.edge.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.testing.TestDevices;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceRegistryDueTest {
    private static final Instant T0 = Instant.parse("2026-12-05T00:00:00Z");

    @TempDir
    Path dir;

    private DeviceRegistry registry;

    @BeforeEach
    void open() {
        registry = new DeviceRegistry(DeviceRegistry.openDatabase(dir.resolve("registry.db")));
    }

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void dueForAttestationListsOnlyDevicesWhoseChallengeIsDueOrderedById() {
        registry.reserve(device("c-late", T0.minusSeconds(60)));
        registry.reserve(device("a-now", T0));
        registry.reserve(device("b-later", T0.plusSeconds(1)));
        registry.reserve(device("d-never", null));

        assertThat(registry.dueForAttestation(T0)).extracting(Device::deviceId).containsExactly("a-now", "c-late");
        assertThat(registry.dueForAttestation(T0.plusSeconds(1)))
                .extracting(Device::deviceId)
                .containsExactly("a-now", "b-later", "c-late");
    }

    /** The sweep asks twice a second: on a fleet where nothing is due it must not copy (or sort) the fleet. */
    @Test
    void aPassOverTenThousandDevicesWithNothingDueAllocatesAlmostNothing() {
        for (int i = 0; i < 10_000; i++) {
            registry.reserve(
                    device(String.format(java.util.Locale.ROOT, "sleepy-%05d", i), T0.plus(Duration.ofDays(1))));
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 50; i++) {
            assertThat(registry.dueForAttestation(T0)).isEmpty(); // warm-up: let the JIT settle
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 10; i++) {
            registry.dueForAttestation(T0);
        }
        long perPass = (threads.getThreadAllocatedBytes(thread) - before) / 10;

        // a copy of the fleet alone is 10,000 references (40-80 KB), before any sorting
        assertThat(perPass).isLessThan(4_096);
    }

    private static Device device(String id, @Nullable Instant nextAttestAt) {
        return TestDevices.registered(id, T0).withSchedule(nextAttestAt, 0);
    }
}
