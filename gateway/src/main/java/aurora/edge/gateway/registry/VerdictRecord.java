package aurora.edge.gateway.registry;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One line of a device's attestation history.
 *
 * @param requestId the challenge answered, or null for verdicts without one (UNRESPONSIVE, manifest revocation, operator)
 * @param status    the resulting state, or an operator action ({@code RELEASED}, {@code QUARANTINED}, {@code APPROVED})
 */
public record VerdictRecord(
        String deviceId, @Nullable String requestId, String status, String reason, String detail, Instant at) {
    public VerdictRecord {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }
}
