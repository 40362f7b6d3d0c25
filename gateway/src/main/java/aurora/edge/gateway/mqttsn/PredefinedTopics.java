package aurora.edge.gateway.mqttsn;

import aurora.edge.gateway.device.DeviceTopic;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The predefined topic ids, the same for every device (docs/operations.md has the table): each
 * stands for one topic of the device that uses it, so a device needs no REGISTER for the standard
 * topics and can never name another device's topic by a predefined id. Ids below
 * {@link #FIRST_REGISTERED} are reserved for this table.
 */
final class PredefinedTopics {
    static final int TELEMETRY = 1;
    static final int ALERTS = 2;
    static final int ATTESTATION = 3;
    static final int STATUS = 4;
    static final int COMMAND_RESULT = 5;
    static final int COMMAND = 17;
    static final int ACK = 18;
    static final int ATTESTATION_REQUEST = 19;
    static final int ACCESS_COMMAND = 20;
    /** The first id the gateway hands out for a REGISTER. */
    static final int FIRST_REGISTERED = 0x0100;

    /** Device → gateway. */
    private static final Map<Integer, Function<String, String>> FROM_DEVICE = Map.of(
            TELEMETRY, id -> "aurora/sensors/" + id + "/telemetry",
            ALERTS, id -> "aurora/sensors/" + id + "/alerts",
            ATTESTATION, id -> "aurora/sensors/" + id + "/attestation",
            STATUS, id -> "aurora/sensors/" + id + "/status",
            COMMAND_RESULT, id -> "aurora/sensors/" + id + "/command_result");
    /** Gateway → device. */
    private static final Map<Integer, Function<String, String>> TO_DEVICE = Map.of(
            COMMAND, DeviceTopic::commandTopic,
            ACK, DeviceTopic::ackTopic,
            ATTESTATION_REQUEST, DeviceTopic::attestationRequestTopic,
            ACCESS_COMMAND, DeviceTopic::accessCommandTopic);

    private PredefinedTopics() {}

    /** The topic a device may publish to under predefined id {@code topicId}. */
    static Optional<String> publishTopic(int topicId, String deviceId) {
        return Optional.ofNullable(FROM_DEVICE.get(topicId)).map(f -> f.apply(deviceId));
    }

    /** The topic predefined id {@code topicId} stands for on {@code deviceId}, in either direction. */
    static Optional<String> topic(int topicId, String deviceId) {
        Function<String, String> f = FROM_DEVICE.getOrDefault(topicId, TO_DEVICE.get(topicId));
        return Optional.ofNullable(f).map(t -> t.apply(deviceId));
    }

    /**
     * The QoS the gateway sends on gateway → device id {@code topicId}: 0 for the cumulative ack (the next
     * one supersedes a lost one), 1 for commands and challenges (retried until PUBACKed).
     */
    static int deliveryQos(int topicId) {
        return topicId == ACK ? 0 : 1;
    }

    /** Whether {@code topicId} is a gateway → device topic (what a device may SUBSCRIBE to by id). */
    static boolean isToDevice(int topicId) {
        return TO_DEVICE.containsKey(topicId);
    }

    /** The predefined id of a gateway → device {@code topic} of {@code deviceId}. */
    static OptionalInt toDeviceId(String topic, String deviceId) {
        for (Map.Entry<Integer, Function<String, String>> e : TO_DEVICE.entrySet()) {
            if (e.getValue().apply(deviceId).equals(topic)) {
                return OptionalInt.of(e.getKey());
            }
        }
        return OptionalInt.empty();
    }

    /** The device a gateway → device topic is for: {@code aurora/<kind>/<id>/<leaf>} with a predefined id. */
    static Optional<String> recipient(String topic) {
        String[] parts = topic.split("/", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        return toDeviceId(topic, parts[2]).isPresent() ? Optional.of(parts[2]) : Optional.empty();
    }
}
