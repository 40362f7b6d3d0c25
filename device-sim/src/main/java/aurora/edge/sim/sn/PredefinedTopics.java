package aurora.edge.sim.sn;

import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The predefined MQTT-SN topic ids of the standard device topics: the same for every device, each id meaning that
 * device's own topic, so a device needs no REGISTER round trip and can never name another device's topic by id.
 *
 * <p><b>Must match the gateway's table</b> ({@code aurora.edge.gateway.mqttsn.PredefinedTopics}, documented in
 * docs/operations.md; the gateway module's {@code PredefinedTopicsContractTest} fails when they differ). This is
 * the only place in device-sim that knows the numbers.
 */
public final class PredefinedTopics {
    // Device to gateway.
    public static final int TELEMETRY = 1;
    public static final int ALERTS = 2;
    public static final int ATTESTATION = 3;
    public static final int STATUS = 4;
    public static final int COMMAND_RESULT = 5;
    // Gateway to device.
    /** Commands and aurora-v1 attestation challenges. */
    public static final int COMMAND = 17;
    /** The cumulative ack. */
    public static final int ACK = 18;
    /** Stock AuroraSOC attestation challenge (its answer, {@code aurora/attestation/ID/response}, is REGISTERed). */
    public static final int ATTESTATION_REQUEST = 19;

    public static final int ACCESS_COMMAND = 20;

    private static final Map<Integer, String> PATTERN = Map.of(
            TELEMETRY, "aurora/sensors/%s/telemetry",
            ALERTS, "aurora/sensors/%s/alerts",
            ATTESTATION, "aurora/sensors/%s/attestation",
            STATUS, "aurora/sensors/%s/status",
            COMMAND_RESULT, "aurora/sensors/%s/command_result",
            COMMAND, "aurora/command/%s/action",
            ACK, "aurora/command/%s/ack",
            ATTESTATION_REQUEST, "aurora/attestation/%s/request",
            ACCESS_COMMAND, "aurora/access/%s/command");

    private PredefinedTopics() {}

    /** The MQTT topic that {@code topicId} stands for on device {@code deviceId}, or null for an unknown id. */
    public static @Nullable String topic(int topicId, String deviceId) {
        String pattern = PATTERN.get(topicId);
        return pattern == null ? null : String.format(java.util.Locale.ROOT, pattern, deviceId);
    }

    /** The predefined id of {@code topic} if it is one of {@code deviceId}'s own standard topics. */
    public static Optional<Integer> idOf(String topic, String deviceId) {
        for (Map.Entry<Integer, String> e : PATTERN.entrySet()) {
            if (String.format(java.util.Locale.ROOT, e.getValue(), deviceId).equals(topic)) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }
}
