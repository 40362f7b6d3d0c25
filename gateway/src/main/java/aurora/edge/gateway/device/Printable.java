package aurora.edge.gateway.device;

import org.jspecify.annotations.Nullable;

/** Device- and stranger-chosen text made safe for a log line or an audit event: printable ASCII, bounded. */
public final class Printable {
    /** The most of an attacker-supplied string that reaches a log or an event. */
    public static final int MAX_CHARS = 128;

    private Printable() {}

    public static String of(@Nullable String s) {
        if (s == null) {
            return "(null)";
        }
        String cut = s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS) + "…" : s;
        StringBuilder out = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            out.append((c >= 0x20 && c <= 0x7e) || c == '…' ? c : '?');
        }
        return out.toString();
    }

    /**
     * {@link #of} in double quotes with {@code "} and {@code \} escaped, for a key=value log line: a
     * client cannot make its text look like further fields ({@code x" device_id="victim}).
     */
    public static String quoted(String s) {
        return '"' + of(s).replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
