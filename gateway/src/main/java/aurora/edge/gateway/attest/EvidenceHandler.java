package aurora.edge.gateway.attest;

import aurora.edge.attestation.EvidenceLayout;
import aurora.edge.attestation.Result;
import aurora.edge.attestation.endorsement.EndorsedDevice;
import aurora.edge.attestation.evidence.Evidence;
import aurora.edge.attestation.evidence.HighWaterMarks;
import aurora.edge.attestation.evidence.Verdict;
import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.audit.AuditLog;
import aurora.edge.gateway.audit.RejectionReporter;
import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.Device;
import aurora.edge.gateway.registry.DeviceRegistry;
import aurora.edge.gateway.registry.OpenChallenge;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks one answer (ARCHITECTURE §5, reference §6.5): the device id comes from the authenticated
 * topic, never from the payload; the answer is matched to a stored challenge, verified with the
 * attestation library against the endorsed key, the manifest and the device's high-water marks,
 * and the challenge is consumed in the same transaction as the verdict. Devices that speak the
 * stock AuroraSOC protocol go to {@link StockEvidenceHandler}. Runs on the attestation thread only.
 */
final class EvidenceHandler {
    private static final Logger log = LoggerFactory.getLogger(EvidenceHandler.class);

    private final DeviceRegistry registry;
    private final TrustAnchors anchors;
    private final ChallengeIssuer issuer;
    private final Verdicts verdicts;
    private final RejectionReporter rejections;
    private final AuditLog audit;
    private final StockEvidenceHandler stock;
    private final Counter duplicates;
    private final Counter late;

    EvidenceHandler(
            DeviceRegistry registry,
            TrustAnchors anchors,
            ChallengeIssuer issuer,
            Verdicts verdicts,
            RejectionReporter rejections,
            AuditLog audit,
            MeterRegistry meters) {
        this.registry = registry;
        this.anchors = anchors;
        this.issuer = issuer;
        this.verdicts = verdicts;
        this.rejections = rejections;
        this.audit = audit;
        this.duplicates = Counter.builder("aurora_attest_duplicate_answers")
                .description("answers to an already consumed challenge (QoS 1 duplicates), ignored")
                .register(meters);
        this.late = Counter.builder("aurora_attest_late_answers")
                .description("answers after their challenge expired")
                .register(meters);
        this.stock =
                new StockEvidenceHandler(registry, anchors, issuer, verdicts, rejections, this::lateAnswer, meters);
    }

    void handle(String deviceId, byte[] payload, Instant receivedAt) {
        Optional<Device> found = registry.find(deviceId);
        if (found.isEmpty()) {
            return;
        }
        Device device = found.get();
        Optional<EndorsedDevice> endorsedNow = anchors.endorsed(deviceId);
        if (DeviceProtocol.of(endorsedNow, device) == EvidenceLayout.AURORASOC) {
            stock.handle(device, endorsedNow, payload, receivedAt);
            return;
        }
        Result<Evidence> parsed = Evidence.parse(payload);
        if (parsed instanceof Result.Failed<Evidence> failed) {
            rejections.reject(
                    Rejection.EVIDENCE_MALFORMED, deviceId, failed.problem().code());
            return;
        }
        Evidence evidence = parsed.orElseThrow();
        if (evidence.requestId().equals(device.lastRequestId())) {
            // A QoS 1 redelivery (or a replay) of the answer already consumed: it changes nothing.
            duplicates.increment();
            log.debug("duplicate answer ignored device_id={} request_id={}", deviceId, evidence.requestId());
            return;
        }
        Optional<OpenChallenge> asked = registry.challenge(evidence.requestId())
                .filter(c -> c.deviceId().equals(deviceId));
        if (asked.isPresent() && asked.get().expired()) {
            lateAnswer(asked.get(), device);
            return;
        }
        OpenChallenge open = asked.or(() -> registry.openChallengeOf(deviceId)).orElse(null);
        if (open == null) {
            rejections.reject(Rejection.EVIDENCE_UNSOLICITED, deviceId, "request_id=" + evidence.requestId());
            return;
        }
        Optional<EndorsedDevice> endorsed = anchors.endorsed(deviceId);
        if (endorsed.isEmpty() || !anchors.attestationEnabled()) {
            rejections.reject(Rejection.EVIDENCE_UNSOLICITED, deviceId, "device has no endorsed key any more");
            return;
        }
        HighWaterMarks marks = new HighWaterMarks(device.securityCounterMark(), device.bootCountMark());
        Verdict verdict = anchors.verifier().verify(open.challenge(), endorsed.get(), marks, evidence, receivedAt);
        if (verdict instanceof Verdict.Trusted trusted) {
            verdicts.trusted(device, open, trusted);
        } else if (verdict instanceof Verdict.Expired) {
            // Arrived after the expiry but before the sweep noticed: counts as no answer, never as a bad one.
            issuer.expire(open);
            lateAnswer(
                    registry.challenge(open.requestId()).orElse(open),
                    registry.find(deviceId).orElse(device));
        } else {
            verdicts.quarantine(
                    device, open, stateOf(verdict.status()), verdict.reason().code(), verdict.detail());
        }
    }

    static AttestationState stateOf(Verdict.Status status) {
        return switch (status) {
            case TRUSTED -> AttestationState.TRUSTED;
            case UNKNOWN_FIRMWARE -> AttestationState.UNKNOWN_FIRMWARE;
            case TAMPERED -> AttestationState.TAMPERED;
            case REVOKED -> AttestationState.REVOKED;
            case DOWNGRADE -> AttestationState.DOWNGRADE;
            case EXPIRED -> AttestationState.UNRESPONSIVE;
        };
    }

    /** A late answer says nothing about integrity: consumed without a verdict, audited low. */
    private void lateAnswer(OpenChallenge challenge, Device device) {
        if (registry.consume(challenge, device, null)) {
            late.increment();
            audit.record(
                    AuditCode.ATTESTATION_LATE_ANSWER,
                    device.deviceId(),
                    "attestation answer arrived after its challenge expired",
                    Map.of(
                            "request_id",
                            challenge.requestId(),
                            "expired_at",
                            challenge.challenge().expiresAt().toString()));
        }
    }
}
