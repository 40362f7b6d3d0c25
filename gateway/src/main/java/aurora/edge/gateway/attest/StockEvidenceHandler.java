package aurora.edge.gateway.attest;

import aurora.edge.attestation.Result;
import aurora.edge.attestation.endorsement.EndorsedDevice;
import aurora.edge.attestation.evidence.AuroraSocEvidence;
import aurora.edge.attestation.evidence.EvidenceVerifier;
import aurora.edge.attestation.evidence.HighWaterMarks;
import aurora.edge.attestation.evidence.Verdict;
import aurora.edge.gateway.audit.RejectionReporter;
import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.Device;
import aurora.edge.gateway.registry.DeviceRegistry;
import aurora.edge.gateway.registry.OpenChallenge;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evidence from a device that speaks the stock AuroraSOC protocol ({@code aurorasoc}). Its JSON
 * carries no request id, so an answer is matched to the device's challenge by its nonce. Evidence
 * whose nonce is no challenge of ours is a self-report (stock firmware reports every few minutes,
 * with no nonce or one it chose): verified and recorded the same way, and a failure quarantines,
 * but it can never make a device TRUSTED, since nothing shows it is fresh. A boot count below one
 * already verified is a replay ({@code TAMPERED / replayed}). Runs on the attestation thread only.
 */
final class StockEvidenceHandler {
    private static final Logger log = LoggerFactory.getLogger(StockEvidenceHandler.class);

    private final DeviceRegistry registry;
    private final TrustAnchors anchors;
    private final ChallengeIssuer issuer;
    private final Verdicts verdicts;
    private final RejectionReporter rejections;
    private final BiConsumer<OpenChallenge, Device> lateAnswer;
    private final Counter selfReportsVerified;
    private final Counter selfReportsFailed;
    private final Counter selfReportsRepeated;

    StockEvidenceHandler(
            DeviceRegistry registry,
            TrustAnchors anchors,
            ChallengeIssuer issuer,
            Verdicts verdicts,
            RejectionReporter rejections,
            BiConsumer<OpenChallenge, Device> lateAnswer,
            MeterRegistry meters) {
        this.registry = registry;
        this.anchors = anchors;
        this.issuer = issuer;
        this.verdicts = verdicts;
        this.rejections = rejections;
        this.lateAnswer = lateAnswer;
        String name = "aurora_attest_self_reports";
        String help = "unsolicited stock AuroraSOC attestation reports, by outcome";
        this.selfReportsVerified = Counter.builder(name)
                .description(help)
                .tag("result", "verified")
                .register(meters);
        this.selfReportsFailed =
                Counter.builder(name).description(help).tag("result", "failed").register(meters);
        this.selfReportsRepeated = Counter.builder(name)
                .description(help)
                .tag("result", "failed_again")
                .register(meters);
    }

    void handle(Device device, Optional<EndorsedDevice> endorsed, byte[] payload, Instant receivedAt) {
        String deviceId = device.deviceId();
        Result<AuroraSocEvidence> parsed = AuroraSocEvidence.parse(payload);
        if (parsed instanceof Result.Failed<AuroraSocEvidence> failed) {
            rejections.reject(
                    Rejection.EVIDENCE_MALFORMED,
                    deviceId,
                    "aurorasoc " + failed.problem().code());
            return;
        }
        if (endorsed.isEmpty() || !anchors.attestationEnabled()) {
            rejections.reject(Rejection.EVIDENCE_UNSOLICITED, deviceId, "device has no endorsed key");
            return;
        }
        AuroraSocEvidence evidence = parsed.orElseThrow();
        HighWaterMarks marks = new HighWaterMarks(device.securityCounterMark(), device.bootCountMark());
        Optional<OpenChallenge> asked = registry.challenges().stream()
                .filter(c -> c.deviceId().equals(deviceId) && EvidenceVerifier.answers(evidence, c.challenge()))
                .findFirst();
        if (asked.isEmpty()) {
            selfReport(device, endorsed.get(), marks, evidence);
            return;
        }
        OpenChallenge open = asked.get();
        if (open.expired()) {
            lateAnswer.accept(open, device);
            return;
        }
        Verdict verdict = anchors.verifier().verify(open.challenge(), endorsed.get(), marks, evidence, receivedAt);
        if (verdict instanceof Verdict.Trusted trusted) {
            verdicts.trusted(device, open, trusted);
        } else if (verdict instanceof Verdict.Expired) {
            issuer.expire(open);
            lateAnswer.accept(
                    registry.challenge(open.requestId()).orElse(open),
                    registry.find(deviceId).orElse(device));
        } else {
            verdicts.quarantine(
                    device,
                    open,
                    EvidenceHandler.stateOf(verdict.status()),
                    verdict.reason().code(),
                    verdict.detail());
        }
    }

    private void selfReport(Device device, EndorsedDevice endorsed, HighWaterMarks marks, AuroraSocEvidence evidence) {
        Verdict verdict = anchors.verifier().verifySelfReport(endorsed, marks, evidence);
        if (verdict instanceof Verdict.Trusted verified) {
            selfReportsVerified.increment();
            verdicts.selfReportVerified(device, verified, evidence.bootCount());
            return;
        }
        AttestationState state = EvidenceHandler.stateOf(verdict.status());
        String reason = verdict.reason().code();
        if (device.quarantined() && device.state() == state && reason.equals(device.reason())) {
            // Stock firmware repeats its report every few minutes: one quarantine and one alert, not one per report.
            selfReportsRepeated.increment();
            log.debug("self-report fails again device_id={} state={} reason={}", device.deviceId(), state, reason);
            return;
        }
        selfReportsFailed.increment();
        verdicts.quarantine(
                device,
                null,
                state,
                reason,
                "unsolicited self-report (boot_count " + evidence.bootCount() + "): " + verdict.detail());
    }
}
