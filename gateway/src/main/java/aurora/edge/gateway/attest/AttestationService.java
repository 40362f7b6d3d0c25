package aurora.edge.gateway.attest;

import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.audit.AuditLog;
import aurora.edge.gateway.audit.GatewayAlerts;
import aurora.edge.gateway.audit.RejectionReporter;
import aurora.edge.gateway.command.CommandSender;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.device.RelayBindings;
import aurora.edge.gateway.outbox.Outbox;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.Device;
import aurora.edge.gateway.registry.DeviceRegistry;
import aurora.edge.gateway.registry.OpenChallenge;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attestation flow (ARCHITECTURE §5): registration, challenges on registration, boot or
 * firmware change, operator request, manifest change and every {@code attest.interval} (with
 * jitter); verification of answers; quarantine and release. Everything that changes the registry
 * runs on this service's one thread, so the flow needs no locks; callers on other threads (intake,
 * ops HTTP) only enqueue work.
 */
public final class AttestationService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AttestationService.class);
    private static final Duration SWEEP = Duration.ofMillis(500);
    private static final Duration LAST_SEEN_FLUSH = Duration.ofSeconds(10);
    /** Bounds the challenges one sweep sends, so a fleet coming due together is spread out (and the write lock stays free). */
    private static final int MAX_CHALLENGES_PER_SWEEP = 50;
    /** Expired challenges kept per device (the newest), so a late answer to one of them is recognised as late. */
    static final int EXPIRED_KEPT_PER_DEVICE = 3;
    /** Registrations, observations and answers waiting for the attestation thread; beyond this they are refused and counted. */
    static final int MAX_QUEUED_INTAKE_WORK = 10_000;

    private final DeviceRegistry registry;
    private final TrustAnchors anchors;
    private final Verdicts verdicts;
    private final ChallengeIssuer issuer;
    private final EvidenceHandler evidence;
    private final AuditLog audit;
    private final Clock clock;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "attestation"));
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    private final Duration interval;
    private final IntakeWork work;
    private final AnchorReloads anchorReloads;
    private final TrustFence fence = new TrustFence();
    private final Outbox outbox;
    private final HeldData heldData;
    private final Map<String, Observation> observations = new ConcurrentHashMap<>();
    private final Counter prunedChallenges;
    private final IocEnforcement iocs;
    private final Relays relays;
    private final RelayCommands relayCommands;
    private final SweepProgress manifestSweep;

    public AttestationService(
            GatewayConfig.Attest config,
            DeviceRegistry registry,
            GatewayAlerts alerts,
            AuditLog audit,
            RejectionReporter rejections,
            CommandSender devices,
            Outbox outbox,
            Clock clock,
            MeterRegistry meters,
            IocEnforcement.Policy iocPolicy,
            QuarantineHook onQuarantine) {
        this.registry = registry;
        this.audit = audit;
        this.clock = clock;
        this.interval = config.interval();
        this.work = new IntakeWork(thread, MAX_QUEUED_INTAKE_WORK, meters);
        this.prunedChallenges = Counter.builder("aurora_attest_challenges_pruned")
                .description(
                        "expired challenges deleted (beyond the newest few per device, or older than attest.interval)")
                .register(meters);
        this.anchors = new TrustAnchors(config, registry, clock);
        this.outbox = outbox;
        this.relays = new Relays(anchors, registry);
        this.heldData = new HeldData(outbox, config.holds(), meters, relays, registry, fence);
        this.relayCommands = new RelayCommands(registry, relays, audit, heldData, fence, clock);
        this.verdicts = new Verdicts(
                registry,
                audit,
                alerts,
                clock,
                config.interval(),
                config.intervalJitter(),
                meters,
                fence,
                heldData,
                onQuarantine);
        this.issuer = new ChallengeIssuer(config, registry, anchors, verdicts, devices, clock, meters);
        this.manifestSweep = new SweepProgress(clock);
        anchors.manifest().ifPresent(m -> manifestSweep.inForce(m.sequence()));
        this.anchorReloads = new AnchorReloads(anchors, registry, verdicts, issuer, audit, manifestSweep);
        this.evidence = new EvidenceHandler(registry, anchors, issuer, verdicts, rejections, audit, meters);
        this.iocs = new IocEnforcement(iocPolicy, registry, anchors, verdicts, issuer, audit, alerts, clock, thread);
        Gauge.builder("aurora_devices_quarantined", registry, DeviceRegistry::quarantinedCount)
                .description("devices whose data is held, not forwarded as trusted")
                .register(meters);
        warnAboutPolicy(config);
    }

    /** A gate for intake that admits messages according to {@code policy}. */
    public DeviceGate gate(GatewayConfig.Attest config) {
        return new DeviceGate(config.policy(), config.holds(), registry, anchors, this, fence, relays, clock);
    }

    /** The relay bindings in force (endorsement list and operator bindings), answered from memory. */
    public RelayBindings relays() {
        return relays;
    }

    /**
     * The manifest in force and how far the sweep of its latest replacement has come; safe from any
     * thread (an immutable snapshot the attestation thread publishes).
     */
    public ManifestStatus manifestStatus() {
        return manifestSweep.snapshot();
    }

    /** Starts the periodic sweep (expiries, due attestations, manifest replacement) and the last-seen flush. */
    public void start() {
        thread.execute(guarded("reconcile-held", this::reconcileHeld));
        thread.scheduleWithFixedDelay(guarded("sweep", this::sweep), 0, SWEEP.toMillis(), TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(
                guarded("last-seen", this::flushLastSeen),
                LAST_SEEN_FLUSH.toMillis(),
                LAST_SEEN_FLUSH.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    // ---- called from intake (any thread): only enqueue ----

    /** False when the attestation queue is full: the caller gives up the registration and refuses the message. */
    boolean registered(Device device, String policy) {
        return work.offer("register", guarded("register", () -> {
            registry.save(device);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("uuid", device.uuid());
            details.put("device_type", String.valueOf(device.deviceType()));
            details.put("board", String.valueOf(device.board()));
            details.put("firmware_version", String.valueOf(device.firmwareVersion()));
            details.put("policy", policy);
            details.put("endorsed", device.endorsed());
            details.put("trust", device.trust().wireName());
            audit.record(
                    AuditCode.DEVICE_REGISTERED,
                    device.deviceId(),
                    "new device registered, attestation PENDING",
                    details);
            log.info(
                    "device registered device_id={} uuid={} board={} endorsed={} approved={}",
                    device.deviceId(),
                    device.uuid(),
                    device.board(),
                    device.endorsed(),
                    device.approved());
            // Asked here, on the thread that applies IOCs, not only at the gate: an IOC applied between the
            // gate's check and this task would otherwise miss the device it names.
            registry.compromisingIoc(device.deviceId()).ifPresent(iocId -> verdicts.compromised(device, iocId));
            issuer.issue(device, "registered");
        }));
    }

    /**
     * A message reports another firmware or boot than the registry holds. Observations of one device
     * are coalesced (the newest wins) so a device cannot queue more than one task.
     */
    void observed(String deviceId, @Nullable String firmwareVersion, long boot) {
        if (observations.put(deviceId, new Observation(firmwareVersion, boot)) == null
                && !work.offer("observe", guarded("observe", () -> observe(deviceId)))) {
            observations.remove(deviceId);
        }
    }

    private record Observation(@Nullable String firmwareVersion, long boot) {}

    private void observe(String deviceId) {
        Observation o = observations.remove(deviceId);
        if (o == null) {
            return;
        }
        String firmwareVersion = o.firmwareVersion();
        long boot = o.boot();
        registry.find(deviceId).ifPresent(d -> {
            String fw = firmwareVersion == null ? d.firmwareVersion() : firmwareVersion;
            long b = boot < 0 ? d.reportedBoot() : boot;
            boolean bootChanged = b != d.reportedBoot() && d.reportedBoot() >= 0;
            boolean fwChanged = fw != null && !fw.equals(d.firmwareVersion()) && d.firmwareVersion() != null;
            if (fw != null && fw.equals(d.firmwareVersion()) && b == d.reportedBoot()) {
                verdicts.confirmed(d);
                return;
            }
            Device updated = d.withReported(fw, b);
            String trigger = fwChanged ? "firmware_changed" : "boot_changed";
            boolean reattest =
                    (bootChanged || fwChanged) && issuer.notAttestable(updated).isEmpty();
            if (reattest && updated.state() == AttestationState.TRUSTED) {
                // After a reset or an update the running image may differ: its data is not trusted until it attests
                // again.
                updated = updated.withState(AttestationState.PENDING, trigger, updated.quarantined(), clock.instant());
            }
            // Still TRUSTED (nothing to re-attest): the message that reported the change was held by the gate, and is
            // released now.
            verdicts.saved(updated);
            if (reattest) {
                issuer.deviceChanged(updated, trigger);
            }
        });
    }

    void seen(String deviceId, Instant at) {
        seen.merge(deviceId, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** When the device was last heard from: a message not yet saved to the registry, or the registry's time. */
    public Instant lastSeen(Device device) {
        Instant pending = seen.get(device.deviceId());
        return pending != null && pending.isAfter(device.lastSeen()) ? pending : device.lastSeen();
    }

    /** Hands an answer from the attestation channel over; {@code deviceId} is the authenticated one. */
    void evidence(String deviceId, byte[] payload, Instant receivedAt) {
        work.offer("evidence", guarded("evidence", () -> evidence.handle(deviceId, payload, receivedAt)));
    }

    // ---- operator commands (ops HTTP) ----

    /** @param operator who asked (from the ops port), recorded in the audit event */
    public CompletableFuture<OperatorResult> approve(String deviceId, String operator) {
        return operator(deviceId, d -> {
            if (d.approved()) {
                return new OperatorResult.NoChange(d, "already approved");
            }
            Device after = verdicts.operator(
                    d.withApproved(true),
                    "APPROVED",
                    AuditCode.DEVICE_APPROVED,
                    "operator approved the device",
                    operator);
            boolean challenged = issuer.issue(after, "approved");
            return new OperatorResult.Done(
                    registry.find(d.deviceId()).orElse(after),
                    challenged
                            ? "approved; challenge sent"
                            : "approved; " + issuer.notAttestable(after).orElse("not challenged"));
        });
    }

    public CompletableFuture<OperatorResult> quarantine(String deviceId, String operator) {
        return operator(deviceId, d -> {
            if (d.quarantined()) {
                return new OperatorResult.NoChange(d, "already quarantined (" + d.reason() + ")");
            }
            Device after = verdicts.operator(
                    d.withState(d.state(), Verdicts.OPERATOR_QUARANTINE, true, clock.instant()),
                    "QUARANTINED",
                    AuditCode.DEVICE_QUARANTINED_BY_OPERATOR,
                    "operator quarantined the device; only an operator release lifts it",
                    operator);
            return new OperatorResult.Done(after, "quarantined");
        });
    }

    public CompletableFuture<OperatorResult> release(String deviceId, String operator) {
        return operator(deviceId, d -> {
            if (!d.quarantined()) {
                return new OperatorResult.NoChange(d, "not quarantined");
            }
            // A failed verdict is not forgotten by a release: the device is PENDING until it attests again, now.
            AttestationState state = d.state().quarantines() ? AttestationState.PENDING : d.state();
            Device after = verdicts.operator(
                    d.withState(state, "operator_release", false, clock.instant()),
                    "RELEASED",
                    AuditCode.DEVICE_RELEASED,
                    "operator released the device from quarantine",
                    operator);
            boolean challenged = issuer.issue(after, "released");
            return new OperatorResult.Done(
                    registry.find(d.deviceId()).orElse(after),
                    challenged
                            ? "released; challenge sent"
                            : "released; " + issuer.notAttestable(after).orElse("not challenged"));
        });
    }

    public CompletableFuture<OperatorResult> attest(String deviceId, String operator) {
        return operator(deviceId, d -> {
            var why = issuer.notAttestable(d);
            if (why.isPresent()) {
                return new OperatorResult.Refused(d, why.get());
            }
            issuer.issue(d, "operator");
            audit.record(
                    AuditCode.ATTESTATION_REQUESTED,
                    d.deviceId(),
                    "operator asked for a fresh attestation",
                    Map.of("operator", operator));
            return new OperatorResult.Done(registry.find(d.deviceId()).orElse(d), "challenge sent");
        });
    }

    /** Binds {@code childId} to relay {@code relayId} ({@code devices bind}); audited with {@code operator}. */
    public CompletableFuture<BindingOutcome> bind(String childId, String relayId, String operator) {
        return CompletableFuture.supplyAsync(() -> relayCommands.bind(childId, relayId, operator), thread);
    }

    /** Removes the operator binding of {@code childId} ({@code devices unbind}); audited with {@code operator}. */
    public CompletableFuture<BindingOutcome> unbind(String childId, String operator) {
        return CompletableFuture.supplyAsync(() -> relayCommands.unbind(childId, operator), thread);
    }

    /**
     * A challenge asked for by the SOC (audited with {@code requestedBy} as the operator): completes
     * empty when it went out, else with the reason it could not.
     */
    public CompletableFuture<Optional<String>> challenge(String deviceId, String requestedBy) {
        return attest(deviceId, requestedBy).thenApply(r -> {
            if (r instanceof OperatorResult.Done) {
                return Optional.empty();
            }
            if (r instanceof OperatorResult.Refused refused) {
                return Optional.of(refused.message());
            }
            return Optional.of(r instanceof OperatorResult.NoChange same ? same.message() : "device not registered");
        });
    }

    private CompletableFuture<OperatorResult> operator(
            String deviceId, java.util.function.Function<Device, OperatorResult> action) {
        return CompletableFuture.supplyAsync(
                () -> registry.find(deviceId).map(action).orElseGet(() -> new OperatorResult.NotFound(deviceId)),
                thread);
    }

    // ---- federation indicators ----

    /** The life of federation indicators on this gateway; their work runs on this service's thread. */
    public IocEnforcement iocs() {
        return iocs;
    }

    // ---- the attestation thread's own work ----

    private void sweep() {
        Instant now = clock.instant();
        for (OpenChallenge c : registry.challenges()) {
            if (!c.expired() && c.challenge().isExpired(now)) {
                issuer.expire(c);
            }
        }
        // Expired challenges are kept only so a late answer is told from a forged one: a few per device, for one
        // interval.
        int pruned = registry.pruneExpired(now.minus(interval), EXPIRED_KEPT_PER_DEVICE);
        if (pruned > 0) {
            prunedChallenges.increment(pruned);
        }
        int sent = 0;
        for (Device d : registry.dueForAttestation(now)) {
            if (sent >= MAX_CHALLENGES_PER_SWEEP) {
                break;
            }
            if (registry.openChallengeOf(d.deviceId()).isEmpty()) {
                if (issuer.issue(d, d.unanswered() > 0 ? "retry" : "periodic")) {
                    sent++;
                } else {
                    registry.save(d.withSchedule(null, d.unanswered()));
                }
            }
        }
        iocs.sweep();
        anchorReloads.check();
    }

    /**
     * At start: held data whose decision was lost (the gateway stopped between the verdict, saved in
     * the registry, and the decision, saved in the outbox) is decided by the device's state now.
     */
    private void reconcileHeld() {
        for (String deviceId : outbox.devicesWithHeldData()) {
            fence.locked(
                    deviceId,
                    () -> registry.find(deviceId).ifPresentOrElse(heldData::decided, () -> heldData.unknown(deviceId)));
        }
    }

    private void flushLastSeen() {
        if (seen.isEmpty()) {
            return;
        }
        Map<String, Instant> batch = new HashMap<>(seen);
        registry.saveLastSeen(batch);
        // Only what was saved leaves the map, and only after the registry holds it: a newer time that arrived
        // meanwhile stays, and lastSeen() never sees a device older than it was.
        batch.forEach(seen::remove);
    }

    private static Runnable guarded(String what, Runnable work) {
        return () -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                log.error("attestation task failed task={} error={}", what, e.toString(), e);
            }
        };
    }

    private static void warnAboutPolicy(GatewayConfig.Attest config) {
        switch (config.policy()) {
            case OPEN -> {
                log.warn(
                        "!!! devices.registration_policy=open: ANY device with valid credentials registers and its data is forwarded. "
                                + "Lab use only; never in production. !!!");
            }
            case ENDORSED -> {
                if (config.endorsements() == null) {
                    log.warn(
                            "devices.registration_policy=endorsed but attest.endorsements is empty: no new device can register");
                }
            }
            case APPROVE -> log.info("devices.registration_policy=approve: new devices wait for 'devices approve ID'");
        }
        if (!config.enabled()) {
            log.warn("attest.manifest is empty: attestation is off, devices stay PENDING and no firmware is verified");
        }
    }

    /** Stops the thread; the last-seen times still in memory are saved first. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            flushLastSeen();
        } catch (RuntimeException e) {
            log.warn("saving last-seen times failed error={}", e.toString());
        }
    }
}
