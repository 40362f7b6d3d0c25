package aurora.edge.gateway.attest;

import aurora.edge.attestation.evidence.Verdict;
import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.audit.AuditLog;
import aurora.edge.gateway.audit.GatewayAlerts;
import aurora.edge.gateway.device.Correlation;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.Device;
import aurora.edge.gateway.registry.DeviceRegistry;
import aurora.edge.gateway.registry.OpenChallenge;
import aurora.edge.gateway.registry.VerdictRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies outcomes to a device: persists the new state (with the challenge consumed, when there is
 * one, in the same transaction), then writes exactly one audit event, and for a quarantining
 * outcome one critical CPS alert. Runs on the attestation thread only.
 */
final class Verdicts {
    private static final Logger log = LoggerFactory.getLogger(Verdicts.class);
    /** An operator's quarantine is lifted only by an operator, never by a passing attestation. */
    static final String OPERATOR_QUARANTINE = "operator_quarantine";
    /**
     * A federation IOC named the device compromised: also lifted only by an operator (stolen keys or
     * a compromised host attest as well as honest ones).
     */
    static final String IOC_QUARANTINE = "ioc_compromised";

    private final DeviceRegistry registry;
    private final AuditLog audit;
    private final GatewayAlerts alerts;
    private final Clock clock;
    private final Duration interval;
    private final Duration jitter;
    private final Map<AttestationState, Counter> counted = new java.util.EnumMap<>(AttestationState.class);
    private final TrustFence fence;
    private final HeldData held;
    private final QuarantineHook onQuarantine;

    Verdicts(
            DeviceRegistry registry,
            AuditLog audit,
            GatewayAlerts alerts,
            Clock clock,
            Duration interval,
            Duration jitter,
            MeterRegistry meters,
            TrustFence fence,
            HeldData held,
            QuarantineHook onQuarantine) {
        this.registry = registry;
        this.onQuarantine = onQuarantine;
        this.fence = fence;
        this.held = held;
        this.audit = audit;
        this.alerts = alerts;
        this.clock = clock;
        this.interval = interval;
        this.jitter = jitter;
        for (AttestationState s : AttestationState.values()) {
            counted.put(
                    s,
                    Counter.builder("aurora_attest_verdicts")
                            .description("attestation outcomes, by resulting state")
                            .tag("state", s.name())
                            .register(meters));
        }
    }

    /** When the next periodic attestation is due: the interval, moved by up to ± jitter so a fleet does not answer in a herd. */
    Instant nextPeriodic(Instant now) {
        long j = jitter.toMillis();
        long shift = j == 0 ? 0 : ThreadLocalRandom.current().nextLong(-j, j + 1);
        return now.plus(interval).plusMillis(shift);
    }

    void trusted(Device before, OpenChallenge challenge, Verdict.Trusted verdict) {
        Instant now = clock.instant();
        boolean operatorHold = heldUntilOperator(before);
        Device after = before.withAttested(
                        verdict.marks().securityCounter(),
                        verdict.marks().bootCount(),
                        verdict.image().hash().hex(),
                        verdict.image().version().toString(),
                        challenge.requestId(),
                        now)
                .withState(AttestationState.TRUSTED, operatorHold ? before.reason() : "ok", operatorHold, now)
                .withSchedule(nextPeriodic(now), 0);
        VerdictRecord record = new VerdictRecord(
                before.deviceId(), challenge.requestId(), AttestationState.TRUSTED.name(), "ok", verdict.detail(), now);
        if (!consume(challenge, after, record)) {
            return;
        }
        Objects.requireNonNull(counted.get(AttestationState.TRUSTED)).increment();
        boolean released = before.quarantined() && !operatorHold;
        Map<String, Object> details = details(after, challenge.requestId(), "ok", verdict.detail());
        details.put("image_hash", verdict.image().hash().hex());
        details.put("version", verdict.image().version().toString());
        details.put("security_counter", verdict.image().securityCounter());
        details.put("released", released);
        audit.record(
                released ? AuditCode.DEVICE_RELEASED : AuditCode.ATTESTATION_TRUSTED,
                before.deviceId(),
                released ? "device passed re-attestation and left quarantine" : "device attested: firmware trusted",
                details);
        log.info(
                "attestation verdict device_id={} request_id={} state=TRUSTED released={} next_attest_at={}",
                before.deviceId(),
                challenge.requestId(),
                released,
                after.nextAttestAt());
    }

