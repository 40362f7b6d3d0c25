package aurora.edge.gateway.attest;

import java.util.Objects;

/** The outcome of {@code devices bind|unbind}: what happened, in words an operator reads. */
public record BindingOutcome(Kind kind, String message) {
    public enum Kind {
        /** The binding changed (and was audited). */
        DONE,
        /** It was already so. */
        NO_CHANGE,
        /** Not allowed: a relay of a relay, a device bound to itself, a relay bound as a child. */
        REFUSED
    }

    public BindingOutcome {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
