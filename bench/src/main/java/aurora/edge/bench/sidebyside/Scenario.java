package aurora.edge.bench.sidebyside;

import java.util.Locale;

/**
 * One load shape, sized by system properties {@code bench.sbs.<name>.devices|window|rate|seconds|warmup}.
 * Defaults: burst 16 × 32 in flight for 20 s; fleet 1,000 × 1 Hz for 30 s after a 60 s warm-up; sleepy 10,000 × 0.1 Hz
 * for 30 s; idle 1,000 connected for 30 s. Each after an unmeasured warm-up.
 */
record Scenario(String name, LoadSpec.Mode mode, int devices, int window, double rateHz, int warmup, int seconds) {

    static Scenario named(String name) {
        return switch (name) {
            case "burst" -> sized(name, LoadSpec.Mode.BURST, 16, 32, 0, 5, 20);
            // 60 s warm-up: a gateway runs for months, and after 5 s its JIT compiler threads were ~40 % of the
            // measured fleet CPU (3-5 % after 60 s), so the short window measured warm-up, not per-message cost.
            case "fleet" -> sized(name, LoadSpec.Mode.FLEET, 1000, 1, 1.0, 60, 30);
            case "sleepy" -> sized(name, LoadSpec.Mode.FLEET, 10_000, 1, 0.1, 10, 30);
            case "idle" -> sized(name, LoadSpec.Mode.IDLE, 1000, 1, 0, 5, 30);
            default -> throw new IllegalArgumentException("unknown scenario " + name + " (burst, fleet, sleepy, idle)");
        };
    }

    private static Scenario sized(
            String name, LoadSpec.Mode mode, int devices, int window, double rate, int warmup, int seconds) {
        String p = "bench.sbs." + name + ".";
        return new Scenario(
                name,
                mode,
                Integer.getInteger(p + "devices", devices),
                Integer.getInteger(p + "window", window),
                Double.parseDouble(System.getProperty(p + "rate", String.valueOf(rate))),
                Integer.getInteger(p + "warmup", warmup),
                Integer.getInteger(p + "seconds", seconds));
    }

    String describe() {
        return switch (mode) {
            case BURST -> String.format(Locale.ROOT, "%d clients x %d in flight, %d s", devices, window, seconds);
            case FLEET -> String.format(Locale.ROOT, "%,d devices x %s Hz, %d s", devices, rateHz, seconds);
            case IDLE -> String.format(Locale.ROOT, "%,d devices connected, no traffic, %d s", devices, seconds);
        };
    }
}
