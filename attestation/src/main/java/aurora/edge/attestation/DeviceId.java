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

    /** {@link #SYNTAX}, checked character by character: it runs for every device message (no Matcher). */
    public static boolean isValid(String deviceId) {
        if (deviceId == null || deviceId.isEmpty() || deviceId.length() > 64) {
            return false;
        }
        for (int i = 0; i < deviceId.length(); i++) {
            char c = deviceId.charAt(i);
            boolean allowed =
                    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    public static boolean isValidBoard(String board) {
        return board != null && BOARD_SYNTAX.matcher(board).matches();
    }
}
