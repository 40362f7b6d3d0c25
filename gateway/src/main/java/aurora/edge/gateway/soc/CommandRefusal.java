package aurora.edge.gateway.soc;

import aurora.edge.gateway.device.Severity;

/**
 * Every reason the gateway refuses a command from the SOC. The name is the stable code of the
 * metric tag, the audit event and the published result; it never changes.
 */
public enum CommandRefusal {
    COMMAND_MALFORMED(Severity.MEDIUM, "the command entry is not a JSON object with the required fields"),
    COMMAND_UNSIGNED(Severity.HIGH, "the command carries no signature"),
    COMMAND_SIGNATURE_INVALID(Severity.HIGH, "the signature does not verify with the pinned SOC command key (commands.soc_key)"),
    COMMAND_EXPIRED(Severity.MEDIUM, "expires_at has passed, or lies further ahead than commands.max_ttl allows"),
    COMMAND_REPLAYED(Severity.HIGH, "a command with this command_id was already received"),
    COMMAND_FOREIGN_SITE(Severity.HIGH, "the command names another site"),
    COMMAND_UNKNOWN_ACTION(Severity.MEDIUM, "the action is not one the gateway can carry out"),
    COMMAND_UNKNOWN_DEVICE(Severity.LOW, "the target device is not registered at this gateway"),
    COMMAND_QUEUE_FULL(Severity.MEDIUM, "the device already has commands.max_pending_per_device commands waiting");

    private final Severity severity;
    private final String description;

    CommandRefusal(Severity severity, String description) {
        this.severity = severity;
        this.description = description;
    }

    public Severity severity() {
        return severity;
    }

    public String description() {
        return description;
    }
}
