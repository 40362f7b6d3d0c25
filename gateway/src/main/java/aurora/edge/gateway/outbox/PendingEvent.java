package aurora.edge.gateway.outbox;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.DevicePosition;
import aurora.edge.gateway.device.Severity;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An event waiting to be committed to the outbox.
 *
 * @param deviceId  the device it came from or is about; null for gateway-wide events
 * @param position  the device's {@code boot}/{@code seq}, which makes the message id and drives
 *                  duplicate detection and acknowledgement; null for events without one
 * @param auditCode the audit code when {@code channel} is AUDIT or HELD (also kept in the local audit trail), else null
 * @param body      renders the event JSON once the message id is known; null means "store nothing,
 *                  only consume this device position" (a rejected message whose seq must not stall
 *                  the device's acknowledgement watermark)
 * @param payloadDigest a digest of the device's payload as published ({@link #digestOf}), which tells
 *                  a resend from a rewound seq; 0 for events the gateway raises itself. A non-zero
 *                  digest also marks what a device sent, which its quota of never-evicted events limits
 * @param held      stored, acknowledged, but not forwarded until a {@link HoldDecision} about the device
 * @param receipt   told once the event is stored or will not be ({@link StoreReceipt#NONE} when nobody waits)
 */
public record PendingEvent(
        @Nullable String deviceId,
        Channel channel,
        Severity severity,
        @Nullable DevicePosition position,
        Instant acceptedAt,
        @Nullable String auditCode,
        @Nullable EventBody body,
        int payloadDigest,
        boolean held,
        StoreReceipt receipt)
        implements QueuedWork {

    public PendingEvent {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
        Objects.requireNonNull(receipt, "receipt");
        if (body == null && position == null) {
            throw new IllegalArgumentException("an event without a body must carry a device position to consume");
        }
        if (channel.audited() != (auditCode != null)) {
            throw new IllegalArgumentException(
                    "auditCode is required for AUDIT and HELD events only, found " + auditCode + " on " + channel);
        }
        if (position != null && deviceId == null) {
            throw new IllegalArgumentException(
                    "a position needs a deviceId, found position " + position + " without one");
        }
        if (held && (deviceId == null || body == null || (channel != Channel.TELEMETRY && channel != Channel.ALERT))) {
            throw new IllegalArgumentException(
                    "only device telemetry and alerts are held, found " + channel + " of " + deviceId);
        }
    }

    public PendingEvent(
            @Nullable String deviceId,
            Channel channel,
            Severity severity,
            @Nullable DevicePosition position,
            Instant acceptedAt,
            @Nullable String auditCode,
            @Nullable EventBody body) {
        this(deviceId, channel, severity, position, acceptedAt, auditCode, body, 0, false, StoreReceipt.NONE);
    }

    public PendingEvent(
            @Nullable String deviceId,
            Channel channel,
            Severity severity,
            @Nullable DevicePosition position,
            Instant acceptedAt,
            @Nullable String auditCode,
            @Nullable EventBody body,
            int payloadDigest) {
        this(
                deviceId,
                channel,
                severity,
                position,
                acceptedAt,
                auditCode,
                body,
                payloadDigest,
                false,
                StoreReceipt.NONE);
    }

    /** This event, with {@code receipt} told what becomes of it. */
    public PendingEvent withReceipt(StoreReceipt receipt) {
        return new PendingEvent(
                deviceId, channel, severity, position, acceptedAt, auditCode, body, payloadDigest, held, receipt);
    }

    /** Device data held until attestation decides about the device. */
    public static PendingEvent held(
            String deviceId,
            Channel channel,
            Severity severity,
            @Nullable DevicePosition position,
            Instant acceptedAt,
            EventBody body,
            int payloadDigest) {
        return new PendingEvent(
                deviceId, channel, severity, position, acceptedAt, null, body, payloadDigest, true, StoreReceipt.NONE);
    }

    /** A rejected device message: nothing is stored, but its seq counts as handled for the watermark. */
    public static PendingEvent consumedOnly(String deviceId, DevicePosition position, Instant at) {
        return new PendingEvent(deviceId, Channel.TELEMETRY, Severity.INFO, position, at, null, null);
    }

    /** A short digest of a device payload (CRC32C), never 0 so that 0 can mean "unknown". */
    public static int digestOf(byte[] payload) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(payload);
        int digest = (int) crc.getValue();
        return digest == 0 ? 1 : digest;
    }

    /** Renders the normalized event JSON (UTF-8) for the message id the outbox settled on. */
    @FunctionalInterface
    public interface EventBody {
        byte[] render(String messageId);
    }
}
