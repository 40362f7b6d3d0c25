package aurora.edge.sim;

import java.time.Duration;

/**
 * The charge-based coin-cell model of reference device-and-attestation.md §4.4 (nRF52840 as a Thread sleepy end
 * device, 0 dBm, DC/DC, 3 V, CR2032):
 * {@code I_avg = I_sleep + Q_poll/T_poll + Q_msg/T_msg + Q_att/T_att + I_self}, {@code life = C_eff / I_avg}.
 * Figures are tagged in the reference as measured, derived or assumed; the assumed ones must be measured on
 * hardware (PPK2) before anyone quotes a life from this.
 */
public final class BatteryModel {
    /** Thread SED sleep, RTC and stack RAM on, µA [measured, NCS]. */
    public static final double SLEEP_UA = 3.05;
    /** One data poll (wake, HFXO, CCA, data request, ACK), µC [measured, NCS]. */
    public static final double POLL_UC = 18.02;
    /** Sensor read and encode: 2 ms CPU at 3.3 mA + ~3 µC sensor, µC [assumption]. */
    public static final double SAMPLE_UC = 10.0;
    /** One attestation answer: poll, ECDSA P-256 sign on CC310, two frames, µC [derived; sign cost assumed]. */
    public static final double ATTEST_UC = 300.0;
    /** A reset and Thread re-attach after a reboot or brown-out, µC [assumption]. */
    public static final double BOOT_UC = 300.0;
    /** CR2032 typical capacity, mAh. */
    public static final double NOMINAL_MAH = 225.0;
    /** Derating for pulses, internal resistance and temperature (SWRA349): 225 → 180 mAh usable. */
    public static final double DERATE = 0.8;

    static final double HOURS_PER_YEAR = 365.25 * 24;
    /** Self-discharge, 1 %/year of nominal, µA [derived]: 0.26 µA. */
    public static final double SELF_DISCHARGE_UA = NOMINAL_MAH * 1000 * 0.01 / HOURS_PER_YEAR;
    /** CPU + radio TX at 0 dBm, the peak that sags the cell, mA [datasheet, compounded]. */
    public static final double PEAK_MA = 8.1;
    /** VDD below which the nRF52840 resets under the TX pulse, mV. */
    public static final int BROWN_OUT_MV = 1700;
    /** Open-circuit voltage at which the cell counts as empty, mV. */
    public static final int CUTOFF_MV = 2000;
    /** Loaded voltage below which a device raises its battery-low alert, mV. */
    public static final int LOW_BATTERY_MV = 2200;
    /** No projection beyond this: shelf life, self-discharge and rising resistance end a coin cell first. */
    public static final double MAX_LIFE_YEARS = 7.0;

    private BatteryModel() {}

    /** Usable charge of a typical cell, µC. */
    public static double usableMicroCoulombs() {
        return NOMINAL_MAH * DERATE * 3600 * 1000;
    }

    /**
     * Average current in µA of a device sending one {@code payloadBytes} message on {@code topicBytes} every
     * {@code messageInterval}, polling every {@code pollInterval}, and attesting every {@code attestInterval}
     * (null: never).
     */
    public static double averageMicroAmps(
            Transport transport,
            int payloadBytes,
            int topicBytes,
            Duration messageInterval,
            Duration pollInterval,
            Duration attestInterval) {
        double current = SLEEP_UA
                + POLL_UC / seconds(pollInterval)
                + transport.messageChargeMicroCoulombs(payloadBytes, topicBytes) / seconds(messageInterval)
                + SELF_DISCHARGE_UA;
        if (attestInterval != null) {
            current += ATTEST_UC / seconds(attestInterval);
        }
        return current;
    }

    /** Years a cell with {@code remainingMicroCoulombs} lasts at {@code microAmps}, capped at {@link #MAX_LIFE_YEARS}. */
    public static double lifeYears(double remainingMicroCoulombs, double microAmps) {
        if (microAmps <= 0) {
            return MAX_LIFE_YEARS;
        }
        double hours = remainingMicroCoulombs / microAmps / 3600;
        return Math.min(MAX_LIFE_YEARS, hours / HOURS_PER_YEAR);
    }

    /** Hours a full derated cell lasts at {@code microAmps}, uncapped (for comparing with the reference's tables). */
    public static double lifeHours(double microAmps) {
        return usableMicroCoulombs() / microAmps / 3600;
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
