package aurora.edge.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which device gets which {@link HostileRule}: rules apply in order; explicit indices first, then a share of the
 * devices no rule took yet, drawn by the seed. Same spec, same assignment.
 */
final class Assignments {
    private Assignments() {}

    /** One entry per device index: its rule, or null for an honest device. */
    static HostileRule[] assign(FleetSpec spec) {
        int n = spec.deviceCount();
        HostileRule[] rules = new HostileRule[n];
        SplittableRandom random = new SplittableRandom(spec.seed() ^ 0x486F7374696C65L);
        for (HostileRule rule : spec.hostile()) {
            for (int index : rule.devices()) {
                rules[index] = rule;
            }
            long wanted = Math.round(rule.share() * n);
            List<Integer> free = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (rules[i] == null) {
                    free.add(i);
                }
            }
            for (int taken = 0; taken < wanted && !free.isEmpty(); taken++) {
                int pick = random.nextInt(free.size());
                rules[free.get(pick)] = rule;
                free.set(pick, free.get(free.size() - 1));
                free.remove(free.size() - 1);
            }
        }
        return rules;
    }
}
