package aurora.edge.gateway.outbox;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.Severity;
import java.time.Instant;
import java.util.Objects;

/**
 * One durable event in the outbox, as the forwarders read it.
 *
 * @param seq        outbox sequence: strictly increasing, the order every sink preserves
 * @param messageId  deterministic id ({@code device:boot:seq}, or the gateway's own for its events);
 *                   the {@code Nats-Msg-Id} and the Redis entry {@code id}
 * @param deviceId   the device the event is about, or null for gateway-wide events
 * @param channel    what kind of event this is
 * @param severity   severity (telemetry and audit carry INFO unless they say otherwise)
 * @param acceptedAt when the gateway accepted the event
 * @param event      the normalized event JSON (ARCHITECTURE §3), UTF-8; forwarded byte for byte
 */
public record OutboxRecord(
        long seq,
        String messageId,
        String deviceId,
        Channel channel,
        Severity severity,
        Instant acceptedAt,
        byte[] event) {

    public OutboxRecord {
        if (seq <= 0) {
            throw new IllegalArgumentException("seq must be > 0, found " + seq);
        }
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
        Objects.requireNonNull(event, "event");
    }
}
