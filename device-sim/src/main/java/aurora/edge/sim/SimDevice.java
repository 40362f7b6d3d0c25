package aurora.edge.sim;

import aurora.edge.attestation.EvidenceLayout;
import aurora.edge.attestation.Result;
import aurora.edge.attestation.evidence.Challenge;
import aurora.edge.attestation.evidence.Nonce;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated coin-cell device. Its duty cycle runs in simulated time: sleep → wake → sample → publish → poll
 * (commands wait for the next poll) → sleep, drawing charge from its {@link CoinCell} for each step; the network
 * side ({@link DeviceLink}: connect, subscribe, resend above the ack watermark, reconnect with backoff) is real.
 * A reboot (commanded, or a brown-out under the TX pulse) raises the boot count, restarts seq at 1 and loses the
 * RAM ring; an empty cell stops the device for good.
 *
 * <p>Threading: every method runs on the fleet's shared scheduler and is {@code synchronized} on the device, so
 * one device's steps never interleave while thousands of devices share two threads. Nothing here blocks.
 */
final class SimDevice extends DeviceLink {
    private static final Logger log = LoggerFactory.getLogger(SimDevice.class);

    /** Stock AuroraSOC firmware reports its attestation unsolicited this often (its nRF52840 firmware: 5 min). */
    static final long SELF_REPORT_NANOS = TimeUnit.MINUTES.toNanos(5);

    /** What every device of a fleet is configured with; times are simulated nanoseconds. */
    record Settings(
            long boot,
            double alertShare,
            int ringCapacity,
            long maxMessages,
            Backoff reconnect,
            long intervalNanos,
            long durationNanos,
            DeviceModel model,
            EvidenceLayout protocol) {
        /** Devices that speak our {@code aurora-v1} protocol. */
        Settings(
                long boot,
                double alertShare,
                int ringCapacity,
                long maxMessages,
                Backoff reconnect,
                long intervalNanos,
                long durationNanos,
                DeviceModel model) {
            this(
                    boot,
                    alertShare,
                    ringCapacity,
                    maxMessages,
                    reconnect,
                    intervalNanos,
                    durationNanos,
                    model,
                    EvidenceLayout.AURORA_V1);
        }

        boolean stock() {
            return protocol == EvidenceLayout.AURORASOC;
        }
    }

    /** What makes this device itself: index, board class, behaviour, cell capacity and phases. */
    record Profile(
            int index,
            String board,
            HostileRule rule,
            String victim,
            double capacityUc,
            long phaseNanos,
            long pollPhaseNanos) {
        Behaviour behaviour() {
            return rule == null ? Behaviour.HONEST : rule.behaviour();
        }

        static Profile honest(int index) {
            return new Profile(index, Firmware.boardOf(index), null, null, BatteryModel.usableMicroCoulombs(), 0, 0);
        }
    }

    private final Settings settings;
    private final Profile profile;
    private final Behaviour behaviour;
    private final Sensors sensors;
    private final CoinCell cell;
    private final Attester attester;
    private final String firmwareVersion;
    private final int topicBytes;
    private final long pollNanos;

    private long boot;
    private long seq;
    private long produced;
    private long wakes;
    private double alertCredit;
    private boolean producing = true;
    private boolean isolated;
    private boolean dead;
    private boolean lowBatteryAlerted;
    private int brownOuts;
    private long intervalNanos;
    private long nextWakeNanos;
    private long lastWakeNanos;
    private int lastPayloadBytes = 150;
    private PendingMessage last;
    private long nextSelfReportNanos;

