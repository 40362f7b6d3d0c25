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
    AUDIT,
    /**
     * Data of a device the gateway does not trust enough to forward (quarantined, or waiting for
     * approval): kept for the site's audit ({@code aurora:audit} and the local audit trail), never
     * put on the shared federation stream, where one flooding quarantined device could push the
     * site's IOCs and alerts out of its 100,000 messages.
     */
    HELD;

    /** Whether events of this channel are also kept in the local audit trail (under an audit code). */
    public boolean audited() {
        return this == AUDIT || this == HELD;
    }
}
