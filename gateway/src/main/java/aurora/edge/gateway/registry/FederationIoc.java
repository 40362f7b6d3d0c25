package aurora.edge.gateway.registry;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A federation indicator as the gateway keeps it (table {@code federation_ioc}).
 *
 * @param kind       what {@code value} names
 * @param value      a lower-case SHA-256 hex firmware hash, or a device id
 * @param validUntil when the indicator stops holding by itself (STIX {@code valid_until}); null: until withdrawn
 * @param forgetAt   for a WITHDRAWN indicator, when its row may be deleted; null otherwise
 */
public record FederationIoc(
        String iocId,
        Kind kind,
        String value,
        State state,
        @Nullable Instant validUntil,
        Instant appliedAt,
        Instant changedAt,
        @Nullable Instant forgetAt) {
    public enum Kind {
        FIRMWARE_HASH,
        DEVICE_ID
    }

    public enum State {
        /** Applied: the hash is refused, the device quarantined. */
        ACTIVE,
        /** Would quarantine more of the fleet than allowed: nothing applied until an operator confirms. */
        AWAITING_CONFIRMATION,
        /** Revoked by the federation or expired: what it alone held was released; kept a while as a tombstone. */
        WITHDRAWN
    }

    public FederationIoc {
        Objects.requireNonNull(iocId, "iocId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(appliedAt, "appliedAt");
        Objects.requireNonNull(changedAt, "changedAt");
        if (state == State.WITHDRAWN && forgetAt == null) {
            throw new IllegalArgumentException("a WITHDRAWN indicator needs forgetAt, found null for " + iocId);
        }
    }

    public boolean active() {
        return state == State.ACTIVE;
    }

    /** Whether its {@code valid_until} has passed at {@code now}. */
    public boolean expiredAt(Instant now) {
        return validUntil != null && !now.isBefore(validUntil);
    }

    public FederationIoc withState(State newState, Instant at, @Nullable Instant newForgetAt) {
        return new FederationIoc(
                iocId,
                kind,
                value,
                newState,
                validUntil,
                appliedAt,
                at,
                newState == State.WITHDRAWN ? newForgetAt : null);
    }
}
