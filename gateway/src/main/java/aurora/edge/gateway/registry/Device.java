package aurora.edge.gateway.registry;

import aurora.edge.attestation.DeviceId;
import aurora.edge.gateway.device.Trust;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One registered device, immutable; the registry replaces the whole record on every change.
 *
 * @param reportedBoot      the boot count the device last put in a message, -1 if it never did
 * @param securityCounterMark high-water mark of the attested security counter
 * @param bootCountMark     high-water mark of the attested boot count
 * @param reason            stable reason code of the last state change ({@code ok}, {@code registered}, {@code bad_signature}, …)
 * @param quarantined       only the attestation channel is open; data is held, not forwarded as trusted
 * @param approved          false while an operator has yet to approve it (the approve registration policy)
 * @param nextAttestAt      when the next challenge is due, null when none is planned
 * @param unanswered        challenges in a row that expired without an answer
 * @param keyRef            SHA-256 hex of the endorsed identity key; null when not endorsed
 * @param lastRequestId     the request id of the last consumed answer, so its QoS 1 duplicate is a no-op
 * @param firmwareStack     the {@code firmware_stack} the device named when it registered (stock AuroraSOC firmware
 *                          names one, ours does not); null when it named none
 */
public record Device(
        String uuid,
        String deviceId,
        @Nullable String deviceType,
        @Nullable String board,
        @Nullable String firmwareVersion,
        long reportedBoot,
        Instant firstSeen,
        Instant lastSeen,
        long securityCounterMark,
        long bootCountMark,
        AttestationState state,
        String reason,
        boolean quarantined,
        boolean approved,
        Instant statusChangedAt,
        @Nullable Instant lastAttestedAt,
        @Nullable Instant nextAttestAt,
        int unanswered,
        @Nullable String keyRef,
        @Nullable String attestedHash,
        @Nullable String lastRequestId,
        @Nullable String firmwareStack) {

    public Device {
        Objects.requireNonNull(uuid, "uuid");
        if (!DeviceId.isValid(deviceId)) {
            throw new IllegalArgumentException("deviceId must match [A-Za-z0-9_-]{1,64}, found \"" + deviceId + "\"");
        }
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(statusChangedAt, "statusChangedAt");
        if (securityCounterMark < 0 || bootCountMark < 0) {
            throw new IllegalArgumentException(
                    "high-water marks must be >= 0, found " + securityCounterMark + " and " + bootCountMark);
        }
        if (unanswered < 0) {
            throw new IllegalArgumentException("unanswered must be >= 0, found " + unanswered);
        }
    }

    public Trust trust() {
        if (quarantined) {
            return Trust.QUARANTINED;
        }
        if (!approved) {
            return Trust.UNAPPROVED;
        }
        return state == AttestationState.TRUSTED ? Trust.TRUSTED : Trust.PENDING;
    }

    public boolean endorsed() {
        return keyRef != null;
    }

    public Device withState(AttestationState newState, String newReason, boolean newQuarantined, Instant at) {
        return new Device(
                uuid,
                deviceId,
                deviceType,
                board,
                firmwareVersion,
                reportedBoot,
                firstSeen,
                lastSeen,
                securityCounterMark,
                bootCountMark,
                newState,
                newReason,
                newQuarantined,
                approved,
                at,
                lastAttestedAt,
                nextAttestAt,
                unanswered,
                keyRef,
                attestedHash,
                lastRequestId,
                firmwareStack);
    }

    public Device withAttested(
            long securityCounter, long bootCount, String hash, String version, String requestId, Instant at) {
        return new Device(
                uuid,
                deviceId,
                deviceType,
                board,
                version,
                reportedBoot,
                firstSeen,
                lastSeen,
                securityCounter,
                bootCount,
                state,
                reason,
                quarantined,
                approved,
                statusChangedAt,
                at,
                nextAttestAt,
                0,
                keyRef,
                hash,
                requestId,
                firmwareStack);
    }

    /** Raised high-water marks without a TRUSTED verdict (a verified stock AuroraSOC self-report). */
    public Device withMarks(long securityCounter, long bootCount) {
        return new Device(
                uuid,
                deviceId,
                deviceType,
                board,
                firmwareVersion,
                reportedBoot,
                firstSeen,
                lastSeen,
                securityCounter,
                bootCount,
                state,
                reason,
                quarantined,
                approved,
                statusChangedAt,
                lastAttestedAt,
                nextAttestAt,
                unanswered,
                keyRef,
                attestedHash,
                lastRequestId,
                firmwareStack);
    }

    public Device withAnswerConsumed(String requestId) {
        return new Device(
                uuid,
                deviceId,
                deviceType,
                board,
                firmwareVersion,
                reportedBoot,
                firstSeen,
                lastSeen,
                securityCounterMark,
                bootCountMark,
                state,
                reason,
                quarantined,
                approved,
                statusChangedAt,
                lastAttestedAt,
                nextAttestAt,
                0,
                keyRef,
                attestedHash,
                requestId,
                firmwareStack);
    }

    public Device withSchedule(@Nullable Instant next, int newUnanswered) {
        return new Device(
                uuid,
                deviceId,
                deviceType,
                board,
                firmwareVersion,
                reportedBoot,
                firstSeen,
                lastSeen,
                securityCounterMark,
                bootCountMark,
                state,
                reason,
                quarantined,
                approved,
                statusChangedAt,
                lastAttestedAt,
                next,
                newUnanswered,
                keyRef,
                attestedHash,
                lastRequestId,
                firmwareStack);
    }

    public Device withReported(@Nullable String version, long boot) {
        return new Device(
                uuid,
                deviceId,
                deviceType,
                board,
                version,
                boot,
                firstSeen,
                lastSeen,
                securityCounterMark,
                bootCountMark,
                state,
                reason,
                quarantined,
                approved,
                statusChangedAt,
                lastAttestedAt,
                nextAttestAt,
                unanswered,
                keyRef,
                attestedHash,
                lastRequestId,
                firmwareStack);
    }

    public Device withApproved(boolean newApproved) {
        return new Device(
                uuid,
                deviceId,
                deviceType,
                board,
                firmwareVersion,
                reportedBoot,
                firstSeen,
                lastSeen,
                securityCounterMark,
                bootCountMark,
                state,
                reason,
                quarantined,
                newApproved,
                statusChangedAt,
                lastAttestedAt,
                nextAttestAt,
                unanswered,
                keyRef,
                attestedHash,
                lastRequestId,
                firmwareStack);
    }

    public Device withLastSeen(Instant seen) {
        if (!seen.isAfter(lastSeen)) {
            return this;
        }
        return new Device(
                uuid,
                deviceId,
                deviceType,
                board,
                firmwareVersion,
                reportedBoot,
                firstSeen,
                seen,
                securityCounterMark,
                bootCountMark,
                state,
                reason,
                quarantined,
                approved,
                statusChangedAt,
                lastAttestedAt,
                nextAttestAt,
                unanswered,
                keyRef,
                attestedHash,
                lastRequestId,
                firmwareStack);
    }
}