    /**
     * A stock AuroraSOC self-report verified. It is no TRUSTED verdict (nothing shows it is fresh),
     * but its boot count and the image's security counter raise the device's marks, so an older
     * report played again is recognised. Saved and audited once per rise, not every report.
     */
    void selfReportVerified(Device before, Verdict.Trusted verdict, long bootCount) {
        long securityCounter = verdict.marks().securityCounter();
        long boot = verdict.marks().bootCount();
        if (boot <= before.bootCountMark() && securityCounter <= before.securityCounterMark()) {
            return;
        }
        registry.save(before.withMarks(securityCounter, boot));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("result", "VERIFIED");
        details.put("boot_count", bootCount);
        details.put("image_hash", verdict.image().hash().hex());
        details.put("state", before.state().name());
        details.put("trust", before.trust().wireName());
        audit.record(
                AuditCode.ATTESTATION_SELF_REPORT,
                before.deviceId(),
                "device self-report verified (no gateway nonce: it does not make the device TRUSTED)",
                details);
        log.info(
                "self-report verified device_id={} boot_count={} state={}",
                before.deviceId(),
                bootCount,
                before.state());
    }

    /**
     * A quarantining outcome. {@code challenge} is consumed with it when the outcome answers one;
     * null for outcomes without an answer (UNRESPONSIVE, a manifest revocation).
     */
    void quarantine(
            Device before, @Nullable OpenChallenge challenge, AttestationState state, String reason, String detail) {
        Instant now = clock.instant();
        String requestId = challenge == null ? null : challenge.requestId();
        // A hold only an operator lifts stays the reason, so a later passing attestation cannot release the device.
        Device after = before.withState(state, heldUntilOperator(before) ? before.reason() : reason, true, now)
                .withSchedule(nextPeriodic(now), 0);
        if (requestId != null) {
            after = after.withAnswerConsumed(requestId);
        }
        VerdictRecord record = new VerdictRecord(before.deviceId(), requestId, state.name(), reason, detail, now);
        if (challenge != null) {
            if (!consume(challenge, after, record)) {
                return;
            }
        } else {
            record(after, record);
        }
        Objects.requireNonNull(counted.get(state)).increment();
        Map<String, Object> details = details(after, requestId, reason, detail);
        details.put("previous_state", before.state().name());
        String title = "device quarantined: attestation " + state + " (" + reason + ")";
        audit.record(AuditCode.DEVICE_QUARANTINED, before.deviceId(), title, details);
        alerts.raise(AuditCode.DEVICE_QUARANTINED, before.deviceId(), title, details, correlationOf(state));
        log.warn(
                "device quarantined device_id={} state={} reason={} request_id={}",
                before.deviceId(),
                state,
                reason,
                requestId);
        onQuarantine.quarantined(before.deviceId(), reason);
    }

    /**
     * How AuroraSOC should file a quarantine: firmware the manifest does not vouch for (unknown,
     * revoked, rolled back) is a {@code FIRMWARE_MISMATCH}, and like forged evidence it is
     * pre-OS/firmware tampering, MITRE T1542 (Pre-OS Boot) and, for ICS, T0857 (System Firmware).
     * A device that stopped answering is a {@code COMMUNICATION_ANOMALY} without a technique.
     */
    static Correlation correlationOf(AttestationState state) {
        List<String> firmware = List.of("T1542", "T0857");
        return switch (state) {
            case UNKNOWN_FIRMWARE, REVOKED, DOWNGRADE -> new Correlation(Correlation.FIRMWARE_MISMATCH, firmware);
            case TAMPERED -> new Correlation(null, firmware);
            case UNRESPONSIVE -> new Correlation(Correlation.COMMUNICATION_ANOMALY, List.of());
            case PENDING, TRUSTED -> Correlation.NONE;
        };
    }

    /**
     * Stores the device's new state and queues the decision about its held data, as one step for
     * intake (see {@link TrustFence}); false, with nothing changed, if the challenge was consumed already.
     */
    private boolean consume(OpenChallenge challenge, Device after, VerdictRecord record) {
        return fence.locked(after.deviceId(), () -> {
            boolean consumed = registry.consume(challenge, after, record);
            if (consumed) {
                held.decided(after);
            }
            return consumed;
        });
    }

    private void record(Device after, VerdictRecord record) {
        fence.locked(after.deviceId(), () -> {
            registry.record(after, record);
            held.decided(after);
        });
    }

