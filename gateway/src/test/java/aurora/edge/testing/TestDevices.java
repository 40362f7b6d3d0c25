package aurora.edge.testing;

import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.Device;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** Registry entries for unit tests, as the gateway makes them when a device first speaks. */
public final class TestDevices {
    private TestDevices() {}

    /**
     * A device that registered at {@code at} and waits for its first verdict: PENDING, approved, not
     * endorsed, an nRF52840 DK on firmware 1.2.0, boot 1, no challenge scheduled; its uuid is derived
     * from its id, so the same id gives the same entry. Change it with {@link Device}'s withers.
     */
    public static Device registered(String id, Instant at) {
        return new Device(
                UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString(),
                id,
                null,
                "nrf52840dk",
                "1.2.0",
                1,
                at,
                at,
                0,
                0,
                AttestationState.PENDING,
                "registered",
                false,
                true,
                at,
                null,
                null,
                0,
                null,
                null,
                null,
                null);
    }
}
