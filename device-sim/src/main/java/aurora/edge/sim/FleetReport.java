package aurora.edge.sim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a fleet did: its network counters, the simulated devices, and the publish → ack latency.
 *
 * @param stats      network and command counters (real: they depend on the broker and timing)
 * @param simulation the devices in simulated time; the same seed and spec give the same simulation, whatever the
 *                   network did, as long as the gateway sent no commands and no connection dropped
 * @param latency    first publish → ack watermark, over every acknowledged message
 */
public record FleetReport(FleetStats stats, Simulation simulation, Latency latency) {

    /**
     * @param simulatedSeconds        the latest wake-up of any device, simulated seconds since the start
     * @param produced                sequenced messages produced
     * @param alertsBySeverity        alerts produced, by severity
     * @param batteryMinMv            lowest idle cell voltage now (dead cells included)
     * @param chargeUsedMah           charge drawn by the whole fleet, mAh
     * @param projectedLifeYearsMin   shortest projected life left of a living device (0 if none lives)
     * @param devicesByBehaviour      device count per behaviour
     * @param injectedByBehaviour     hostile injections per behaviour
     */
    public record Simulation(
            int devices,
            long simulatedSeconds,
            long produced,
            Map<String, Long> alertsBySeverity,
            int batteryMinMv,
            int batteryMeanMv,
            int batteryMaxMv,
            double chargeUsedMah,
            double projectedLifeYearsMin,
            double projectedLifeYearsMedian,
            long brownOuts,
            int devicesBrownedOut,
            int devicesDead,
            Map<String, Integer> devicesByBehaviour,
            Map<String, Long> injectedByBehaviour) {}

    /** Milliseconds; zeros while nothing was acknowledged. */
    public record Latency(long count, double p50Ms, double p90Ms, double p99Ms, double maxMs) {}

    static FleetReport of(
            FleetStats stats, List<DeviceSnapshot> devices, FleetCounters counters, Histogram latencyMicros) {
        return new FleetReport(stats, simulation(devices, counters), latency(latencyMicros));
    }

    private static Simulation simulation(List<DeviceSnapshot> devices, FleetCounters counters) {
        long produced = 0;
        long lastWake = 0;
        long brownOuts = 0;
        int brownedOut = 0;
        int dead = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        long sumMv = 0;
        double usedUc = 0;
        double[] lives = new double[devices.size()];
        int living = 0;
        Map<String, Integer> byBehaviour = new LinkedHashMap<>();
        for (DeviceSnapshot d : devices) {
            produced += d.produced();
            lastWake = Math.max(lastWake, d.lastWakeNanos());
            brownOuts += d.brownOuts();
            brownedOut += d.brownOuts() > 0 ? 1 : 0;
            dead += d.dead() ? 1 : 0;
            min = Math.min(min, d.openCircuitMv());
            max = Math.max(max, d.openCircuitMv());
            sumMv += d.openCircuitMv();
            usedUc += d.usedMicroCoulombs();
            if (!d.dead()) {
                lives[living++] = d.projectedLifeYears();
            }
            byBehaviour.merge(d.behaviour().wireName(), 1, Integer::sum);
        }
        Arrays.sort(lives, 0, living);
        Map<String, Long> alerts = new LinkedHashMap<>();
        for (AlertKind kind : AlertKind.values()) {
            long n = counters.alertsBySeverity[kind.ordinal()].sum();
            if (n > 0) {
                alerts.merge(kind.severity, n, Long::sum);
            }
        }
        Map<String, Long> injected = new LinkedHashMap<>();
        for (Behaviour b : Behaviour.values()) {
            long n = counters.injectedBy[b.ordinal()].sum();
            if (n > 0) {
                injected.put(b.wireName(), n);
            }
        }
        int n = Math.max(1, devices.size());
        return new Simulation(
                devices.size(),
                lastWake / 1_000_000_000L,
                produced,
                alerts,
                devices.isEmpty() ? 0 : min,
                (int) (sumMv / n),
                max,
                round3(usedUc / 3.6e6),
                living == 0 ? 0 : round3(lives[0]),
                living == 0 ? 0 : round3(lives[living / 2]),
                brownOuts,
                brownedOut,
                dead,
                byBehaviour,
                injected);
    }

    private static Latency latency(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new Latency(0, 0, 0, 0, 0);
        }
        return new Latency(
                h.getTotalCount(),
                ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)),
                ms(h.getMaxValue()));
    }

    private static double ms(long micros) {
        return Math.round(micros / 100.0) / 10.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
