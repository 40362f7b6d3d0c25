package aurora.edge.gateway.attest;

import aurora.edge.attestation.EvidenceLayout;
import aurora.edge.attestation.evidence.Challenge;
import aurora.edge.gateway.command.CommandSender;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.Device;
import aurora.edge.gateway.registry.DeviceRegistry;
import aurora.edge.gateway.registry.OpenChallenge;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends challenges and handles their expiry: the challenge is stored (replacing the device's open
 * one) before it is published, so an answer always finds it; an unanswered one is retried with
 * exponential backoff and jitter, and after {@code attest.max_attempts} the device is UNRESPONSIVE.
 * A device cannot dodge that count by changing {@code boot} or {@code fw}: a challenge superseded
 * by such a change counts as unanswered, and such changes get at most one challenge per
 * {@code attest.retry_backoff_min}. Runs on the attestation thread only.
 */
final class ChallengeIssuer {
    private static final Logger log = LoggerFactory.getLogger(ChallengeIssuer.class);

    private final GatewayConfig.Attest config;
    private final DeviceRegistry registry;
    private final TrustAnchors anchors;
    private final Verdicts verdicts;
    private final CommandSender devices;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Counter sent;
    private final Counter expired;
    private final Counter superseded;
    private final Counter deferred;
    /** When each device was last challenged; bounded by the registry (one entry per device). */
    private final Map<String, Instant> lastIssued = new HashMap<>();

