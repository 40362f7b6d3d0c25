package aurora.edge.gateway.attest;

import aurora.edge.attestation.Sha256;
import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.audit.AuditLog;
import aurora.edge.gateway.audit.GatewayAlerts;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.Device;
import aurora.edge.gateway.registry.DeviceRegistry;
import aurora.edge.gateway.registry.FederationIoc;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a federation indicator on this gateway, on the attestation thread (which owns every
 * registry change). An indicator is applied (hash refused, devices quarantined) unless it would
 * quarantine more of the fleet than {@code maxFleetShare} allows: then it raises a critical alert
 * and waits for {@link #confirm} by an operator. A revoked indicator, or one past its
 * {@code valid_until}, is withdrawn: what it alone held is released and re-attested. Withdrawn
 * indicators are remembered for {@code retention} (a redelivered copy is not applied again), and at
 * most {@code maxIocs} are kept at all.
 */
public final class IocEnforcement {
    private static final Logger log = LoggerFactory.getLogger(IocEnforcement.class);
    static final String IOC_HASH_REVOKED = "ioc_hash_revoked";
    static final String IOC_WITHDRAWN = "ioc_withdrawn";
    private static final Duration TABLE_FULL_AUDIT_EVERY = Duration.ofMinutes(1);

    /**
     * @param maxFleetShare share of the registered fleet one indicator may quarantine unconfirmed; at least one
     *                      device unless it is 0 (then every indicator that would quarantine a device waits)
     */
    public record Policy(double maxFleetShare, int maxIocs, Duration retention) {
        public Policy {
            if (!(maxFleetShare >= 0 && maxFleetShare <= 1)) {
                throw new IllegalArgumentException("maxFleetShare must be in [0, 1], found " + maxFleetShare);
            }
            if (maxIocs < 1) {
                throw new IllegalArgumentException("maxIocs must be >= 1, found " + maxIocs);
            }
            if (retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("retention must be > 0, found " + retention);
            }
        }

        /** How many devices one indicator may quarantine in a fleet of {@code fleet} without a confirmation. */
        int allowed(int fleet) {
            return maxFleetShare == 0 ? 0 : Math.max(1, (int) Math.floor(maxFleetShare * fleet));
        }
    }

    /** What taking an indicator did. */
    public enum Outcome {
        APPLIED,
        /** Known already (in any state): nothing changed. */
        REPLAY,
        AWAITING_CONFIRMATION,
        WITHDRAWN,
        /** Its {@code valid_until} had passed on arrival: not applied. */
        EXPIRED,
        /** {@code maxIocs} indicators are kept and none can be forgotten: refused. */
        TABLE_FULL
    }

    /** The outcome of an operator's confirmation. */
    public sealed interface Confirmation {
        record Confirmed(FederationIoc ioc, int devicesQuarantined) implements Confirmation {}

        record NotAwaiting(FederationIoc ioc) implements Confirmation {}

        record NotFound(String iocId) implements Confirmation {}
    }

    private final Policy policy;
    private final DeviceRegistry registry;
    private final TrustAnchors anchors;
    private final Verdicts verdicts;
    private final ChallengeIssuer issuer;
    private final AuditLog audit;
    private final GatewayAlerts alerts;
    private final Clock clock;
    private final Executor thread;
    private Instant tableFullAudited = Instant.EPOCH;

    IocEnforcement(
            Policy policy,
            DeviceRegistry registry,
            TrustAnchors anchors,
            Verdicts verdicts,
            ChallengeIssuer issuer,
            AuditLog audit,
            GatewayAlerts alerts,
            Clock clock,
            Executor thread) {
        this.policy = policy;
        this.registry = registry;
        this.anchors = anchors;
        this.verdicts = verdicts;
        this.issuer = issuer;
        this.audit = audit;
        this.alerts = alerts;
        this.clock = clock;
        this.thread = thread;
    }

    /** Takes an indicator the federation shares (not revoked). */
    public CompletableFuture<Outcome> apply(
            String iocId, FederationIoc.Kind kind, String value, @Nullable Instant validUntil) {
        return CompletableFuture.supplyAsync(() -> applyNow(iocId, kind, value, validUntil), thread);
    }

    /** The federation revoked an indicator: what it alone held is released. */
    public CompletableFuture<Outcome> withdraw(String iocId, FederationIoc.Kind kind, String value) {
        return CompletableFuture.supplyAsync(() -> withdrawNow(iocId, kind, value), thread);
    }

    /** An operator confirms an indicator that waits: it is applied now, to every device it names. */
    public CompletableFuture<Confirmation> confirm(String iocId, String operator) {
        return CompletableFuture.supplyAsync(
                () -> {
                    var known = registry.ioc(iocId);
                    if (known.isEmpty()) {
                        return new Confirmation.NotFound(iocId);
                    }
                    if (known.get().state() != FederationIoc.State.AWAITING_CONFIRMATION) {
                        return new Confirmation.NotAwaiting(known.get());
                    }
                    FederationIoc ioc = known.get();
                    int quarantined = enforce(ioc);
                    FederationIoc active = ioc.withState(FederationIoc.State.ACTIVE, clock.instant(), null);
                    registry.saveIoc(active);
                    Map<String, Object> details = details(active);
                    details.put("operator", operator);
                    details.put("devices_quarantined", quarantined);
                    audit.record(
                            AuditCode.IOC_CONFIRMED,
                            null,
                            "operator confirmed a federation indicator that waited",
                            details);
                    log.warn(
                            "ioc confirmed by operator ioc_id={} operator={} devices_quarantined={}",
                            iocId,
                            operator,
                            quarantined);
                    return new Confirmation.Confirmed(active, quarantined);
                },
                thread);
    }

    /** Every indicator kept (read from memory; any thread). */
    public List<FederationIoc> list() {
        return registry.iocs();
    }

    // ---- on the attestation thread ----

    private Outcome applyNow(String iocId, FederationIoc.Kind kind, String value, @Nullable Instant validUntil) {
        if (registry.ioc(iocId).isPresent()) {
            return Outcome.REPLAY;
        }
        Instant now = clock.instant();
        if (validUntil != null && !now.isBefore(validUntil)) {
            log.info("ioc already expired on arrival, not applied ioc_id={} valid_until={}", iocId, validUntil);
            return Outcome.EXPIRED;
        }
        if (!roomForOne(now)) {
            return Outcome.TABLE_FULL;
        }
        FederationIoc ioc =
                new FederationIoc(iocId, kind, value, FederationIoc.State.ACTIVE, validUntil, now, now, null);
        int wouldQuarantine = affected(ioc).size();
        int fleet = registry.size();
        int allowed = policy.allowed(fleet);
        if (wouldQuarantine > allowed) {
            FederationIoc waiting = ioc.withState(FederationIoc.State.AWAITING_CONFIRMATION, now, null);
            registry.saveIoc(waiting);
            Map<String, Object> details = details(waiting);
            details.put("devices_affected", wouldQuarantine);
            details.put("fleet", fleet);
            details.put("allowed_without_confirmation", allowed);
            String title = "federation indicator would quarantine " + wouldQuarantine + " of " + fleet
                    + " devices: held until an operator confirms it (iocs confirm " + iocId + ")";
            audit.record(AuditCode.IOC_AWAITS_CONFIRMATION, null, title, details);
            alerts.raise(AuditCode.IOC_AWAITS_CONFIRMATION, null, title, details);
            log.warn(
                    "ioc awaits confirmation ioc_id={} kind={} devices_affected={} fleet={} allowed={}",
                    iocId,
                    kind,
                    wouldQuarantine,
                    fleet,
                    allowed);
            return Outcome.AWAITING_CONFIRMATION;
        }
        enforce(ioc);
        // Saved last: if the gateway dies before this, the redelivered indicator applies again (each step is
        // idempotent).
        registry.saveIoc(ioc);
        return Outcome.APPLIED;
    }

    /** The devices applying {@code ioc} would newly quarantine. */
    private List<Device> affected(FederationIoc ioc) {
        List<Device> out = new ArrayList<>();
        if (ioc.kind() == FederationIoc.Kind.FIRMWARE_HASH) {
            for (Device d : registry.all()) {
                if (d.state() == AttestationState.TRUSTED && ioc.value().equals(d.attestedHash())) {
                    out.add(d);
                }
            }
        } else {
            registry.find(ioc.value()).filter(d -> !d.quarantined()).ifPresent(out::add);
        }
        return out;
    }

    /** Applies the indicator to the trust state and the registry; returns how many devices it quarantined. */
    private int enforce(FederationIoc ioc) {
        if (ioc.kind() == FederationIoc.Kind.FIRMWARE_HASH) {
            Sha256 hash = Sha256.fromHex(ioc.value());
            anchors.revokeByIoc(hash);
            int quarantined = 0;
            for (Device d : affected(ioc)) {
                verdicts.quarantine(
                        d,
                        null,
                        AttestationState.REVOKED,
                        IOC_HASH_REVOKED,
                        "federation indicator " + ioc.iocId() + " revokes image " + hash.hex());
                quarantined++;
            }
            Map<String, Object> details = details(ioc);
            details.put("image_hash", hash.hex());
            details.put("devices_quarantined", quarantined);
            audit.record(
                    AuditCode.FIRMWARE_REVOKED_BY_IOC, null, "federation indicator revokes a firmware image", details);
            log.warn(
                    "firmware revoked by federation IOC ioc_id={} image_hash={} devices_quarantined={}",
                    ioc.iocId(),
                    hash.hex(),
                    quarantined);
            return quarantined;
        }
        var known = registry.find(ioc.value());
        known.filter(d -> !(d.quarantined() && Verdicts.IOC_QUARANTINE.equals(d.reason())))
                .ifPresent(d -> verdicts.compromised(d, ioc.iocId()));
        if (known.isEmpty()) {
            audit.record(
                    AuditCode.DEVICE_NAMED_BY_IOC,
                    ioc.value(),
                    "federation indicator names a device not registered here; "
                            + "it is quarantined if it ever connects",
                    Map.of("ioc_id", ioc.iocId()));
        }
        return known.isPresent() ? 1 : 0;
    }

    private Outcome withdrawNow(String iocId, FederationIoc.Kind kind, String value) {
        Instant now = clock.instant();
        var known = registry.ioc(iocId);
        if (known.isEmpty()) {
            // Remembered, so that the original, should it be redelivered after its revocation, is not applied.
            if (!roomForOne(now)) {
                return Outcome.TABLE_FULL;
            }
            FederationIoc tombstone = new FederationIoc(
                    iocId, kind, value, FederationIoc.State.WITHDRAWN, null, now, now, now.plus(policy.retention()));
            registry.saveIoc(tombstone);
            auditWithdrawal(tombstone, "revoked", 0, AuditCode.IOC_WITHDRAWN);
            return Outcome.WITHDRAWN;
        }
        if (known.get().state() == FederationIoc.State.WITHDRAWN) {
            return Outcome.REPLAY;
        }
        end(known.get(), "revoked", AuditCode.IOC_WITHDRAWN, now);
        return Outcome.WITHDRAWN;
    }

    /** Withdraws an indicator and releases what it alone held. */
    private void end(FederationIoc ioc, String why, AuditCode code, Instant now) {
        boolean wasActive = ioc.active();
        FederationIoc withdrawn = ioc.withState(FederationIoc.State.WITHDRAWN, now, now.plus(policy.retention()));
        registry.saveIoc(withdrawn);
        int released = wasActive ? release(withdrawn) : 0;
        auditWithdrawal(withdrawn, why, released, code);
    }

    private int release(FederationIoc ioc) {
        int released = 0;
        if (ioc.kind() == FederationIoc.Kind.FIRMWARE_HASH) {
            anchors.refreshIocRevocations();
            if (registry.revokedHashes().contains(ioc.value())) {
                return 0; // another active indicator still revokes this image
            }
            for (Device d : registry.all()) {
                if (!d.quarantined() || d.state() != AttestationState.REVOKED || Verdicts.heldUntilOperator(d)) {
                    continue;
                }
                if (IOC_HASH_REVOKED.equals(d.reason()) && ioc.value().equals(d.attestedHash())) {
                    releaseOne(d, d.withState(AttestationState.PENDING, IOC_WITHDRAWN, false, clock.instant()), ioc);
                    released++;
                } else {
                    // REVOKED for another reason, perhaps by this image's revocation at its last answer: its next
                    // answer decides now.
                    issuer.issue(d, IOC_WITHDRAWN);
                }
            }
            return released;
        }
        if (registry.namedCompromised(ioc.value())) {
            return 0; // another active indicator still names this device
        }
        var device =
                registry.find(ioc.value()).filter(d -> d.quarantined() && Verdicts.IOC_QUARANTINE.equals(d.reason()));
        if (device.isEmpty()) {
            return 0;
        }
        Device d = device.get();
        // A failed verdict of its own keeps the device quarantined, but no longer until an operator: its next
        // attestation decides.
        releaseOne(d, d.withState(d.state(), IOC_WITHDRAWN, d.state().quarantines(), clock.instant()), ioc);
        return d.state().quarantines() ? 0 : 1;
    }

    private void releaseOne(Device before, Device after, FederationIoc ioc) {
        verdicts.iocWithdrawn(before, after, ioc.iocId());
        issuer.issue(after, IOC_WITHDRAWN);
    }

    private void auditWithdrawal(FederationIoc ioc, String why, int released, AuditCode code) {
        Map<String, Object> details = details(ioc);
        details.put("why", why);
        details.put("devices_released", released);
        audit.record(
                code,
                null,
                "federation indicator " + ("expired".equals(why) ? "expired" : "withdrawn")
                        + ": what it alone held is released",
                details);
        log.warn("ioc withdrawn ioc_id={} why={} devices_released={}", ioc.iocId(), why, released);
    }

    /** Expires indicators past their {@code valid_until} and forgets withdrawn ones past their retention. */
    void sweep() {
        Instant now = clock.instant();
        List<String> forget = new ArrayList<>();
        for (FederationIoc ioc : registry.iocs()) {
            if (ioc.state() == FederationIoc.State.WITHDRAWN) {
                if (!now.isBefore(ioc.forgetAt())) {
                    forget.add(ioc.iocId());
                }
            } else if (ioc.expiredAt(now)) {
                end(ioc, "expired", AuditCode.IOC_EXPIRED, now);
            }
        }
        registry.forgetIocs(forget);
    }

    /**
     * Whether one more indicator may be kept; makes room by forgetting the oldest withdrawn ones
     * first. Active and waiting indicators are never dropped to make room: a full table refuses.
     */
    private boolean roomForOne(Instant now) {
        int excess = registry.iocCount() - policy.maxIocs() + 1;
        if (excess <= 0) {
            return true;
        }
        List<String> oldest = registry.iocs().stream()
                .filter(i -> i.state() == FederationIoc.State.WITHDRAWN)
                .sorted(Comparator.comparing(FederationIoc::changedAt))
                .limit(excess)
                .map(FederationIoc::iocId)
                .toList();
        registry.forgetIocs(oldest);
        if (oldest.size() >= excess) {
            return true;
        }
        if (!now.isBefore(tableFullAudited.plus(TABLE_FULL_AUDIT_EVERY))) {
            tableFullAudited = now;
            Map<String, Object> details = Map.of("kept", registry.iocCount(), "max_iocs", policy.maxIocs());
            String title = "federation indicator table full (federation.max_iocs): new indicators are refused";
            audit.record(AuditCode.IOC_TABLE_FULL, null, title, details);
            alerts.raise(AuditCode.IOC_TABLE_FULL, null, title, details);
        }
        log.warn("ioc refused, table full kept={} max_iocs={}", registry.iocCount(), policy.maxIocs());
        return false;
    }

    private static Map<String, Object> details(FederationIoc ioc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ioc_id", ioc.iocId());
        m.put("kind", ioc.kind().name());
        m.put("value", ioc.value());
        if (ioc.validUntil() != null) {
            m.put("valid_until", ioc.validUntil().toString());
        }
        return m;
    }
}
