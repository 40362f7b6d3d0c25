package aurora.edge.gateway.audit;

import aurora.edge.gateway.device.EventCode;
import aurora.edge.gateway.device.Severity;

/**
 * Every code the gateway audits or alerts under about itself and its devices, apart from the
 * refusals of device input, which are {@link aurora.edge.gateway.device.Rejection}s. The name is the
 * stable code (field {@code fields.code} of the event, the local audit trail's code column); it
 * never changes. A new code is a new constant here, with its severity and a description:
 * {@code docs/audit-codes.md} is generated from this enum and a test fails while it is stale.
 */
public enum AuditCode implements EventCode {
    // Devices and attestation
    DEVICE_REGISTERED(Severity.INFO, Reach.AUDIT, "an unknown, authenticated device was registered; attestation is PENDING"),
    ATTESTATION_TRUSTED(Severity.INFO, Reach.AUDIT, "a device attested: its firmware is in the signed manifest and its evidence verified"),
    ATTESTATION_LATE_ANSWER(Severity.LOW, Reach.AUDIT,
            "an attestation answer arrived after its challenge expired; consumed without a verdict"),
    DEVICE_QUARANTINED(Severity.CRITICAL, Reach.AUDIT_AND_ALERT,
            "attestation failed (UNKNOWN_FIRMWARE, TAMPERED, REVOKED, DOWNGRADE, UNRESPONSIVE), or a newer endorsement list no "
                    + "longer lists the device (REVOKED, not_endorsed), and the device is quarantined; "
                    + "also the alert code of every quarantine by an IOC"),
    DEVICE_QUARANTINED_BY_IOC(Severity.CRITICAL, Reach.AUDIT,
            "a federation indicator names the device compromised; quarantined until an operator releases it "
                    + "(the alert is raised as DEVICE_QUARANTINED)"),
    DEVICE_NAMED_BY_IOC(Severity.HIGH, Reach.AUDIT,
            "a federation indicator names a device not registered here; it is quarantined if it ever connects"),
    FIRMWARE_REVOKED_BY_IOC(Severity.HIGH, Reach.AUDIT,
            "a federation indicator revokes a firmware image; devices trusted on it are quarantined REVOKED"),
    IOC_POISON(Severity.MEDIUM, Reach.AUDIT, "a federation message is not a usable indicator and was terminated"),
    UNTRUSTED_DATA(Severity.INFO, Reach.AUDIT,
            "device data kept in the audit stream, never forwarded as trusted: of a quarantined or unapproved device, data held "
                    + "while PENDING whose verdict failed, or beyond attest.hold_max_per_device; "
                    + "the event keeps the device message itself and its own severity"),
    SEQ_GAP(Severity.MEDIUM, Reach.AUDIT, "a device's seq skipped: messages were lost or withheld before the gateway"),

    // Operator actions (ops HTTP, `devices approve|quarantine|release`)
    DEVICE_APPROVED(Severity.HIGH, Reach.AUDIT, "an operator approved a device (devices.registration_policy: approve)"),
    DEVICE_QUARANTINED_BY_OPERATOR(Severity.HIGH, Reach.AUDIT,
            "an operator quarantined a device; only an operator release lifts it"),
    DEVICE_RELEASED(Severity.HIGH, Reach.AUDIT,
            "a device left quarantine: released by an operator, or it passed re-attestation"),

    // Firmware manifest
    MANIFEST_REPLACED(Severity.MEDIUM, Reach.AUDIT, "a signed firmware manifest with a higher sequence replaced the current one at runtime"),
    MANIFEST_REFUSED(Severity.HIGH, Reach.AUDIT,
            "a manifest replacement was refused (bad signature, lower sequence, or same sequence with other content); "
                    + "the current manifest stays"),

    // Endorsement list
    ENDORSEMENTS_REPLACED(Severity.MEDIUM, Reach.AUDIT,
            "a signed endorsement list with a higher sequence replaced the current one at runtime; devices it no longer lists "
                    + "are quarantined REVOKED (not_endorsed)"),

    // The gateway's own audit volume (audit.max_events_per_minute)
    AUDIT_SUPPRESSED(Severity.MEDIUM, Reach.AUDIT,
            "audit events were held back by the audit budget or per-device throttling; the count is in the event"),

    // Delivery
    OUTBOX_EVICTED(Severity.HIGH, Reach.AUDIT, "the outbox was full: the oldest telemetry was evicted before delivery"),
    SINK_STALLED(Severity.HIGH, Reach.AUDIT_AND_ALERT,
            "a sink was connected but stopped advancing for forward.stall_timeout and was reconnected");

    /** Where the gateway reports a code: its audit stream only, or also as a CPS alert. */
    public enum Reach {
        AUDIT,
        AUDIT_AND_ALERT
    }

    private final Severity severity;
    private final Reach reach;
    private final String description;

    AuditCode(Severity severity, Reach reach, String description) {
        this.severity = severity;
        this.reach = reach;
        this.description = description;
    }

    @Override
    public String code() {
        return name();
    }

    @Override
    public Severity severity() {
        return severity;
    }

    @Override
    public String description() {
        return description;
    }

    public Reach reach() {
        return reach;
    }

    /** Whether {@link GatewayAlerts} may raise this code as a CPS alert. */
    public boolean alerts() {
        return reach == Reach.AUDIT_AND_ALERT;
    }
}
