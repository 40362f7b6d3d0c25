package aurora.edge.gateway.registry;

import aurora.edge.attestation.evidence.Challenge;
import java.time.Instant;
import java.util.Objects;

/**
 * A challenge the gateway sent and keeps until it is answered. {@code expired} ones are kept until
 * the device's next verdict so a late answer is told apart from tampering.
 *
 * @param trigger why it was sent ({@code registered}, {@code boot_changed}, {@code operator}, …)
 */
public record OpenChallenge(String deviceId, Challenge challenge, Instant issuedAt, String trigger, boolean expired) {
    public OpenChallenge {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(challenge, "challenge");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(trigger, "trigger");
    }

    public String requestId() {
        return challenge.requestId();
    }
}
