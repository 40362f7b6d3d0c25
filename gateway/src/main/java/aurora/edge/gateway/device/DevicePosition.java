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

    public String messageId(String deviceId) {
        return deviceId + ":" + boot + ":" + seq;
    }
}
