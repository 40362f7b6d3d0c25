package aurora.edge.gateway.device;

import aurora.edge.attestation.DeviceId;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A device topic, parsed. Devices publish {@code aurora/sensors/{id}/telemetry|alerts|attestation};
 * the newer AuroraSOC names {@code aurora/sensors/{id}/status} (telemetry) and
 * {@code aurora/attestation/{id}/response} are accepted as aliases. Anything else, including any
 * wildcard, is not a device topic.
 */
public record DeviceTopic(String deviceId, Channel channel, String messageType) {
    // messageType is the topic's last segment, as the seed's bridge writes message_type
    // (telemetry, alerts, attestation, status); the answer topic aurora/attestation/{id}/response is "attestation".
    private static final String COMMAND_RESULT = "command_result";
    private static final String BADGE_EVENT = "badge_event";
    private static final String AURORA = "aurora";

    public static Optional<DeviceTopic> parse(String topic) {
        if (topic == null || topic.length() > 200 || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            return Optional.empty();
        }
        // Four segments, found with indexOf: this runs twice for every device message (no split, no regex array).
        int first = topic.indexOf('/');
        int second = first < 0 ? -1 : topic.indexOf('/', first + 1);
        int third = second < 0 ? -1 : topic.indexOf('/', second + 1);
        if (third < 0 || topic.indexOf('/', third + 1) >= 0 || !topic.startsWith(AURORA) || first != AURORA.length()) {
            return Optional.empty();
        }
        String id = topic.substring(second + 1, third);
        if (!DeviceId.isValid(id)) {
            return Optional.empty();
        }
        String kind = topic.substring(first + 1, second);
        String last = topic.substring(third + 1);
        if ("sensors".equals(kind)) {
            return switch (last) {
                case "telemetry" -> Optional.of(new DeviceTopic(id, Channel.TELEMETRY, "telemetry"));
                case "status" -> Optional.of(new DeviceTopic(id, Channel.TELEMETRY, "status"));
                case "alerts" -> Optional.of(new DeviceTopic(id, Channel.ALERT, "alerts"));
                case "attestation" -> Optional.of(new DeviceTopic(id, Channel.ATTESTATION, "attestation"));
                // A device's answer to a SOC command: archived as an audit record, and ends the command.
                case COMMAND_RESULT -> Optional.of(new DeviceTopic(id, Channel.AUDIT, COMMAND_RESULT));
                default -> Optional.empty();
            };
        }
        if ("access".equals(kind) && BADGE_EVENT.equals(last)) {
            return Optional.of(new DeviceTopic(id, Channel.ALERT, BADGE_EVENT));
        }
        if ("attestation".equals(kind) && "response".equals(last)) {
            return Optional.of(new DeviceTopic(id, Channel.ATTESTATION, "attestation"));
        }
        return Optional.empty();
    }

    /** Whether this is a device's answer to a SOC command ({@code aurora/sensors/{id}/command_result}). */
    public boolean isCommandResult() {
        return COMMAND_RESULT.equals(messageType);
    }

    /** AuroraSOC's event category: {@code access} for badge reads, {@code cps} for everything else of a device. */
    public String category() {
        return BADGE_EVENT.equals(messageType) ? "access" : "cps";
    }

    /**
     * The topic filters a device may subscribe to: only its own command topics, its own AuroraSOC
     * attestation-request and access-command topics, compared exactly.
     */
    public static boolean isOwnCommandFilter(String filter, String deviceId) {
        if (filter == null) {
            return false;
        }
        if (attestationRequestTopic(deviceId).equals(filter)
                || accessCommandTopic(deviceId).equals(filter)) {
            return true;
        }
        String base = "aurora/command/" + deviceId + "/";
        if (!filter.startsWith(base)) {
            return false;
        }
        String rest = filter.substring(base.length());
        return rest.equals("action") || rest.equals("ack") || rest.equals("+") || rest.equals("#");
    }

    /**
     * The device whose command filter this is ({@link #isOwnCommandFilter} holds for it), or null
     * when the filter is no single device's command filter.
     */
    public static @Nullable String commandFilterOwner(String filter) {
        if (filter == null) {
            return null;
        }
        String[] parts = filter.split("/", -1);
        if (parts.length < 3 || !"aurora".equals(parts[0]) || !DeviceId.isValid(parts[2])) {
            return null;
        }
        return isOwnCommandFilter(filter, parts[2]) ? parts[2] : null;
    }

    public static String commandTopic(String deviceId) {
        return "aurora/command/" + deviceId + "/action";
    }

    /** AuroraSOC's access-control verbs (unlock, lock, lockdown, …) to a device. */
    public static String accessCommandTopic(String deviceId) {
        return "aurora/access/" + deviceId + "/command";
    }

    /** Where stock AuroraSOC firmware reads its attestation challenge. */
    public static String attestationRequestTopic(String deviceId) {
        return "aurora/attestation/" + deviceId + "/request";
    }

    public static String ackTopic(String deviceId) {
        return "aurora/command/" + deviceId + "/ack";
    }
}
