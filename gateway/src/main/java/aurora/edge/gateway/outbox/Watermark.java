package aurora.edge.gateway.outbox;

/**
 * The acknowledgement a device is owed: every message of {@code boot} with a seq up to
 * {@code seq} is committed. Published as {@code {"boot":b,"seq":n}} on {@code aurora/command/{id}/ack}.
 */
public record Watermark(String deviceId, long boot, long seq) {}
