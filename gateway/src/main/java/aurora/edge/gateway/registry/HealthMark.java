package aurora.edge.gateway.registry;

import aurora.edge.attestation.DeviceId;
import aurora.edge.gateway.device.Health;
import java.time.Instant;
import java.util.Objects;

/**
 * The health the gateway last judged a device to be in, kept in {@code registry.db} so a restart
 * neither alerts again about a device already known Offline nor forgets that it was.
 *
 * @param since     when the gateway judged it so (the transition)
 * @param lastHeard the last sign of life the judgement was based on: a device that is Stale or
 *                  Offline is back Online only once it is heard from after this
 */
public record HealthMark(String deviceId, Health health, Instant since, Instant lastHeard) {
    public HealthMark {
        if (!DeviceId.isValid(deviceId)) {
            throw new IllegalArgumentException("deviceId must match [A-Za-z0-9_-]{1,64}, found \"" + deviceId + "\"");
        }
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(lastHeard, "lastHeard");
    }
}
