package aurora.edge.gateway.federation;

/**
 * Applies an IOC to the gateway's trust state: revoking a firmware hash (devices running it are
 * re-attested or quarantined) or quarantining a device, or withdrawing one. Must be idempotent: the
 * federation may deliver the same indicator again, and a replay must change nothing.
 */
@FunctionalInterface
public interface IocHandler {
    /** What applying an indicator did. */
    enum Outcome {
        APPLIED,
        /** The indicator was taken before; nothing changed. */
        REPLAY,
        /** It would quarantine too much of the fleet: kept, not applied, until an operator confirms it. */
        AWAITING_CONFIRMATION,
        /** A revocation: the indicator is withdrawn and what it alone held released. */
        WITHDRAWN,
        /** Its valid_until had passed on arrival: not applied. */
        EXPIRED,
        /** The table of indicators is full (federation.max_iocs): refused, never redelivered. */
        REFUSED
    }

    /**
     * @throws IocHandlingException when the IOC could not be applied now but may be later (the
     *                              message is redelivered after a delay)
     */
    Outcome apply(Ioc ioc) throws IocHandlingException;

    /** A failure worth retrying: the database was busy, the registry not ready, … */
    final class IocHandlingException extends Exception {
        public IocHandlingException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