    SimDevice(
            DeviceCredentials credentials,
            Settings settings,
            Profile profile,
            Environment env,
            SplittableRandom random,
            DeviceConnection.Factory connections) {
        super(credentials, settings.ringCapacity(), settings.reconnect(), env, connections, settings.stock());
        this.settings = settings;
        this.profile = profile;
        this.behaviour = profile.behaviour();
        this.boot = settings.boot();
        this.intervalNanos = settings.intervalNanos();
        this.nextWakeNanos = profile.phaseNanos();
        this.pollNanos = settings.model().pollInterval().toNanos();
        this.sensors = new Sensors(random);
        this.alertCredit = sensors.nextUnit(); // a per-device phase, so devices do not alert in lock-step
        this.cell = new CoinCell(
                profile.capacityUc(), settings.model().batteryStart(), pollNanos, profile.pollPhaseNanos(), random);
        this.attester = new Attester(
                id(),
                behaviour,
                env.firmware().running(profile.board(), behaviour),
                settings.protocol(),
                profile.board());
        this.nextSelfReportNanos = profile.phaseNanos();
        this.firmwareVersion = attester.firmware().version().toString();
        this.topicBytes = WireFormat.telemetryTopic(id()).length();
    }

    @Override
    synchronized long boot() {
        return boot;
    }

    synchronized long lastSeq() {
        return seq;
    }

    Behaviour behaviour() {
        return behaviour;
    }

    synchronized boolean isolated() {
        return isolated;
    }

    synchronized long intervalNanos() {
        return intervalNanos;
    }

    /** Requests the first connection and starts the duty cycle on the scheduler. */
    synchronized void startCycle() {
        start();
        scheduleNextWake();
    }

    private synchronized void wakeAndSleep() {
        wake();
        scheduleNextWake();
    }

