package aurora.edge.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The device side of the wire contract (ARCHITECTURE §3, §4): topics, payloads, acks, commands. */
final class WireFormat {
    /** What the first cut reported; devices now report the version of the image they run. */
    static final String FIRMWARE_VERSION = "1.2.0";
    /** What a simulated stock AuroraSOC device says it is (the nRF52840 firmware is Rust/Embassy). */
    static final String STOCK_DEVICE_TYPE = "environmental_sentinel";

    static final String STOCK_FIRMWARE_STACK = "rust_embassy";
    /** Inbound payloads above this are not parsed (a command or an ack is a few dozen bytes). */
    static final int MAX_INBOUND_BYTES = 16 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private WireFormat() {}

    static String telemetryTopic(String deviceId) {
        return "aurora/sensors/" + deviceId + "/telemetry";
    }

    static String alertsTopic(String deviceId) {
        return "aurora/sensors/" + deviceId + "/alerts";
    }

    static String attestationTopic(String deviceId) {
        return "aurora/sensors/" + deviceId + "/attestation";
    }

    /** Where stock AuroraSOC firmware reads its attestation challenge. */
    static String attestationRequestTopic(String deviceId) {
        return "aurora/attestation/" + deviceId + "/request";
    }

    /** Where stock AuroraSOC firmware answers a challenge. */
    static String attestationResponseTopic(String deviceId) {
        return "aurora/attestation/" + deviceId + "/response";
    }

    static String ackTopic(String deviceId) {
        return "aurora/command/" + deviceId + "/ack";
    }

    static String actionTopic(String deviceId) {
        return "aurora/command/" + deviceId + "/action";
    }

    /** The id the gateway derives for a device message: {@code {device_id}:{boot}:{seq}}. */
    static String messageId(String deviceId, long boot, long seq) {
        return deviceId + ':' + boot + ':' + seq;
    }

    /**
     * The compact JSON payload, e.g. {@code {"seq":1,"boot":7,"ts":1700000000000,"fw":"1.2.0","battery_mv":2950,
     * "temp_c":21.4,"humidity_pct":40.2,"vibration_g":0.01}}, plus {@code severity}, {@code kind} and {@code title}
     * for an alert. {@code ts} is the device's clock when it sampled (simulated time, skewed for a
     * {@link Behaviour#CLOCK_SKEW} device), so a resend carries the same bytes.
     */
    static byte[] render(PendingMessage m, long boot) {
        return render(m, boot, FIRMWARE_VERSION, null);
    }

    /** As {@link #render(PendingMessage, long)}, with the firmware version and an optional claimed device id. */
    static byte[] render(PendingMessage m, long boot, String firmwareVersion, String claimedDeviceId) {
        return render(m, boot, firmwareVersion, claimedDeviceId, null);
    }

    /**
     * As above; with {@code stockBoard} set, the device describes itself under AuroraSOC's names, as stock
     * firmware does: {@code device_type}, {@code board_family}, {@code firmware_stack}, {@code firmware_version}
     * instead of {@code fw} (seq and boot stay: the gateway's message id and the ack need them).
     */
    static byte[] render(
            PendingMessage m, long boot, String firmwareVersion, String claimedDeviceId, String stockBoard) {
        StringBuilder b = new StringBuilder(m.isAlert() ? 240 : 160);
        b.append("{\"seq\":").append(m.seq).append(",\"boot\":").append(boot);
        if (claimedDeviceId != null) {
            b.append(",\"device_id\":");
            appendString(b, claimedDeviceId);
        }
        b.append(",\"ts\":").append(m.sampledAt);
        if (stockBoard == null) {
            b.append(",\"fw\":\"").append(firmwareVersion).append('"');
        } else {
            b.append(",\"device_type\":\"")
                    .append(STOCK_DEVICE_TYPE)
                    .append('"')
                    .append(",\"board_family\":");
            appendString(b, stockBoard);
            b.append(",\"firmware_stack\":\"")
                    .append(STOCK_FIRMWARE_STACK)
                    .append('"')
                    .append(",\"firmware_version\":\"")
                    .append(firmwareVersion)
                    .append('"');
        }
        b.append(",\"battery_mv\":").append(m.batteryMv).append(",\"temp_c\":");
        appendScaled(b, m.tempDeci, 10);
        b.append(",\"humidity_pct\":");
        appendScaled(b, m.humidityDeci, 10);
        b.append(",\"vibration_g\":");
        appendScaled(b, m.vibrationCenti, 100);
        AlertKind alert = m.alertKind();
        if (alert != null) {
            b.append(",\"severity\":");
            appendString(b, alert.severity);
            b.append(",\"kind\":");
            appendString(b, alert.kind);
            b.append(",\"title\":");
            appendString(b, alert.title);
        }
        return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A cumulative acknowledgement: every message of {@code boot} with a seq up to {@code seq} is durable. */
    record Ack(long boot, long seq) {}

    /** Parses {@code {"boot":b,"seq":n}} (extra fields ignored); null when it is anything else. */
    static Ack parseAck(byte[] payload) {
        JsonNode node = parseObject(payload);
        if (node == null) {
            return null;
        }
        JsonNode boot = node.get("boot");
        JsonNode seq = node.get("seq");
        if (boot == null
                || seq == null
                || !boot.canConvertToExactIntegral()
                || !seq.canConvertToExactIntegral()
                || !boot.canConvertToLong()
                || !seq.canConvertToLong()
                || boot.asLong() < 0
                || seq.asLong() < 0) {
            return null;
        }
        return new Ack(boot.asLong(), seq.asLong());
    }

    static DeviceCommand parseCommand(byte[] payload) {
        JsonNode node = parseObject(payload);
        if (node == null) {
            return new DeviceCommand.Malformed("not a JSON object of at most " + MAX_INBOUND_BYTES + " bytes");
        }
        JsonNode action = node.get("action");
        if (action == null || !action.isTextual()) {
            return new DeviceCommand.Malformed("no string field 'action'");
        }
        switch (action.textValue()) {
            case "attest":
                return new DeviceCommand.Attest(
                        node.path("request_id").asText(null),
                        node.path("nonce").asText(null),
                        node.path("expires_in_s").asLong(0));
            case "set_interval":
                JsonNode seconds = node.get("interval_s");
                if (seconds == null
                        || !seconds.canConvertToExactIntegral()
                        || seconds.asLong() < 1
                        || seconds.asLong() > 86_400) {
                    return new DeviceCommand.Malformed("set_interval needs interval_s, 1..86400, found: " + seconds);
                }
                return new DeviceCommand.SetInterval(seconds.asLong());
            case "reboot":
                return new DeviceCommand.Reboot();
            case "isolate":
                JsonNode enabled = node.get("enabled");
                if (enabled != null && !enabled.isBoolean()) {
                    return new DeviceCommand.Malformed("isolate: enabled must be true or false, found: " + enabled);
                }
                return new DeviceCommand.Isolate(enabled == null || enabled.booleanValue());
            default:
                return new DeviceCommand.Unknown(action.textValue());
        }
    }

    private static JsonNode parseObject(byte[] payload) {
        if (payload == null || payload.length > MAX_INBOUND_BYTES) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(payload);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code value / scale} with exactly as many decimals as {@code scale} has zeros (10 or 100). */
    private static void appendScaled(StringBuilder b, int value, int scale) {
        if (value < 0) {
            b.append('-');
            value = -value;
        }
        b.append(value / scale).append('.');
        int frac = value % scale;
        if (scale == 100 && frac < 10) {
            b.append('0');
        }
        b.append(frac);
    }

    private static void appendString(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }
}
