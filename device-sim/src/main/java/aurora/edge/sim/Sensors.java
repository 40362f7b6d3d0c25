package aurora.edge.sim;

import java.util.SplittableRandom;

/**
 * The sensors of one device in simulated time: temperature follows a per-device baseline, a daily cycle, a slow
 * sensor drift and noise; humidity moves against temperature; vibration is small noise; the tamper switch stays
 * closed unless an event opens it. A reading that goes with a forced alert (the fleet's alert share: a door
 * opened, a machine shaking) is pushed past the alert's threshold, so payloads stay self-consistent; a reading
 * that crosses a threshold on its own raises the alert once, on the crossing ({@link #crossing()}). Deterministic
 * for a given random source and sequence of sample times.
 */
final class Sensors {
    static final double TEMP_LIMIT_C = 45;
    static final double VIBRATION_LIMIT_G = 1.5;
    private static final double DAY_NANOS = 86_400e9;

    private final SplittableRandom rng;
    private final double tempBase;
    private final double humidityBase;
    private final double dailyAmplitude;
    private final double dailyPhase;
    private double drift;
    private double temp;
    private double humidity;
    private boolean overTemperature;
    private boolean vibrating;
    private AlertKind crossing;

    Sensors(SplittableRandom rng) {
        this.rng = rng;
        this.tempBase = 18 + rng.nextDouble() * 6;
        this.humidityBase = 35 + rng.nextDouble() * 20;
        this.dailyAmplitude = 1 + rng.nextDouble() * 3;
        this.dailyPhase = rng.nextDouble() * 2 * Math.PI;
        this.temp = tempBase;
        this.humidity = humidityBase;
    }

    /** Samples at simulated time {@code virtualNanos}; {@code forced} is the alert this reading must show, or null. */
    Reading sample(long virtualNanos, int batteryMv, AlertKind forced) {
        double daily = Math.sin(2 * Math.PI * virtualNanos / DAY_NANOS + dailyPhase);
        drift += (rng.nextDouble() - 0.5) * 0.002; // a sensor that wanders a few tenths of a degree per year of samples
        double target = tempBase + dailyAmplitude * daily + drift;
        temp += 0.3 * (target - temp) + (rng.nextDouble() - 0.5) * 0.2;
        double humidityTarget = humidityBase - 1.5 * dailyAmplitude * daily;
        humidity += 0.3 * (humidityTarget - humidity) + (rng.nextDouble() - 0.5) * 1.0;
        double vibration = Math.abs(rng.nextDouble() - 0.5) * 0.04;
        double t = temp;
        int battery = batteryMv;
        if (forced == AlertKind.OVER_TEMPERATURE) {
            t = TEMP_LIMIT_C + rng.nextDouble() * 10;
        } else if (forced == AlertKind.VIBRATION) {
            vibration = VIBRATION_LIMIT_G + rng.nextDouble() * 1.5;
        } else if (forced == AlertKind.BATTERY_LOW) {
            battery = Math.min(batteryMv, 2150 + rng.nextInt(50));
        }
        crossing = null;
        if (forced == null) {
            if (t > TEMP_LIMIT_C && !overTemperature) {
                crossing = AlertKind.OVER_TEMPERATURE;
            } else if (vibration > VIBRATION_LIMIT_G && !vibrating) {
                crossing = AlertKind.VIBRATION;
            }
            overTemperature = t > TEMP_LIMIT_C;
            vibrating = vibration > VIBRATION_LIMIT_G;
        }
        return new Reading(
                battery, (int) Math.round(t * 10), (int) Math.round(Math.min(100, Math.max(0, humidity)) * 10), (int)
                        Math.round(vibration * 100));
    }

    /** The threshold the last sample crossed on its own (edge-triggered), or null. */
    AlertKind crossing() {
        return crossing;
    }

    /** A uniformly chosen alert kind, drawn from the same source so a seed fixes the whole stream. */
    AlertKind nextAlertKind() {
        return AlertKind.of(rng.nextInt(AlertKind.count()));
    }

    double nextUnit() {
        return rng.nextDouble();
    }

    double nextGaussian() {
        return rng.nextGaussian();
    }
}
