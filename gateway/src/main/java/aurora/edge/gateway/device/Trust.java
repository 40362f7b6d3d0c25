package aurora.edge.gateway.device;

import java.util.Locale;

/** How far the gateway trusts a device's data right now; stamped on every device event as {@code trust}. */
public enum Trust {
    /** Attested: forwarded to the trusted streams. */
    TRUSTED,
    /**
     * Registered, not (yet) attested and not quarantined: held until its verdict while attestation
     * is on ({@code attest.hold_pending}); otherwise, and for urgent alerts, forwarded, flagged.
     */
    PENDING,
    /** Quarantined: kept and counted, routed to the audit stream only. */
    QUARANTINED,
    /** Waiting for an operator's approval ({@code devices.registration_policy: approve}): like quarantined. */
    UNAPPROVED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the device's telemetry and alerts may go to the trusted streams. */
    public boolean forwardable() {
        return this == TRUSTED || this == PENDING;
    }
}
