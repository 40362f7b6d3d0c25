package aurora.edge.gateway.attest;

import aurora.edge.attestation.Sha256;
import aurora.edge.attestation.endorsement.EndorsementList;
import aurora.edge.attestation.manifest.Manifest;
import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.audit.AuditLog;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.Device;
import aurora.edge.gateway.registry.DeviceRegistry;
import java.util.Map;

/**
 * What a replaced trust anchor means for the registered devices: a newer manifest quarantines the
 * devices on images it revokes and re-attests those it no longer lists; a newer endorsement list
 * revokes the devices it no longer lists. Runs on the attestation thread, once per sweep.
 */
final class AnchorReloads {
    /** The quarantine reason of a device a newer endorsement list no longer lists. */
    static final String NOT_ENDORSED = "not_endorsed";

    private final TrustAnchors anchors;
    private final DeviceRegistry registry;
    private final Verdicts verdicts;
    private final ChallengeIssuer issuer;
    private final AuditLog audit;
    private final SweepProgress progress;

    AnchorReloads(
            TrustAnchors anchors,
            DeviceRegistry registry,
            Verdicts verdicts,
            ChallengeIssuer issuer,
            AuditLog audit,
            SweepProgress progress) {
        this.anchors = anchors;
        this.progress = progress;
        this.registry = registry;
        this.verdicts = verdicts;
        this.issuer = issuer;
        this.audit = audit;
    }

    /** Picks up a replaced endorsement list, then a replaced manifest, and applies them to the devices. */
    void check() {
        anchors.reloadEndorsementsIfChanged().ifPresent(this::endorsementsReplaced);
        TrustAnchors.Reload reload = anchors.reloadIfChanged();
        if (reload instanceof TrustAnchors.Reload.Replaced replaced) {
            reevaluate(replaced.oldSequence(), replaced.manifest());
        } else if (reload instanceof TrustAnchors.Reload.Refused refused) {
            progress.refused(refused.problem(), refused.detail());
            // Audited, not only logged: a manifest on the box that is unsigned, rolled back or re-sequenced is
            // a tamper signal for the SOC, and the operator who replaced it learns that the old one is still in force.
            audit.record(
                    AuditCode.MANIFEST_REFUSED,
                    null,
                    "firmware manifest replacement refused, the current manifest stays",
                    Map.of(
                            "problem",
                            refused.problem(),
                            "detail",
                            refused.detail(),
                            "current_sequence",
                            anchors.manifest().map(Manifest::sequence).orElse(-1L)));
        }
        progress.refresh(this::standing);
    }

    /**
     * A newer manifest: devices whose attested image it revokes, or puts below its board's minimum
     * security counter, are quarantined at once (their answer would be REVOKED; a device that was
     * updated comes back through its boot or firmware change); devices whose image it no longer
     * lists, or that it may now know, are re-attested.
     */
    private void reevaluate(long oldSequence, Manifest manifest) {
        audit.record(
                AuditCode.MANIFEST_REPLACED,
                null,
                "firmware manifest replaced",
                Map.of("old_sequence", oldSequence, "new_sequence", manifest.sequence()));
        var devices = registry.all();
        progress.started(oldSequence, manifest.sequence(), devices.size());
        for (Device d : devices) {
            progress(d, judge(d, manifest));
        }
    }

    private enum Outcome {
        UNCHANGED,
        QUARANTINED,
        REATTESTING
    }

    private void progress(Device d, Outcome outcome) {
        switch (outcome) {
            case UNCHANGED -> progress.unchanged();
            case QUARANTINED -> progress.quarantined();
            case REATTESTING -> progress.reattesting(d.deviceId());
        }
    }