    /** A change that is no verdict (a boot or firmware report): a device still TRUSTED after it gets its held data released. */
    void saved(Device after) {
        fence.locked(after.deviceId(), () -> {
            registry.save(after);
            held.decided(after);
        });
    }

    /** Nothing changed, but the device is as trusted as it is: decides what the gate held meanwhile. */
    void confirmed(Device device) {
        fence.locked(device.deviceId(), () -> held.decided(device));
    }

    /** Whether only an operator may lift this device's quarantine. */
    static boolean heldUntilOperator(Device d) {
        return d.quarantined() && (OPERATOR_QUARANTINE.equals(d.reason()) || IOC_QUARANTINE.equals(d.reason()));
    }

    /**
     * A federation IOC names the device compromised: quarantined (its attestation state is kept),
     * with one audit event and one critical alert, until an operator releases it.
     */
    void compromised(Device before, String iocId) {
        Instant now = clock.instant();
        Device after = before.withState(before.state(), IOC_QUARANTINE, true, now);
        String detail = "federation indicator " + iocId + " names the device compromised";
        record(after, new VerdictRecord(before.deviceId(), null, "QUARANTINED", IOC_QUARANTINE, detail, now));
        Map<String, Object> details = details(after, null, IOC_QUARANTINE, detail);
        details.put("ioc_id", iocId);
        details.put("previous_state", before.state().name());
        details.put("was_quarantined", before.quarantined());
        String title = "device quarantined: named compromised by a federation IOC";
        audit.record(AuditCode.DEVICE_QUARANTINED_BY_IOC, before.deviceId(), title, details);
        // The federation says the device is compromised, not how: no technique or correlation type is claimed.
        alerts.raise(AuditCode.DEVICE_QUARANTINED, before.deviceId(), title, details, Correlation.NONE);
        onQuarantine.quarantined(before.deviceId(), IOC_QUARANTINE);
        log.warn(
                "device quarantined by federation IOC device_id={} ioc_id={} previous_state={}",
                before.deviceId(),
                iocId,
                before.state());
    }

    /**
     * A withdrawn federation indicator no longer holds the device: persisted with a history line and
     * audited once ({@code DEVICE_RELEASED} when it leaves quarantine; {@code IOC_HOLD_LIFTED} when a
     * failed verdict of its own still holds it, now until its next attestation rather than an operator).
     */
    void iocWithdrawn(Device before, Device after, String iocId) {
        Instant now = clock.instant();
        String detail = "federation indicator " + iocId + " was withdrawn";
        record(
                after,
                new VerdictRecord(
                        after.deviceId(),
                        null,
                        after.quarantined() ? "HOLD_LIFTED" : "RELEASED",
                        IocEnforcement.IOC_WITHDRAWN,
                        detail,
                        now));
        Map<String, Object> details = details(after, null, IocEnforcement.IOC_WITHDRAWN, detail);
        details.put("ioc_id", iocId);
        details.put("previous_state", before.state().name());
        AuditCode code = after.quarantined() ? AuditCode.IOC_HOLD_LIFTED : AuditCode.DEVICE_RELEASED;
        audit.record(
                code,
                after.deviceId(),
                after.quarantined()
                        ? "federation indicator withdrawn; the device stays quarantined by its own verdict until it attests"
                        : "device released: the federation indicator that held it was withdrawn",
                details);
        log.warn(
                "ioc hold lifted device_id={} ioc_id={} state={} quarantined={}",
                after.deviceId(),
                iocId,
                after.state(),
                after.quarantined());
    }

    /** An operator action: persisted with a history line and audited once, naming the operator. */
    Device operator(Device after, String action, AuditCode code, String title, String operator) {
        Instant now = clock.instant();
        record(
                after,
                new VerdictRecord(after.deviceId(), null, action, "operator", title + " (" + operator + ")", now));
        Map<String, Object> details = details(after, null, "operator", title);
        details.put("operator", operator);
        audit.record(code, after.deviceId(), title, details);
        log.warn(
                "operator action device_id={} action={} state={} quarantined={}",
                after.deviceId(),
                action,
                after.state(),
                after.quarantined());
        return after;
    }

    private static Map<String, Object> details(Device d, @Nullable String requestId, String reason, String detail) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", d.state().name());
        m.put("reason", reason);
        m.put("detail", detail);
        m.put("quarantined", d.quarantined());
        m.put("trust", d.trust().wireName());
        if (requestId != null) {
            m.put("request_id", requestId);
        }
        return m;
    }
}
