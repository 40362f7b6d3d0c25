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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends challenges and handles their expiry: the challenge is stored (replacing the device's open
 * one) before it is published, so an answer always finds it; an unanswered one is retried with
 * exponential backoff and jitter, and after {@code attest.max_attempts} the device is STALE.
 * Runs on the attestation thread only.
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

    ChallengeIssuer(GatewayConfig.Attest config, DeviceRegistry registry, TrustAnchors anchors, Verdicts verdicts,
                    CommandSender devices, Clock clock, MeterRegistry meters) {
        this.config = config;
        this.registry = registry;
        this.anchors = anchors;
        this.verdicts = verdicts;
        this.devices = devices;
        this.clock = clock;
        this.sent = Counter.builder("aurora_attest_challenges_sent").description("attestation challenges published").register(meters);
        this.expired = Counter.builder("aurora_attest_challenges_expired").description("challenges that expired unanswered").register(meters);
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
        registry.open(new OpenChallenge(d.deviceId(), challenge, now, trigger, false), d.withSchedule(null, d.unanswered()));
        EvidenceLayout protocol = DeviceProtocol.of(anchors.endorsed(d.deviceId()), d);
        boolean published = DeviceProtocol.send(devices, protocol, d.deviceId(), challenge, now);
        sent.increment();
        // A failed publish is not retried here: the challenge expires and the backoff sends a new one.
        log.info("challenge sent device_id={} request_id={} trigger={} protocol={} expires_at={} published={}",
                d.deviceId(), challenge.requestId(), trigger, protocol.json(), challenge.expiresAt(), published);
        return true;
    }

    /** The challenge's time is up: retry after a backoff, or after the last attempt mark the device STALE. */
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
            registry.expire(c, d.withSchedule(null, 0));
            verdicts.quarantine(registry.find(c.deviceId()).orElseThrow(), null, AttestationState.STALE, "no_answer",
                    attempts + " challenge(s) expired unanswered, the last (" + c.requestId() + ") at " + c.challenge().expiresAt());
            return;
        }
        Instant retryAt = now.plus(backoff(attempts));
        registry.expire(c, d.withSchedule(retryAt, attempts));
        log.info("challenge expired unanswered device_id={} request_id={} attempt={} of={} retry_at={}",
                d.deviceId(), c.requestId(), attempts, config.maxAttempts(), retryAt);
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