    private void scheduleNextWake() {
        if (!producing || dead || isClosed()) {
            return;
        }
        try {
            env.scheduler()
                    .schedule(this::wakeAndSleep, env.clock().realDelayUntil(nextWakeNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            producing = false; // the fleet is shutting down
        }
    }

    /** One duty cycle at the next wake time: sleep up to now, sample, publish, and the hostile extras. */
    synchronized void wake() {
        if (!producing || dead || isClosed()) {
            return;
        }
        long t = nextWakeNanos;
        if (t >= settings.durationNanos()) {
            finishProducing();
            return;
        }
        nextWakeNanos += intervalNanos;
        lastWakeNanos = t;
        wakes++;
        cell.advanceTo(t);
        if (cell.empty()) {
            die();
            return;
        }
        if (cell.browsOutUnderLoad()) {
            brownOut();
            return;
        }
        if (!isolated) {
            int count = messagesPerWake();
            for (int i = 0; i < count && producing; i++) {
                produce(t);
            }
            injectHostile();
            selfReport(t);
        }
        if (behaviour == Behaviour.CONNECTION_STORM) {
            storm();
        }
    }

    private void produce(long t) {
        boolean skip = behaviour == Behaviour.SEQ_GAP && wakes % profile.rule().every() == 0;
        seq += skip ? 2 : 1;
        AlertKind alert = null;
        alertCredit += settings.alertShare();
        if (alertCredit >= 1) {
            alertCredit -= 1;
            alert = sensors.nextAlertKind();
        }
        Reading reading = sensors.sample(t, cell.openCircuitMv(), alert);
        if (alert == null) {
            alert = sensors.crossing();
        }
        if (alert == null && !lowBatteryAlerted && cell.loadedMv() < BatteryModel.LOW_BATTERY_MV) {
            alert = AlertKind.BATTERY_LOW;
        }
        if (alert == AlertKind.BATTERY_LOW) {
            lowBatteryAlerted = true;
        }
        long skew = behaviour == Behaviour.CLOCK_SKEW ? profile.rule().skew().toMillis() : 0;
        PendingMessage message = new PendingMessage(
                seq,
                reading,
                alert == null ? PendingMessage.TELEMETRY : (byte) alert.ordinal(),
                env.clock().epochMillis(t) + skew);
        lastPayloadBytes = render(message).length;
        cell.draw(settings.model().transport().messageChargeMicroCoulombs(lastPayloadBytes, topicBytes));
        produced++;
        counters.produced.increment();
        if (alert != null) {
            counters.alertsBySeverity[alert.ordinal()].increment();
        }
        last = message;
        queue(message);
        if (produced >= settings.maxMessages()) {
            finishProducing();
        }
    }

    /** Stock AuroraSOC firmware: an attestation report every {@link #SELF_REPORT_NANOS}, asked or not. */
    private void selfReport(long t) {
        if (!settings.stock() || t < nextSelfReportNanos || !isOnline()) {
            return;
        }
        nextSelfReportNanos = t + SELF_REPORT_NANOS;
        cell.draw(settings.model().transport().attestationChargeMicroCoulombs(topicBytes));
        publishAtLeastOnce(WireFormat.attestationTopic(id()), attester.selfReport(boot));
        log.debug("self-report sent device={} boot={}", id(), boot);
    }

    private void injectHostile() {
        if (behaviour == Behaviour.HONEST || wakes % profile.rule().every() != 0) {
            return;
        }
        Hostility.Injection injection = behaviour == Behaviour.REPLAYED_EVIDENCE
                ? new Hostility.Injection(WireFormat.attestationTopic(id()), attester.replay(boot))
                : Hostility.inject(behaviour, id(), profile.victim(), last, boot, firmwareVersion);
        if (injection != null) {
            counters.injected(behaviour); // counted when due, online or not, so the count is deterministic
            if (isOnline()) {
                // A hostile device pays the radio for what it injects, like any other message.
                cell.draw(settings.model()
                        .transport()
                        .messageChargeMicroCoulombs(
                                injection.payload().length, injection.topic().length()));
                // Only once subscribed and the ring is resent: a rewound seq must never reach the gateway before
                // the original, which the gateway would then take as already acknowledged (first sight of a boot).
                publishAtMostOnce(injection.topic(), injection.payload());
            }
        }
    }

    @Override
    byte[] render(PendingMessage message) {
        return WireFormat.render(message, boot, firmwareVersion, null, settings.stock() ? profile.board() : null);
    }

    @Override
    void onAttestationRequest(byte[] payload) {
        long at = nextPollAfter(env.clock().now());
        try {
            env.scheduler().schedule(() -> answerStock(payload), env.clock().realDelayUntil(at), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    /** Stock firmware answers {@code {"nonce":"<hex>","request_id","expires_in_s"}} on aurora/attestation/{id}/response. */
    private synchronized void answerStock(byte[] payload) {
        if (dead || isClosed()) {
            return;
        }
        Instant now = Instant.ofEpochMilli(env.clock().epochMillis(env.clock().now()));
        Result<Challenge> parsed = Challenge.parseAuroraSocRequest(payload, now);
        if (parsed instanceof Result.Failed<Challenge> failed) {
            counters.commandsRefused.increment();
            log.debug(
                    "attestation request refused device={} problem={}",
                    id(),
                    failed.problem().code());
            return;
        }
        cell.draw(settings.model().transport().attestationChargeMicroCoulombs(topicBytes));
        counters.attestationsAnswered.increment();
        publishAtLeastOnce(WireFormat.attestationResponseTopic(id()), attester.answer(parsed.orElseThrow(), boot));
        log.debug("attestation request answered device={} behaviour={}", id(), behaviour.wireName());
    }

    @Override
    void onCommand(byte[] payload) {
        long at = nextPollAfter(env.clock().now());
        try {
            env.scheduler()
                    .schedule(
                            () -> handleCommand(WireFormat.parseCommand(payload)),
                            env.clock().realDelayUntil(at),
                            TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private long nextPollAfter(long now) {
        long phase = profile.pollPhaseNanos();
        return phase + (Math.floorDiv(now - phase, pollNanos) + 1) * pollNanos;
    }

    private synchronized void handleCommand(DeviceCommand command) {
        if (dead || isClosed()) {
            return;
        }
        if (command instanceof DeviceCommand.Attest attest) {
            answer(attest);
        } else if (command instanceof DeviceCommand.SetInterval set) {
            intervalNanos = TimeUnit.SECONDS.toNanos(set.seconds());
            log.debug("command set_interval device={} interval_s={}", id(), set.seconds());
        } else if (command instanceof DeviceCommand.Reboot) {
            reboot("command");
        } else if (command instanceof DeviceCommand.Isolate isolate) {
            isolated = isolate.enabled();
            log.debug("command isolate device={} enabled={}", id(), isolated);
        } else {
            counters.commandsRefused.increment();
            log.debug("command refused device={} command={}", id(), command);
        }
    }

    private void answer(DeviceCommand.Attest attest) {
        Challenge challenge;
        try {
            challenge = new Challenge(
                    attest.requestId(),
                    Nonce.fromBase64Url(String.valueOf(attest.nonce())),
                    Instant.ofEpochMilli(env.clock().epochMillis(env.clock().now()))
                            .plusSeconds(attest.expiresInSeconds()));
        } catch (IllegalArgumentException e) {
            counters.commandsRefused.increment();
            log.debug("attest refused device={} problem={}", id(), e.getMessage());
            return;
        }
        cell.draw(settings.model().transport().attestationChargeMicroCoulombs(topicBytes));
        byte[] evidence = attester.answer(challenge, boot);
        counters.attestationsAnswered.increment();
        publishAtLeastOnce(WireFormat.attestationTopic(id()), evidence);
        log.debug(
                "attest answered device={} request_id={} behaviour={}", id(), attest.requestId(), behaviour.wireName());
    }

    private void brownOut() {
        counters.brownOuts.increment();
        if (brownOuts++ == 0) {
            counters.devicesBrownedOut.incrementAndGet();
        }
        log.debug("brown-out device={} loaded_mv={} depth={}", id(), cell.loadedMv(), cell.depth());
        reboot("brown_out");
    }

    /** Boot count + 1, seq from 1, RAM lost, connection re-established as after any reset. */
    private void reboot(String why) {
        counters.reboots.increment();
        boot++;
        seq = 0;
        last = null;
        isolated = false;
        lowBatteryAlerted = false;
        cell.draw(BatteryModel.BOOT_UC);
        counters.lostOnReboot.add(clearRing());
        log.debug("reboot device={} boot={} cause={}", id(), boot, why);
        resetConnection();
    }

    private void die() {
        dead = true;
        counters.devicesDead.incrementAndGet();
        counters.lostOnReboot.add(clearRing());
        log.debug("cell empty device={} ocv_mv={}", id(), cell.openCircuitMv());
        finishProducing();
        close();
    }

    private void finishProducing() {
        if (producing) {
            producing = false;
            env.onDoneProducing().run();
        }
    }

    /** Stops producing new messages; connecting, resending and acks go on. */
    synchronized void stopProducing() {
        producing = false;
    }

    private int messagesPerWake() {
        return behaviour == Behaviour.FLOOD ? profile.rule().factor() : 1;
    }

    /** What this device looks like now, for the report. */
    synchronized DeviceSnapshot snapshot() {
        double microAmps = BatteryModel.averageMicroAmps(
                settings.model().transport(),
                lastPayloadBytes,
                topicBytes,
                // a flooding device sends factor messages per wake: its duty cycle, not the fleet's
                Duration.ofNanos(Math.max(1, intervalNanos / messagesPerWake())),
                settings.model().pollInterval(),
                null);
        return new DeviceSnapshot(
                id(),
                behaviour,
                boot,
                produced,
                lastWakeNanos,
                cell.openCircuitMv(),
                cell.loadedMv(),
                cell.usedMicroCoulombs(),
                dead ? 0 : BatteryModel.lifeYears(cell.remainingMicroCoulombs(), microAmps),
                brownOuts,
                dead);
    }

    synchronized void forEachSentId(Consumer<String> action) {
        sentLog().forEachId(id(), action);
    }
}
