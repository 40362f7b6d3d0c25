package aurora.edge.gateway.device;

import java.time.Instant;

/**
 * What intake and the rejection reporter tell about single devices as messages pass, for people
 * watching: the latest battery reading of every device, and, for a device an operator traces, each
 * message and what was decided about it. Called on the intake and broker threads for every message,
 * so an implementation must be cheap and must not block; {@link #tracing} is asked first and is a
 * lookup in an (almost always empty) map.
 */
public interface DeviceWatch {
    /** Watches nothing: for parts built without a console. */
    DeviceWatch NONE = new DeviceWatch() {
        @Override
        public void battery(String deviceId, int millivolts, Instant at) {}

        @Override
        public boolean tracing(String deviceId) {
            return false;
        }

        @Override
        public void traced(String deviceId, TraceEvent event) {}
    };

    /** The device's message carried {@code battery_mv}. */
    void battery(String deviceId, int millivolts, Instant at);

    /** Whether an operator traces this device now; when false, nothing else is asked. */
    boolean tracing(String deviceId);

    /** One traced message or rejection of the device. */
    void traced(String deviceId, TraceEvent event);
}
