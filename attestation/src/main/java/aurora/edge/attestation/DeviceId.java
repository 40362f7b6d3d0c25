package aurora.edge.attestation;

import java.util.regex.Pattern;

/**
 * The id syntax of the wire contract (ARCHITECTURE §3): {@code ^[A-Za-z0-9_-]{1,64}$}, shared by
 * devices, relays, gateways and sites; safe as an MQTT topic level, a NATS subject token and a Redis
 * key part. The one definition every module uses.
 */
public final class DeviceId {
    /** The rule as operators read it in error messages. */
    public static final String RULE = "[A-Za-z0-9_-]{1,64}";

    public static final Pattern SYNTAX = Pattern.compile(RULE);
    /** Board class names also allow dots ({@code nrf52840dk}, {@code aurora-sensor-v1.2}). */
    private static final Pattern BOARD_SYNTAX = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private DeviceId() {}

    public static boolean isValid(String deviceId) {
        return deviceId != null && SYNTAX.matcher(deviceId).matches();
    }

    public static boolean isValidBoard(String board) {
        return board != null && BOARD_SYNTAX.matcher(board).matches();
    }
}
