package aurora.edge.gateway.soc;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One SOC command of a device as an operator sees it (ops {@code GET /devices/{id}/commands}, the
 * console's device page, {@code devices commands ID}): never the body the device receives, whose
 * parameters are the SOC's business.
 *
 * @param requestedBy who asked for it: the SOC's {@code requested_by}, or {@code gateway:…} for the gateway's own
 * @param detail      why it ended (refusal code, the device's answer, "no answer after n sends"), null while open
 */
public record DeviceCommand(
        String commandId,
        String action,
        CommandState state,
        int attempts,
        Instant requestedAt,
        Instant updatedAt,
        Instant expiresAt,
        String requestedBy,
        @Nullable String detail) {
    public DeviceCommand {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(requestedBy, "requestedBy");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must be >= 0, found " + attempts);
        }
    }

    /** A device's commands, newest first, at most as many as asked for, and how many it has in all. */
    public record Page(java.util.List<DeviceCommand> commands, int total, int open) {
        public Page {
            commands = java.util.List.copyOf(commands);
        }
    }
}