    /**
     * A device challenged by the sweep is settled once it has no open challenge and no retry pending:
     * its answer got a verdict, or every retry went unanswered (UNRESPONSIVE).
     */
    private SweepProgress.Standing standing(String deviceId) {
        var found = registry.find(deviceId);
        if (found.isEmpty()) {
            return SweepProgress.Standing.ANSWERED; // deleted meanwhile: nothing left to wait for
        }
        Device d = found.get();
        if (registry.openChallengeOf(deviceId).isPresent() || d.unanswered() > 0) {
            return SweepProgress.Standing.OUTSTANDING;
        }
        return d.state() == AttestationState.UNRESPONSIVE
                ? SweepProgress.Standing.UNRESPONSIVE
                : SweepProgress.Standing.ANSWERED;
    }

    /** One device against the new manifest: quarantined at once, challenged again, or left as it is. */
    private Outcome judge(Device d, Manifest manifest) {
        String hash = d.attestedHash();
        String boardName = d.board();
        if (d.state() == AttestationState.TRUSTED && hash != null && boardName != null) {
            Sha256 attested = Sha256.fromHex(hash);
            var board = manifest.board(boardName);
            var image = board.flatMap(b -> b.image(attested));
            if (image.isPresent() && image.get().isRevoked()) {
                verdicts.quarantine(
                        d,
                        null,
                        AttestationState.REVOKED,
                        "hash_revoked",
                        "manifest " + manifest.sequence() + " revokes image " + d.attestedHash()
                                + (image.get().reason().isEmpty()
                                        ? ""
                                        : ": " + image.get().reason()));
                return Outcome.QUARANTINED;
            } else if (image.isPresent()
                    && image.get().securityCounter() < board.get().minSecurityCounter()) {
                // Raising a board's minimum security counter revokes the images below it (the verifier answers
                // REVOKED for them), so devices trusted on one are quarantined now, as for an explicit revocation,
                // not only at their next periodic attestation.
                verdicts.quarantine(
                        d,
                        null,
                        AttestationState.REVOKED,
                        "below_minimum_security_counter",
                        "manifest "
                                + manifest.sequence() + " raises the minimum security counter of board " + d.board()
                                + " to "
                                + board.get().minSecurityCounter() + "; image " + d.attestedHash() + " has "
                                + image.get().securityCounter());
                return Outcome.QUARANTINED;
            } else if (image.isEmpty()) {
                return issuer.issue(d, "manifest_changed") ? Outcome.REATTESTING : Outcome.UNCHANGED;
            }
        } else if (d.state() == AttestationState.UNKNOWN_FIRMWARE) {
            return issuer.issue(d, "manifest_changed") ? Outcome.REATTESTING : Outcome.UNCHANGED;
        }
        return Outcome.UNCHANGED;
    }

    /**
     * A newer endorsement list: removing a device from it revokes the device. Each registered device
     * that had an endorsed key and is no longer listed is quarantined REVOKED ({@code not_endorsed},
     * one critical alert, one audit event); without a key it can never attest again, so only an
     * operator or a later list that endorses it again lets it out (then it is challenged at once).
     */
    private void endorsementsReplaced(EndorsementList list) {
        int revoked = 0;
        for (Device d : registry.all()) {
            if (!d.endorsed()) {
                continue;
            }
            boolean listed = list.device(d.deviceId()).isPresent();
            boolean alreadyRevoked =
                    d.quarantined() && (NOT_ENDORSED.equals(d.reason()) || Verdicts.heldUntilOperator(d));
            if (!listed && !alreadyRevoked) {
                verdicts.quarantine(
                        d,
                        null,
                        AttestationState.REVOKED,
                        NOT_ENDORSED,
                        "endorsement list " + list.sequence() + " no longer lists the device: its key is revoked");
                revoked++;
            } else if (listed && d.quarantined() && NOT_ENDORSED.equals(d.reason())) {
                issuer.issue(d, "endorsed_again");
            }
        }
        audit.record(
                AuditCode.ENDORSEMENTS_REPLACED,
                null,
                "device endorsement list replaced",
                Map.of("new_sequence", list.sequence(), "endorsed_devices", list.size(), "devices_revoked", revoked));
    }
}
