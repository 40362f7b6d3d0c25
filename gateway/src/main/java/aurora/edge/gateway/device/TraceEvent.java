package aurora.edge.gateway.device;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of a device's live trace: what arrived (topic and the payload, made printable and cut to
 * {@link #MAX_PAYLOAD_CHARS}) and what the gateway decided about it, and why.
 *
 * @param decision {@code accepted}, {@code held} (kept in the audit stream, not forwarded as trusted) or {@code rejected}
 * @param why      the trust the message was stamped with, or the rejection code and its detail
 * @param topic    empty when a rejection names no message (a refused subscription)
 */
public record TraceEvent(Instant at, String topic, String payload, String decision, String why) {
    /** What a trace keeps of a payload: enough to read a reading, not a way to copy a device's traffic. */
    public static final int MAX_PAYLOAD_CHARS = 512;

    public TraceEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(why, "why");
    }

    /** A message as intake decided it; the payload is decoded leniently, control characters become {@code ?}. */
    public static TraceEvent message(Instant at, String topic, byte[] payload, String decision, String why) {
        return new TraceEvent(at, cut(topic, 256), printable(payload), decision, why);
    }

    /** A rejection reported without a payload (at the broker, or by attestation). */
    public static TraceEvent rejection(Instant at, String code, String detail) {
        return new TraceEvent(at, "", "", "rejected", code + " " + cut(detail, 256));
    }

    private static String printable(byte[] payload) {
        int n = Math.min(payload.length, MAX_PAYLOAD_CHARS * 4);
        String text = new String(payload, 0, n, StandardCharsets.UTF_8);
        String shown = cut(text, MAX_PAYLOAD_CHARS);
        return payload.length > n && shown.length() == text.length() ? shown + "…" : shown;
    }

    private static String cut(String s, int max) {
        String cut = s.length() > max ? s.substring(0, max) + "…" : s;
        StringBuilder out = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            out.append(c >= 0x20 && c != 0x7f ? c : '?');
        }
        return out.toString();
    }
}
