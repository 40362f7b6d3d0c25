package aurora.edge.gateway.config;

/** The checks every device message passes before it is accepted ({@code intake.*}). */
final class IntakeSettings {
    static final Setting<Integer> MAX_PAYLOAD_BYTES = Setting.integer(
                    "intake.max_payload_bytes",
                    "bytes",
                    8192,
                    64,
                    1_048_576,
                    "larger payloads are rejected `PAYLOAD_TOO_LARGE`")
            .allowedShownAs("64–1048576, ≤ `mqtt.max_message_bytes`");
    static final Setting<Integer> QUEUE_CAPACITY = Setting.integer(
            "intake.queue_capacity",
            "events",
            65_536,
            1024,
            10_000_000,
            "events waiting for a commit; beyond it `OVERLOADED` (the device resends)");
    static final Setting<Integer> MAX_RATE_PER_DEVICE = Setting.integer(
            "intake.max_rate_per_device",
            "msgs/s",
            200,
            1,
            1_000_000,
            "average rate one device may send; beyond it `RATE_LIMITED` (a flood cannot slow other devices)");
    static final Setting<Integer> MAX_BURST_PER_DEVICE = Setting.integer(
            "intake.max_burst_per_device",
            "msgs",
            2048,
            1,
            10_000_000,
            "burst one device may send above its rate (e.g. its ring resent after a reconnect)");

    private IntakeSettings() {}

    static GatewayConfig.Intake read(ConfigReader r, GatewayConfig.Mqtt mqtt) {
        var intake = new GatewayConfig.Intake(
                r.get(MAX_PAYLOAD_BYTES),
                r.get(QUEUE_CAPACITY),
                r.get(MAX_RATE_PER_DEVICE),
                r.get(MAX_BURST_PER_DEVICE));
        if (intake.maxPayloadBytes() > mqtt.maxMessageBytes()) {
            r.error(
                    MAX_PAYLOAD_BYTES,
                    String.valueOf(intake.maxPayloadBytes()),
                    "must not exceed mqtt.max_message_bytes (" + mqtt.maxMessageBytes() + ")");
        }
        return intake;
    }
}
