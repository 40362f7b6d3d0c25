package aurora.edge.gateway.health;

import aurora.edge.gateway.device.Health;
import aurora.edge.gateway.registry.HealthMark;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How one device's health changes, decided from times alone. Silence only ever makes it worse;
 * only a message heard after it went quiet makes it Online again, so a device known Offline stays
 * Offline (and is not alerted about again) until it speaks. Silence is counted from the later of
 * its last message and the moment this gateway started listening: while the gateway was down it
 * could not hear anyone, and a restart must not declare the whole fleet Offline.
 */
record HealthRules(Duration staleAfter, Duration offlineAfter) {
    HealthRules {
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("staleAfter must be > 0, found " + staleAfter);
        }
        if (offlineAfter.compareTo(staleAfter) <= 0) {
            throw new IllegalArgumentException(
                    "offlineAfter must be longer than staleAfter (" + staleAfter + "), found " + offlineAfter);
        }
    }

    /** The health a silence of this length means. */
    Health bySilence(Duration silence) {
        if (silence.compareTo(offlineAfter) >= 0) {
            return Health.OFFLINE;
        }
        return silence.compareTo(staleAfter) >= 0 ? Health.STALE : Health.ONLINE;
    }

    /**
     * @param current        the last judgement, or null when there was none (Online)
     * @param lastHeard      the device's last sign of life
     * @param listeningSince when this gateway started listening
     * @return the new judgement, or empty when the device's health did not change
     */
    Optional<HealthMark> next(
            String deviceId, @Nullable HealthMark current, Instant lastHeard, Instant listeningSince, Instant now) {
        Health was = current == null ? Health.ONLINE : current.health();
        if (current != null && was != Health.ONLINE && lastHeard.isAfter(current.lastHeard())) {
            return Optional.of(new HealthMark(deviceId, Health.ONLINE, now, lastHeard));
        }
        Instant silentSince = lastHeard.isAfter(listeningSince) ? lastHeard : listeningSince;
        Health silent = bySilence(Duration.between(silentSince, now));
        return silent.worseThan(was) ? Optional.of(new HealthMark(deviceId, silent, now, lastHeard)) : Optional.empty();
    }
}
