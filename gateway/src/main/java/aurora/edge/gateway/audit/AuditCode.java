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
    DEVICE_REGISTERED(
            Severity.INFO, Reach.AUDIT, "an unknown, authenticated device was registered; attestation is PENDING"),
    ATTESTATION_TRUSTED(
            Severity.INFO,
            Reach.AUDIT,
            "a device attested: its firmware is in the signed manifest and its evidence verified"),
    ATTESTATION_SELF_REPORT(
            Severity.INFO,
            Reach.AUDIT,
            "a stock AuroraSOC device's unsolicited attestation report verified and raised its boot-count mark (once per new "
                    + "boot count); it does not make the device TRUSTED, only an answer to a gateway nonce does"),
    ATTESTATION_LATE_ANSWER(
            Severity.LOW,
            Reach.AUDIT,
            "an attestation answer arrived after its challenge expired; consumed without a verdict"),
    DEVICE_QUARANTINED(
            Severity.CRITICAL,
            Reach.AUDIT_AND_ALERT,
            "attestation failed (UNKNOWN_FIRMWARE, TAMPERED, REVOKED, DOWNGRADE, UNRESPONSIVE), or a newer endorsement list no "
                    + "longer lists the device (REVOKED, not_endorsed), and the device is quarantined; "
                    + "also the alert code of every quarantine by an IOC"),
    DEVICE_QUARANTINED_BY_IOC(
            Severity.CRITICAL,
            Reach.AUDIT,
            "a federation indicator names the device compromised; quarantined until an operator releases it "
                    + "(the alert is raised as DEVICE_QUARANTINED)"),
    DEVICE_NAMED_BY_IOC(
            Severity.HIGH,
            Reach.AUDIT,
            "a federation indicator names a device not registered here; it is quarantined if it ever connects"),
    FIRMWARE_REVOKED_BY_IOC(
            Severity.HIGH,
            Reach.AUDIT,
            "a federation indicator revokes a firmware image; devices trusted on it are quarantined REVOKED"),
    IOC_POISON(Severity.MEDIUM, Reach.AUDIT, "a federation message is not a usable indicator and was terminated"),
    IOC_SIGNATURE_INVALID(
            Severity.HIGH,
            Reach.AUDIT,
            "federation.ioc_key is set and a federation message had no Aurora-Signature header, or one that does not verify over its "
                    + "exact bytes; terminated, not applied"),
    IOC_AWAITS_CONFIRMATION(
            Severity.CRITICAL,
            Reach.AUDIT_AND_ALERT,
            "a federation indicator would quarantine more of the fleet than federation.max_fleet_share allows; nothing is applied "
                    + "until an operator confirms it (iocs confirm ID)"),
    IOC_CONFIRMED(
            Severity.HIGH, Reach.AUDIT, "an operator confirmed a federation indicator that waited; it is applied now"),
    IOC_WITHDRAWN(
            Severity.HIGH,
            Reach.AUDIT,
            "the federation revoked an indicator (STIX revoked); what it alone held is released and re-attested"),
    IOC_EXPIRED(
            Severity.HIGH,
            Reach.AUDIT,
            "an indicator passed its valid_until; what it alone held is released and re-attested"),
    IOC_HOLD_LIFTED(
            Severity.HIGH,
            Reach.AUDIT,
            "a withdrawn indicator no longer holds a device that a failed verdict of its own still quarantines; its next "
                    + "attestation decides, not an operator"),
    IOC_TABLE_FULL(
            Severity.CRITICAL,
            Reach.AUDIT_AND_ALERT,
            "federation.max_iocs indicators are kept and none can be forgotten: new indicators are refused (reported at most once a "
                    + "minute)"),
    UNTRUSTED_DATA(
            Severity.INFO,
            Reach.AUDIT,
            "device data kept in the audit stream, never forwarded as trusted: of a quarantined or unapproved device, data held "
                    + "while PENDING whose verdict failed, or beyond attest.hold_max_per_device; "
                    + "the event keeps the device message itself and its own severity"),
    SEQ_GAP(Severity.MEDIUM, Reach.AUDIT, "a device's seq skipped: messages were lost or withheld before the gateway"),
    SEQ_REWIND(
            Severity.MEDIUM,
            Reach.AUDIT,
            "a device started its seq over under a boot already seen (reset, reflash): "
                    + "its new messages are kept under a new epoch, ids ending :r<epoch>"),
    SEQ_GAP_GIVEN_UP(
            Severity.MEDIUM,
            Reach.AUDIT,
            "missing device seqs acknowledged anyway: more than outbox.resend_window later messages "
                    + "and outbox.gap_timeout passed"),

    // Device health, AuroraSOC's way (devices.stale_after, devices.offline_after): one event per transition, never
    // repeated
    DEVICE_STALE(
            Severity.MEDIUM,
            Reach.AUDIT_AND_ALERT,
            "a device was not heard from for devices.stale_after (10 min by default): Stale; raised once, not again while it lasts"),
    DEVICE_OFFLINE(
            Severity.CRITICAL,
            Reach.AUDIT_AND_ALERT,
            "a device was not heard from for devices.offline_after (60 min by default): Offline; raised once, not again while it "
                    + "lasts nor after a restart"),
    DEVICE_BACK_ONLINE(
            Severity.INFO,
            Reach.AUDIT_AND_ALERT,
            "a Stale or Offline device was heard from again and is Online; on the alert stream beside the alert it closes"),

    // Operator actions (ops HTTP, `devices approve|quarantine|release|attest`); each names the operator
    // (fields.operator)
    DEVICE_APPROVED(Severity.HIGH, Reach.AUDIT, "an operator approved a device (devices.registration_policy: approve)"),
    DEVICE_QUARANTINED_BY_OPERATOR(
            Severity.HIGH, Reach.AUDIT, "an operator quarantined a device; only an operator release lifts it"),
    DEVICE_RELEASED(
            Severity.HIGH,
            Reach.AUDIT,
            "a device left quarantine: released by an operator, it passed re-attestation, or the indicator that held it was withdrawn"),
    DEVICE_TRACE_STARTED(
            Severity.INFO,
            Reach.AUDIT,
            "an operator started a live trace of a device (console or ops port): its messages and intake's decisions are kept in "
                    + "memory for the trace's duration; fields operator, duration_s, until"),
    ATTESTATION_REQUESTED(
            Severity.INFO, Reach.AUDIT, "an operator asked for a fresh attestation of a device (devices attest)"),
    RELAY_BOUND(
            Severity.HIGH,
            Reach.AUDIT,
            "an operator bound a device to a relay (devices bind CHILD --relay RELAY): the relay may now publish and "
                    + "receive for it; fields.relay_id, fields.previous_relay_id"),
    RELAY_UNBOUND(
            Severity.HIGH,
            Reach.AUDIT,
            "an operator removed a device's relay binding (devices unbind CHILD); a binding from the endorsement list, "
                    + "if any, applies again"),

    // Device certificates (MQTT over TLS)
    DEVICE_CERT_REVOKED(
            Severity.HIGH,
            Reach.AUDIT,
            "a device was revoked (its certificate on a reloaded CRL, or the device on the revoked-device list): its open session "
                    + "was closed, and it is refused from now on"),

    // Firmware manifest
    MANIFEST_REPLACED(
            Severity.MEDIUM,
            Reach.AUDIT,
            "a signed firmware manifest with a higher sequence replaced the current one at runtime"),
    MANIFEST_REFUSED(
            Severity.HIGH,
            Reach.AUDIT,
            "a manifest replacement was refused (bad signature, lower sequence, or same sequence with other content); "
                    + "the current manifest stays"),

    // Endorsement list
    ENDORSEMENTS_REPLACED(
            Severity.MEDIUM,
            Reach.AUDIT,
            "a signed endorsement list with a higher sequence replaced the current one at runtime; devices it no longer lists "
                    + "are quarantined REVOKED (not_endorsed)"),

    // Commands from the SOC (commands.*): refusals
    COMMAND_MALFORMED(
            Severity.MEDIUM, Reach.AUDIT, "a SOC command entry is not a JSON object with the required fields"),
    COMMAND_UNSIGNED(Severity.HIGH, Reach.AUDIT, "a SOC command carries no signature"),
    COMMAND_SIGNATURE_INVALID(
            Severity.HIGH,
            Reach.AUDIT,
            "a SOC command's signature does not verify with the pinned SOC command key (commands.soc_key)"),
    COMMAND_EXPIRED(
            Severity.MEDIUM,
            Reach.AUDIT,
            "a SOC command arrived after its expires_at (or with one further ahead than commands.max_ttl), "
                    + "or was not answered before it"),
    COMMAND_REPLAYED(Severity.HIGH, Reach.AUDIT, "a signed SOC command with an already received command_id"),
    COMMAND_FOREIGN_SITE(Severity.HIGH, Reach.AUDIT, "a SOC command names another site"),
    COMMAND_UNKNOWN_ACTION(Severity.MEDIUM, Reach.AUDIT, "a SOC command's action is not one the gateway can carry out"),
    COMMAND_UNKNOWN_DEVICE(
            Severity.LOW, Reach.AUDIT, "a SOC command's target device is not registered at this gateway"),
    COMMAND_QUEUE_FULL(
            Severity.MEDIUM,
            Reach.AUDIT,
            "a SOC command was refused: its device already has commands.max_pending_per_device open commands"),
    // Commands from the SOC: their life
    COMMAND_ACCEPTED(
            Severity.INFO, Reach.AUDIT, "a signed SOC command was accepted; it waits until its device listens"),
    COMMAND_DONE(Severity.INFO, Reach.AUDIT, "a device (or the gateway, for reattest) carried out a SOC command"),
    COMMAND_FAILED(
            Severity.MEDIUM,
            Reach.AUDIT,
            "a device tried a SOC command and failed, or the gateway could not carry it out"),
    COMMAND_REJECTED(Severity.MEDIUM, Reach.AUDIT, "a device declined a SOC command"),
    COMMAND_RESULT(
            Severity.INFO,
            Reach.AUDIT,
            "a device's own answer to a SOC command (aurora/sensors/{id}/command_result), archived as it was sent"),
    // The gateway's own audit volume (audit.max_events_per_minute)
    AUDIT_SUPPRESSED(
            Severity.MEDIUM,
            Reach.AUDIT,
            "audit events were held back by the audit budget or per-device throttling; the count is in the event"),

    // Delivery
    OUTBOX_EVICTED(Severity.HIGH, Reach.AUDIT, "the outbox was full: the oldest telemetry was evicted before delivery"),
    OUTBOX_RETRY_DROPPED(
            Severity.HIGH,
            Reach.AUDIT,
            "gateway events lost after repeated outbox commit failures (retry buffer full or 10 attempts)"),
    SINK_STALLED(
            Severity.HIGH,
            Reach.AUDIT_AND_ALERT,
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
