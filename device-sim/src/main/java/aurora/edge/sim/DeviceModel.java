package aurora.edge.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * The physical model every device of a fleet shares (reference device-and-attestation.md §4.5).
 *
 * @param pollInterval     Thread data-poll period in simulated time; commands wait for the next poll (default 10 s)
 * @param transport        what a message costs the battery (default {@link Transport#THREAD_MQTT_TCP_QOS1})
 * @param batteryStart     charge left in each cell at the start, (0, 1] (default 1: fresh cells)
 * @param capacitySpread   relative standard deviation of cell capacity across devices, 0..0.5 (default 0.05)
 * @param badBatchShare    share of devices with a "bad batch" cell at half capacity, 0..1 (default 0)
 */
public record DeviceModel(
        Duration pollInterval, Transport transport, double batteryStart, double capacitySpread, double badBatchShare) {
    public static final DeviceModel DEFAULT =
            new DeviceModel(Duration.ofSeconds(10), Transport.THREAD_MQTT_TCP_QOS1, 1.0, 0.05, 0);

    public DeviceModel {
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.toMillis() < 10 || pollInterval.compareTo(Duration.ofDays(1)) > 0) {
            throw new InvalidFleetSpecException("pollInterval", pollInterval, "must be between 10ms and 1d");
        }
        Objects.requireNonNull(transport, "transport");
        if (!(batteryStart > 0 && batteryStart <= 1)) {
            throw new InvalidFleetSpecException("batteryStart", batteryStart, "must be > 0 and <= 1");
        }
        if (!(capacitySpread >= 0 && capacitySpread <= 0.5)) {
            throw new InvalidFleetSpecException("capacitySpread", capacitySpread, "must be between 0 and 0.5");
        }
        if (!(badBatchShare >= 0 && badBatchShare <= 1)) {
            throw new InvalidFleetSpecException("badBatchShare", badBatchShare, "must be between 0 and 1");
        }
    }

    public DeviceModel withPollInterval(Duration poll) {
        return new DeviceModel(poll, transport, batteryStart, capacitySpread, badBatchShare);
    }

    public DeviceModel withTransport(Transport t) {
        return new DeviceModel(pollInterval, t, batteryStart, capacitySpread, badBatchShare);
    }

    public DeviceModel withBatteryStart(double start) {
        return new DeviceModel(pollInterval, transport, start, capacitySpread, badBatchShare);
    }

    public DeviceModel withBadBatchShare(double share) {
        return new DeviceModel(pollInterval, transport, batteryStart, capacitySpread, share);
    }
}
