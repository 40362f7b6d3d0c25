package aurora.edge.sim;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Assigns one {@link Behaviour} to devices of a fleet: a {@code share} of the fleet (chosen by the seed among
 * devices no earlier rule took) and/or explicit device indices.
 *
 * @param behaviour what the devices do
 * @param share     share of the fleet, 0..1 (rounded to whole devices)
 * @param devices   device indices (0-based), taken in addition to the share
 * @param every     hostile injection every this many wakes (malformed, oversize, spoofs, rewind, gap), >= 1
 * @param factor    messages per wake of a {@link Behaviour#FLOOD} device, >= 1
 * @param skew      clock offset of a {@link Behaviour#CLOCK_SKEW} device
 */
public record HostileRule(
        Behaviour behaviour, double share, List<Integer> devices, int every, int factor, Duration skew) {
    public static final int DEFAULT_EVERY = 5;
    public static final int DEFAULT_FACTOR = 20;
    public static final Duration DEFAULT_SKEW = Duration.ofHours(-26);

    public HostileRule {
        Objects.requireNonNull(behaviour, "behaviour");
        if (!(share >= 0 && share <= 1)) {
            throw new InvalidFleetSpecException("share", share, "must be between 0 and 1");
        }
        devices = List.copyOf(devices);
        for (int d : devices) {
            if (d < 0) {
                throw new InvalidFleetSpecException("devices", d, "must be device indices >= 0");
            }
        }
        if (every < 1) {
            throw new InvalidFleetSpecException("every", every, "must be >= 1");
        }
        if (factor < 1 || factor > 1000) {
            throw new InvalidFleetSpecException("factor", factor, "must be between 1 and 1000");
        }
        Objects.requireNonNull(skew, "skew");
    }

    /** {@code behaviour} on a share of the fleet, default parameters. */
    public static HostileRule share(Behaviour behaviour, double share) {
        return new HostileRule(behaviour, share, List.of(), DEFAULT_EVERY, DEFAULT_FACTOR, DEFAULT_SKEW);
    }

    /** {@code behaviour} on the given device indices, default parameters. */
    public static HostileRule devices(Behaviour behaviour, Integer... indices) {
        return new HostileRule(behaviour, 0, List.of(indices), DEFAULT_EVERY, DEFAULT_FACTOR, DEFAULT_SKEW);
    }

    public HostileRule every(int every) {
        return new HostileRule(behaviour, share, devices, every, factor, skew);
    }

    public HostileRule factor(int factor) {
        return new HostileRule(behaviour, share, devices, every, factor, skew);
    }

    public HostileRule skew(Duration skew) {
        return new HostileRule(behaviour, share, devices, every, factor, skew);
    }
}
