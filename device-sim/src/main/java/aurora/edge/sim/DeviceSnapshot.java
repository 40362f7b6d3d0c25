package aurora.edge.sim;

/**
 * One device as the report sees it: identity, boot, what it produced, and its cell.
 *
 * @param lastWakeNanos      simulated time of its last wake-up
 * @param openCircuitMv      idle cell voltage (what telemetry reports as {@code battery_mv})
 * @param loadedMv           cell voltage under the CPU + TX peak
 * @param usedMicroCoulombs  charge drawn since the start, µC
 * @param projectedLifeYears years left at its current duty cycle, capped at {@link BatteryModel#MAX_LIFE_YEARS}
 */
record DeviceSnapshot(
        String id,
        Behaviour behaviour,
        long boot,
        long produced,
        long lastWakeNanos,
        int openCircuitMv,
        int loadedMv,
        double usedMicroCoulombs,
        double projectedLifeYears,
        int brownOuts,
        boolean dead) {}
