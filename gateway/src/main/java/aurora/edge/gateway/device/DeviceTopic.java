package aurora.edge.gateway.device;

import aurora.edge.attestation.DeviceId;
import java.util.Optional;

/**
 * A device topic, parsed. Devices publish {@code aurora/sensors/{id}/telemetry|alerts|attestation};
 * the newer AuroraSOC names {@code aurora/sensors/{id}/status} (telemetry) and
 * {@code aurora/attestation/{id}/response} are accepted as aliases. Anything else, including any
 * wildcard, is not a device topic.
 */
public record DeviceTopic(String deviceId, Channel channel, String messageType) {
    // messageType is the topic's last segment, as the seed's bridge writes message_type
    // (telemetry, alerts, attestation, status); the answer topic aurora/attestation/{id}/response is "attestation".

    public static Optional<DeviceTopic> parse(String topic) {
        if (topic == null || topic.length() > 200 || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            return Optional.empty();
        }
        String[] parts = topic.split("/", -1);
        if (parts.length != 4 || !"aurora".equals(parts[0]) || !DeviceId.isValid(parts[2])) {
            return Optional.empty();
        }
        String id = parts[2];
        if ("sensors".equals(parts[1])) {
            return switch (parts[3]) {
                case "telemetry" -> Optional.of(new DeviceTopic(id, Channel.TELEMETRY, "telemetry"));
                case "status" -> Optional.of(new DeviceTopic(id, Channel.TELEMETRY, "status"));
                case "alerts" -> Optional.of(new DeviceTopic(id, Channel.ALERT, "alerts"));
                case "attestation" -> Optional.of(new DeviceTopic(id, Channel.ATTESTATION, "attestation"));
                default -> Optional.empty();
            };
        }
        if ("attestation".equals(parts[1]) && "response".equals(parts[3])) {
            return Optional.of(new DeviceTopic(id, Channel.ATTESTATION, "attestation"));
        }
        return Optional.empty();
    }

    /**
     * The topic filters a device may subscribe to: only its own command topics and its own
     * AuroraSOC attestation-request topic, compared exactly.
     */
    public static boolean isOwnCommandFilter(String filter, String deviceId) {
        if (attestationRequestTopic(deviceId).equals(filter)) {
            return true;
        }
        String base = "aurora/command/" + deviceId + "/";
        if (filter == null || !filter.startsWith(base)) {
            return false;
        }
        String rest = filter.substring(base.length());
        return rest.equals("action") || rest.equals("ack") || rest.equals("+") || rest.equals("#");
    }

    public static String commandTopic(String deviceId) {
        return "aurora/command/" + deviceId + "/action";
    }

    /** Where stock AuroraSOC firmware reads its attestation challenge. */
    public static String attestationRequestTopic(String deviceId) {
        return "aurora/attestation/" + deviceId + "/request";
    }

    public static String ackTopic(String deviceId) {
        return "aurora/command/" + deviceId + "/ack";
    }
}
