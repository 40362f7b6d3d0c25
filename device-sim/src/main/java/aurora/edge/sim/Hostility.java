package aurora.edge.sim;

import java.nio.charset.StandardCharsets;

/**
 * The extra messages a hostile device injects on its wake-ups (see {@link Behaviour}). None of them carries a seq
 * of the device's own stream, except the rewind, which repeats one already published: the gateway's ack
 * watermark and the fleet's accounting by message id are not disturbed by them.
 */
final class Hostility {
    /** Larger than the gateway's default intake.max_payload_bytes (8192). */
    static final int OVERSIZE_BYTES = 9 * 1024;

    /** One message to publish at QoS 0. */
    record Injection(String topic, byte[] payload) {}

    private Hostility() {}

    /**
     * What a device with {@code behaviour} injects on this wake, or null.
     *
     * @param self      the device's id
     * @param victim    the id of the device it impersonates or attacks (the next one in the fleet)
     * @param last      the last message it produced (readings to copy), or null
     * @param boot      its boot count
     * @param fw        the version of the firmware it runs
     */
    static Injection inject(
            Behaviour behaviour, String self, String victim, PendingMessage last, long boot, String fw) {
        switch (behaviour) {
            case SPOOFED_TOPIC:
                return new Injection(WireFormat.telemetryTopic(victim), unsequenced(last, fw, null));
            case SPOOFED_PAYLOAD:
                return new Injection(WireFormat.telemetryTopic(self), unsequenced(last, fw, victim));
            case FOREIGN_TOPIC:
                return new Injection(WireFormat.actionTopic(victim), utf8("{\"action\":\"reboot\"}"));
            case MALFORMED_JSON:
                return new Injection(
                        WireFormat.telemetryTopic(self),
                        utf8("{\"seq\":" + (last == null ? 1 : last.seq) + ",\"temp_c\":"));
            case OVERSIZE:
                return new Injection(
                        WireFormat.telemetryTopic(self), utf8("{\"pad\":\"" + "x".repeat(OVERSIZE_BYTES) + "\"}"));
            case SEQ_REWIND:
                if (last == null || last.seq < 2) {
                    return null;
                }
                // The previous seq again, with readings that differ from what was sent under it.
                PendingMessage rewound = new PendingMessage(
                        last.seq - 1,
                        new Reading(last.batteryMv, last.tempDeci + 123, last.humidityDeci, last.vibrationCenti),
                        PendingMessage.TELEMETRY,
                        last.sampledAt);
                return new Injection(WireFormat.telemetryTopic(self), WireFormat.render(rewound, boot, fw, null));
            default:
                return null;
        }
    }

    /** A telemetry payload without seq and boot, optionally claiming another device's id. */
    private static byte[] unsequenced(PendingMessage last, String fw, String claimedId) {
        StringBuilder b = new StringBuilder(120).append('{');
        if (claimedId != null) {
            b.append("\"device_id\":\"").append(claimedId).append("\",");
        }
        b.append("\"ts\":")
                .append(last == null ? 0 : last.sampledAt)
                .append(",\"fw\":\"")
                .append(fw)
                .append('"');
        b.append(",\"temp_c\":")
                .append(last == null ? 20 : last.tempDeci / 10.0)
                .append('}');
        return utf8(b.toString());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
