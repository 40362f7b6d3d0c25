package aurora.edge.attestation.evidence;

import aurora.edge.attestation.manifest.ManifestImage;
import java.util.Objects;

/**
 * The result of checking one piece of evidence. Sealed: a caller handles each outcome, and every
 * outcome but {@link Trusted} carries a {@link Reason} with a stable code and a detail naming the
 * values that disagreed.
 */
public sealed interface Verdict
        permits Verdict.Trusted,
                Verdict.UnknownFirmware,
                Verdict.Tampered,
                Verdict.Revoked,
                Verdict.Downgrade,
                Verdict.Expired {

    Status status();

    Reason reason();

    String detail();

    enum Status {
        TRUSTED,
        UNKNOWN_FIRMWARE,
        TAMPERED,
        REVOKED,
        DOWNGRADE,
        EXPIRED
    }

    /** Stable codes, each bound to the one status it explains. */
    enum Reason {
        OK(Status.TRUSTED, "ok"),
        UNKNOWN_BOARD(Status.UNKNOWN_FIRMWARE, "unknown_board"),
        UNKNOWN_HASH(Status.UNKNOWN_FIRMWARE, "unknown_hash"),
        WRONG_REQUEST(Status.TAMPERED, "wrong_request"),
        WRONG_DEVICE(Status.TAMPERED, "wrong_device"),
        WRONG_NONCE(Status.TAMPERED, "wrong_nonce"),
        BAD_SIGNATURE(Status.TAMPERED, "bad_signature"),
        SIGNER_DENYLISTED(Status.TAMPERED, "signer_denylisted"),
        CLAIMS_INCONSISTENT(Status.TAMPERED, "claims_inconsistent"),
        /** {@code aurorasoc} evidence whose boot count is below one already verified: an old report played again. */
        REPLAYED(Status.TAMPERED, "replayed"),
        HASH_REVOKED(Status.REVOKED, "hash_revoked"),
        BELOW_MINIMUM_SECURITY_COUNTER(Status.REVOKED, "below_minimum_security_counter"),
        SECURITY_COUNTER_BACKWARDS(Status.DOWNGRADE, "security_counter_backwards"),
        BOOT_COUNT_BACKWARDS(Status.DOWNGRADE, "boot_count_backwards"),
        CHALLENGE_EXPIRED(Status.EXPIRED, "challenge_expired");

        private final Status status;
        private final String code;

        Reason(Status status, String code) {
            this.status = status;
            this.code = code;
        }

        public Status status() {
            return status;
        }

        public String code() {
            return code;
        }
    }

    /** Everything checked out; persist {@code marks} as the device's new high-water marks. */
    record Trusted(ManifestImage image, HighWaterMarks marks) implements Verdict {
        public Trusted {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(marks, "marks");
        }

        @Override
        public Status status() {
            return Status.TRUSTED;
        }

        @Override
        public Reason reason() {
            return Reason.OK;
        }

        @Override
        public String detail() {
            return "image " + image.hash().hex() + " version " + image.version() + " security counter "
                    + image.securityCounter();
        }
    }

    /** Signature and freshness fine, but the manifest does not know this image for this board. */
    record UnknownFirmware(Reason reason, String detail) implements Verdict {
        public UnknownFirmware {
            check(reason, detail, Status.UNKNOWN_FIRMWARE);
        }

        @Override
        public Status status() {
            return Status.UNKNOWN_FIRMWARE;
        }
    }

    /** Bad signature, wrong device, wrong nonce or request, claims that contradict the manifest. */
    record Tampered(Reason reason, String detail) implements Verdict {
        public Tampered {
            check(reason, detail, Status.TAMPERED);
        }

        @Override
        public Status status() {
            return Status.TAMPERED;
        }
    }

    /** The image is revoked, or its security counter is below the board's minimum. */
    record Revoked(Reason reason, String detail) implements Verdict {
        public Revoked {
            check(reason, detail, Status.REVOKED);
        }

        @Override
        public Status status() {
            return Status.REVOKED;
        }
    }

    /** The device's security counter or boot count went below what it showed before. */
    record Downgrade(Reason reason, String detail) implements Verdict {
        public Downgrade {
            check(reason, detail, Status.DOWNGRADE);
        }

        @Override
        public Status status() {
            return Status.DOWNGRADE;
        }
    }

    /** The answer came after the challenge expired; says nothing about integrity. */
    record Expired(Reason reason, String detail) implements Verdict {
        public Expired {
            check(reason, detail, Status.EXPIRED);
        }

        @Override
        public Status status() {
            return Status.EXPIRED;
        }
    }

    private static void check(Reason reason, String detail, Status expected) {
        Objects.requireNonNull(detail, "detail");
        if (reason == null || reason.status() != expected) {
            throw new IllegalArgumentException("reason must explain " + expected + ", found " + reason);
        }
    }
}
