package aurora.edge.gateway.device;

/**
 * What kind of event an outbox record carries. The channel decides eviction class, drain priority
 * and which streams and subjects a record is forwarded to.
 */
public enum Channel {
    /** Periodic device readings; the only class evicted when the outbox is full. */
    TELEMETRY,
    /** Device-raised or gateway-raised security alerts. */
    ALERT,
    /** Attestation evidence answered by a device; consumed by the gateway, not forwarded. */
    ATTESTATION,
    /** Audit events the gateway emits itself (rejections, registrations, verdicts). */
    AUDIT
}
