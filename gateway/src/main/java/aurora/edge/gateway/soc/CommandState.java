package aurora.edge.gateway.soc;

import java.util.Locale;

/** Where a SOC command stands. The last five are outcomes: published once on the results stream. */
public enum CommandState {
    /** Accepted, not yet sent (the device is asleep or disconnected). */
    QUEUED,
    /** Sent at least once, no answer yet; resent while the device is connected, until it expires. */
    SENT,
    /** The device (or the gateway, for its own actions) carried it out. */
    DONE,
    /** The device tried and failed. */
    FAILED,
    /** The device declined it. */
    REJECTED,
    /** No answer before expires_at. */
    EXPIRED,
    /** Refused by the gateway on arrival (signature, expiry, replay, site, …). */
    REFUSED;

    public boolean open() {
        return this == QUEUED || this == SENT;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
