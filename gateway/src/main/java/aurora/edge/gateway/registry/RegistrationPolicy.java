package aurora.edge.gateway.registry;

/** What happens to the first message of an authenticated device the registry does not know. */
public enum RegistrationPolicy {
    /** Only devices on the vendor-signed endorsement list may register (default). */
    ENDORSED,
    /** Any device registers, but its data is held until an operator approves it. */
    APPROVE,
    /** Any device registers and its data flows, flagged; for labs only (a loud warning at start). */
    OPEN
}
