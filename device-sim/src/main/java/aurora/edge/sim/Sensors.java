package aurora.edge.sim;

import java.util.SplittableRandom;

/**
 * First-cut sensor readings of one device: temperature and humidity wander around a per-device baseline, vibration
 * is small noise, the battery sags slowly from a per-device start. A reading that goes with an alert is pushed past
 * the alert's threshold so payloads stay self-consistent. Deterministic for a given random source. The coin-cell
 * model of issue 5 replaces the battery part.
 */
final class Sensors {
    private final SplittableRandom rng;
    private final double tempBase;
    private final double humidityBase;
    private double temp;
    private double humidity;
    private double batteryMv;

    Sensors(SplittableRandom rng) {
        this.rng = rng;
        this.tempBase = 18 + rng.nextDouble() * 6;
        this.humidityBase = 35 + rng.nextDouble() * 20;
        this.temp = tempBase;
        this.humidity = humidityBase;
        this.batteryMv = 2950 + rng.nextInt(100);
    }

    Reading sample(AlertKind alert) {
        temp += 0.1 * (tempBase - temp) + (rng.nextDouble() - 0.5) * 0.4;
        humidity += 0.1 * (humidityBase - humidity) + (rng.nextDouble() - 0.5) * 1.0;
        batteryMv = Math.max(2000, batteryMv - 0.01);
        double vibration = Math.abs(rng.nextDouble() - 0.5) * 0.04;
        double t = temp;
        double battery = batteryMv;
        if (alert == AlertKind.OVER_TEMPERATURE) {
            t = 45 + rng.nextDouble() * 10;
        } else if (alert == AlertKind.VIBRATION) {
            vibration = 1.5 + rng.nextDouble() * 1.5;
        } else if (alert == AlertKind.BATTERY_LOW) {
            battery = 2150 + rng.nextInt(50);
        }
        return new Reading((int) Math.round(battery), (int) Math.round(t * 10),
                (int) Math.round(Math.min(100, Math.max(0, humidity)) * 10), (int) Math.round(vibration * 100));
    }

    /** A uniformly chosen alert kind, drawn from the same source so a seed fixes the whole stream. */
    AlertKind nextAlertKind() {
        return AlertKind.of(rng.nextInt(AlertKind.count()));
    }

    double nextUnit() {
        return rng.nextDouble();
    }
}
