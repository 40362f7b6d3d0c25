package aurora.edge.gateway.config;

/**
 * What the gateway may do to the federation stream ({@code nats.stream_management}). The stream is
 * shared with the AuroraSOC backend, which owns it.
 */
public enum StreamManagement {
    /**
     * Create the stream with the seed's settings when it is missing; an existing stream is never
     * changed, only checked (subjects the gateway needs, duplicate window) and what differs reported.
     */
    CREATE,
    /** Create the stream, and update the settings the gateway relies on when they differ (the opt-in of old). */
    MANAGE,
    /** Never look at or touch stream configuration: a NATS user with publish rights only is enough. */
    OFF
}