    ChallengeIssuer(
            GatewayConfig.Attest config,
            DeviceRegistry registry,
            TrustAnchors anchors,
            Verdicts verdicts,
            CommandSender devices,
            Clock clock,
            MeterRegistry meters) {
        this.config = config;
        this.registry = registry;
        this.anchors = anchors;
        this.verdicts = verdicts;
        this.devices = devices;
        this.clock = clock;
        this.sent = Counter.builder("aurora_attest_challenges_sent")
                .description("attestation challenges published")
                .register(meters);
        this.expired = Counter.builder("aurora_attest_challenges_expired")
                .description("challenges that expired unanswered")
                .register(meters);
        this.superseded = Counter.builder("aurora_attest_challenges_superseded")
                .description("open challenges replaced after a boot or firmware change, counted as unanswered")
                .register(meters);
        this.deferred = Counter.builder("aurora_attest_challenges_deferred")
                .description("boot or firmware changes not challenged at once: the device was challenged less than "
                        + "attest.retry_backoff_min ago")
                .register(meters);
        for (OpenChallenge c : registry.challenges()) {
            lastIssued.merge(c.deviceId(), c.issuedAt(), (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    /** Why a device cannot be challenged, or empty if it can. */
    Optional<String> notAttestable(Device d) {
        if (!anchors.attestationEnabled()) {
            return Optional.of("attestation is not configured (attest.manifest is empty)");
        }
        if (!d.approved()) {
            return Optional.of("device waits for an operator's approval");
        }
        if (!d.endorsed() || anchors.endorsed(d.deviceId()).isEmpty()) {
            return Optional.of("device is not on the endorsement list, so there is no key to verify it with");
        }
        return Optional.empty();
    }

    /** Sends a fresh challenge; returns false (and logs why) when the device cannot be attested. */
    boolean issue(Device d, String trigger) {
        Optional<String> why = notAttestable(d);
        if (why.isPresent()) {
            log.info("not challenging device_id={} trigger={} why={}", d.deviceId(), trigger, why.get());
            return false;
        }
        Instant now = clock.instant();
        Challenge challenge = Challenge.issue(UUID.randomUUID().toString(), random, now, config.challengeTtl());
        registry.open(
                new OpenChallenge(d.deviceId(), challenge, now, trigger, false), d.withSchedule(null, d.unanswered()));
        lastIssued.put(d.deviceId(), now);
        EvidenceLayout protocol = DeviceProtocol.of(anchors.endorsed(d.deviceId()), d);
        boolean published = DeviceProtocol.send(devices, protocol, d.deviceId(), challenge, now);
        sent.increment();
        // A failed publish is not retried here: the challenge expires and the backoff sends a new one.
        log.info(
                "challenge sent device_id={} request_id={} trigger={} protocol={} expires_at={} published={}",
                d.deviceId(),
                challenge.requestId(),
                trigger,
                protocol.json(),
                challenge.expiresAt(),
                published);
        return true;
    }

    /**
     * The device reported another boot or firmware (it is saved as {@code d}, attestable): challenge
     * it again, unless it was challenged less than {@code retry_backoff_min} ago. Then an open
     * challenge stands (the device may answer it after its reboot) or, without one, the challenge
     * is scheduled for when the backoff allows. An open challenge that a new one replaces counts as
     * unanswered, so alternating {@code boot} leads to UNRESPONSIVE like silence does.
     */
    void deviceChanged(Device d, String trigger) {
        Instant now = clock.instant();
        Instant allowedAt = Optional.ofNullable(lastIssued.get(d.deviceId()))
                .map(t -> t.plus(config.retryBackoffMin()))
                .orElse(now);
        Optional<OpenChallenge> open = registry.openChallengeOf(d.deviceId());
        if (now.isBefore(allowedAt)) {
            deferred.increment();
            if (open.isEmpty() && (d.nextAttestAt() == null || d.nextAttestAt().isAfter(allowedAt))) {
                registry.save(d.withSchedule(allowedAt, d.unanswered()));
            }
            log.debug(
                    "challenge deferred device_id={} trigger={} allowed_at={} open={}",
                    d.deviceId(),
                    trigger,
                    allowedAt,
                    open.isPresent());
            return;
        }
        Device next = d;
        if (open.isPresent()) {
            superseded.increment();
            int attempts = d.unanswered() + 1;
            if (attempts >= config.maxAttempts()) {
                giveUp(open.get(), d, attempts, "superseded");
                return;
            }
            next = d.withSchedule(null, attempts);
            log.info(
                    "open challenge superseded, counted unanswered device_id={} request_id={} trigger={} attempt={} of={}",
                    d.deviceId(),
                    open.get().requestId(),
                    trigger,
                    attempts,
                    config.maxAttempts());
        }
        issue(next, trigger);
    }

    /** The challenge's time is up: retry after a backoff, or after the last attempt mark the device UNRESPONSIVE. */
    void expire(OpenChallenge c) {
        Optional<Device> found = registry.find(c.deviceId());
        if (found.isEmpty()) {
            return;
        }
        Device d = found.get();
        expired.increment();
        int attempts = d.unanswered() + 1;
        Instant now = clock.instant();
        if (attempts >= config.maxAttempts()) {
            giveUp(c, d, attempts, "expired");
            return;
        }
        Instant retryAt = now.plus(backoff(attempts));
        registry.expire(c, d.withSchedule(retryAt, attempts));
        log.info(
                "challenge expired unanswered device_id={} request_id={} attempt={} of={} retry_at={}",
                d.deviceId(),
                c.requestId(),
                attempts,
                config.maxAttempts(),
                retryAt);
    }

    /**
     * The last attempt went unanswered: the device is UNRESPONSIVE. A device that is UNRESPONSIVE already is not
     * quarantined (nor alerted on) again; it is asked again at its next periodic attestation.
     */
    private void giveUp(OpenChallenge c, Device d, int attempts, String how) {
        Instant now = clock.instant();
        if (d.quarantined() && d.state() == AttestationState.UNRESPONSIVE) {
            registry.expire(c, d.withSchedule(verdicts.nextPeriodic(now), 0));
            log.info(
                    "still no answer from a UNRESPONSIVE device device_id={} request_id={} how={}",
                    d.deviceId(),
                    c.requestId(),
                    how);
            return;
        }
        registry.expire(c, d.withSchedule(null, 0));
        verdicts.quarantine(
                registry.find(c.deviceId()).orElseThrow(),
                null,
                AttestationState.UNRESPONSIVE,
                "no_answer",
                attempts + " challenge(s) unanswered, the last (" + c.requestId() + ") " + how + " at "
                        + (how.equals("expired") ? c.challenge().expiresAt() : now));
    }

    /** Exponential from {@code retry_backoff_min}, capped at {@code retry_backoff_max}, with up to 20 % jitter. */
    Duration backoff(int attempt) {
        long min = config.retryBackoffMin().toMillis();
        long max = config.retryBackoffMax().toMillis();
        long base = min << Math.min(attempt - 1, 20);
        long capped = base <= 0 || base > max ? max : base;
        return Duration.ofMillis(capped + ThreadLocalRandom.current().nextLong(capped / 5 + 1));
    }
}
