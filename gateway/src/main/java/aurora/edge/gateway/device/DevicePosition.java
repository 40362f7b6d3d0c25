package aurora.edge.gateway.device;

/**
 * Where a message stands in its device's stream: boot count and the per-boot sequence number.
 * Messages that carry it are acknowledged cumulatively and recognised when resent.
 */
public record DevicePosition(long boot, long seq) {
    public DevicePosition {
        if (boot < 0) throw new IllegalArgumentException("boot must be >= 0, found " + boot);
        if (seq < 1) throw new IllegalArgumentException("seq must be >= 1, found " + seq);
    }

    /**
     * The message id, unique across a federation: {@code {site_id}:{device_id}:{boot}:{seq}}. It
     * names the device message, not the gateway that took it in, so the same message arriving
     * through two gateways of one site is one message in JetStream's duplicate window, while two
     * sites that each have a {@code sensor-0042} never drop each other's messages.
     */
    public String messageId(String siteId, String deviceId) {
        return siteId + ":" + deviceId + ":" + boot + ":" + seq;
    }
}
