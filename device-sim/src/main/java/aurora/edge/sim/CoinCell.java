package aurora.edge.sim;

import java.util.SplittableRandom;

/**
 * One device's CR2032 (reference §4.3, §4.5): a coulomb counter over the device's virtual time, an open-circuit
 * voltage curve by depth of discharge (flat 3.0 → 2.9 V to 75 %, a knee near 2.8 V, then down to 2.0 V), an internal
 * resistance rising 15 → 30 → 60 Ω, and the sag {@code V = OCV − I_peak × R_int} under the TX pulse. Each charge
 * drawn varies by ±10 % (drawn from the device's own random source, so a seed fixes it). Not thread-safe: its
 * device guards it.
 */
final class CoinCell {
    private static final double[] OCV_DEPTH = {0, 0.05, 0.75, 0.85, 0.93, 0.97, 1.0};
    private static final double[] OCV_MV = {3000, 2950, 2900, 2800, 2600, 2350, 2000};
    private static final double[] R_DEPTH = {0, 0.6, 0.8, 0.95, 1.0};
    private static final double[] R_OHM = {15, 18, 30, 60, 80};
    private static final double JITTER = 0.10;

    private final double capacityUc;
    private final long pollNanos;
    private final long pollPhaseNanos;
    private final SplittableRandom rng;
    private double usedUc;
    private long atNanos;

    /**
     * @param capacityUc     usable charge of this cell, µC
     * @param startFraction  charge left at virtual time 0, (0, 1]
     * @param pollNanos      data-poll period (virtual)
     * @param pollPhaseNanos when in the period this device polls
     */
    CoinCell(double capacityUc, double startFraction, long pollNanos, long pollPhaseNanos, SplittableRandom rng) {
        this.capacityUc = capacityUc;
        this.usedUc = capacityUc * (1 - startFraction);
        this.pollNanos = pollNanos;
        this.pollPhaseNanos = pollPhaseNanos;
        this.rng = rng;
    }

    /** Sleeps (with self-discharge) and polls from the last point in virtual time up to {@code virtualNanos}. */
    void advanceTo(long virtualNanos) {
        if (virtualNanos <= atNanos) {
            return;
        }
        double seconds = (virtualNanos - atNanos) / 1e9;
        long polls = Math.floorDiv(virtualNanos - pollPhaseNanos, pollNanos)
                - Math.floorDiv(atNanos - pollPhaseNanos, pollNanos);
        usedUc += (BatteryModel.SLEEP_UA + BatteryModel.SELF_DISCHARGE_UA) * seconds
                + jitter(polls * BatteryModel.POLL_UC);
        atNanos = virtualNanos;
    }

    /** Draws one event's charge (a message, an attestation, a boot), µC before jitter. */
    void draw(double microCoulombs) {
        usedUc += jitter(microCoulombs);
    }

    /** Depth of discharge, 0 (full) .. 1 (empty). */
    double depth() {
        return Math.min(1, Math.max(0, usedUc / capacityUc));
    }

    int openCircuitMv() {
        return (int) Math.round(interpolate(OCV_DEPTH, OCV_MV, depth()));
    }

    double internalOhms() {
        return interpolate(R_DEPTH, R_OHM, depth());
    }

    /** The cell's voltage during the CPU + TX peak. */
    int loadedMv() {
        return (int) Math.round(openCircuitMv() - BatteryModel.PEAK_MA * internalOhms());
    }

    /** Would the TX pulse pull VDD under the brown-out threshold? */
    boolean browsOutUnderLoad() {
        return loadedMv() < BatteryModel.BROWN_OUT_MV;
    }

    /** Nothing left: the open-circuit voltage is at the cut-off. */
    boolean empty() {
        return usedUc >= capacityUc || openCircuitMv() <= BatteryModel.CUTOFF_MV;
    }

    double usedMicroCoulombs() {
        return usedUc;
    }

    double remainingMicroCoulombs() {
        return Math.max(0, capacityUc - usedUc);
    }

    double capacityMicroCoulombs() {
        return capacityUc;
    }

    private double jitter(double charge) {
        return charge == 0 ? 0 : charge * (1 + JITTER * (2 * rng.nextDouble() - 1));
    }

    private static double interpolate(double[] xs, double[] ys, double x) {
        for (int i = 1; i < xs.length; i++) {
            if (x <= xs[i]) {
                double f = (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
                return ys[i - 1] + f * (ys[i] - ys[i - 1]);
            }
        }
        return ys[ys.length - 1];
    }
}
