package aurora.edge.gateway.config;

import aurora.edge.gateway.registry.RegistrationPolicy;
import java.nio.file.Path;
import java.time.Duration;

/** Device registration and attestation ({@code devices.registration_policy}, {@code attest.*}). */
final class AttestSettings {
    static final Setting<RegistrationPolicy> REGISTRATION_POLICY = Setting.enumValue(
            "devices.registration_policy",
            "policy",
            RegistrationPolicy.ENDORSED,
            RegistrationPolicy.class,
            "first message of an unknown authenticated device: `endorsed` registers only devices on the endorsement list (others are "
                    + "rejected `DEVICE_NOT_ENDORSED`); `approve` registers any device but holds its data (audit stream only, "
                    + "`trust:\"unapproved\"`) until `devices approve ID`, then challenges it; `open` registers and forwards anything, "
                    + "flagged `trust:\"pending\"` (lab only, warned loudly at start; with attestation on and `attest.hold_pending`, a "
                    + "device's data still waits for a TRUSTED verdict, so a device without an endorsed key ends in the audit stream)");
    static final Setting<Path> MANIFEST = Setting.optionalPath(
            "attest.manifest",
            "vendor-signed firmware manifest; empty = attestation off (devices stay `PENDING`, a warning at start). Checked every 0.5 s "
                    + "and read once both files stayed unchanged for a check: a replacement with a higher `sequence` is taken at runtime "
                    + "(audit `MANIFEST_REPLACED`), devices trusted on an image it revokes or puts below its board's "
                    + "`min_security_counter` are quarantined `REVOKED`, devices whose image it no longer lists are re-attested; a bad "
                    + "signature, a lower `sequence` or the same `sequence` with other content is refused and the current manifest stays "
                    + "(audit `MANIFEST_REFUSED`, high)");
    static final Setting<Path> MANIFEST_SIGNATURE = Setting.optionalPath(
                    "attest.manifest_signature", "detached signature of the manifest")
            .defaultShownAs("`<attest.manifest>.sig`");
    static final Setting<Path> VENDOR_KEY = Setting.optionalPath(
                    "attest.vendor_key", "pinned vendor key (PEM public key) that signs manifest and endorsement list")
            .allowedShownAs("path; required with `attest.manifest` or `attest.endorsements`");
    static final Setting<Path> ENDORSEMENTS = Setting.optionalPath(
            "attest.endorsements",
            "vendor-signed endorsement list: the only source of device keys; checked every 0.5 s and reloaded when changed (sequence "
                    + "never goes back; a refused replacement is logged)");
    static final Setting<Path> ENDORSEMENTS_SIGNATURE = Setting.optionalPath(
                    "attest.endorsements_signature", "detached signature of the endorsement list")
            .defaultShownAs("`<attest.endorsements>.sig`");
    static final Setting<Duration> INTERVAL = Setting.duration(
            "attest.interval",
            Duration.ofHours(24),
            Duration.ofMinutes(1),
            Duration.ofDays(30),
            "periodic re-attestation after each verdict");
    static final Setting<Duration> INTERVAL_JITTER = Setting.duration(
                    "attest.interval_jitter",
                    Duration.ofHours(1),
                    Duration.ZERO,
                    Duration.ofDays(1),
                    "the period is moved by a random ± up to this, so a fleet does not answer in a herd")
            .allowedShownAs("0ms–1d, < `attest.interval`");
    static final Setting<Duration> CHALLENGE_TTL = Setting.duration(
            "attest.challenge_ttl",
            Duration.ofMinutes(2),
            Duration.ofSeconds(1),
            Duration.ofHours(24),
            "a challenge not answered within this is expired (sleepy devices: ≥ 2 × poll period)");
    static final Setting<Integer> MAX_ATTEMPTS = Setting.integer(
            "attest.max_attempts",
            "challenges",
            3,
            1,
            20,
            "unanswered challenges in a row before the device is `UNRESPONSIVE` (quarantined); a challenge replaced because the device "
                    + "reported another `boot` or `fw` counts as unanswered");
    static final Setting<Duration> RETRY_BACKOFF_MIN = Setting.duration(
            "attest.retry_backoff_min",
            Duration.ofSeconds(30),
            Duration.ofMillis(100),
            Duration.ofHours(1),
            "wait before re-sending an unanswered challenge (doubles per attempt, +≤20 % "
                    + "jitter); also the shortest time between two challenges a device causes by changing `boot` or `fw`");
    static final Setting<Duration> RETRY_BACKOFF_MAX = Setting.duration(
                    "attest.retry_backoff_max",
                    Duration.ofMinutes(10),
                    Duration.ofMillis(100),
                    Duration.ofDays(1),
                    "longest wait between attempts")
            .allowedShownAs("100ms–1d, ≥ `attest.retry_backoff_min`");
    static final Setting<Boolean> HOLD_PENDING = Setting.bool(
            "attest.hold_pending",
            true,
            "while attestation is on (`attest.manifest` set), data of a device without a TRUSTED verdict is held in the outbox and "
                    + "released (in order, `trust:\"trusted\"`) by its verdict, or kept as `UNTRUSTED_DATA` audit if the verdict fails; "
                    + "device alerts of severity ≥ high go at once, `trust:\"pending\"`. Adds the time to the first verdict to a new or "
                    + "rebooted device's data: one wake-up of a sleepy device (up to `attest.challenge_ttl`, plus retries). `false`: "
                    + "forwarded flagged `trust:\"pending\"`");
    static final Setting<Boolean> ISOLATE_ON_QUARANTINE = Setting.bool(
            "attest.isolate_on_quarantine",
            false,
            "each automatic quarantine (a failed verdict, a federation indicator) also sends the device an `isolate` command, "
                    + "delivered and resent like a SOC command (`docs/soc-commands.md`)");
    static final Setting<Integer> HOLD_MAX_PER_DEVICE = Setting.integer(
            "attest.hold_max_per_device",
            "events",
            1_000,
            1,
            100_000,
            "held events per device; beyond it, the device's further pending data is kept as `UNTRUSTED_DATA` (counted "
                    + "`aurora_intake_hold_overflow`)");

    private AttestSettings() {}

    static GatewayConfig.Attest read(ConfigReader r) {
        RegistrationPolicy policy = r.get(REGISTRATION_POLICY);
        Path manifest = r.get(MANIFEST);
        Path manifestSig = r.get(MANIFEST_SIGNATURE, manifest == null ? null : Path.of(manifest + ".sig"));
        Path vendorKey = r.get(VENDOR_KEY);
        Path endorsements = r.get(ENDORSEMENTS);
        Path endorsementsSig =
                r.get(ENDORSEMENTS_SIGNATURE, endorsements == null ? null : Path.of(endorsements + ".sig"));
        var attest = new GatewayConfig.Attest(
                policy,
                manifest,
                manifestSig,
                vendorKey,
                endorsements,
                endorsementsSig,
                r.get(INTERVAL),
                r.get(INTERVAL_JITTER),
                r.get(CHALLENGE_TTL),
                r.get(MAX_ATTEMPTS),
                r.get(RETRY_BACKOFF_MIN),
                r.get(RETRY_BACKOFF_MAX),
                r.get(HOLD_PENDING),
                r.get(HOLD_MAX_PER_DEVICE),
                r.get(ISOLATE_ON_QUARANTINE));
        if ((manifest != null || endorsements != null) && vendorKey == null) {
            r.error(
                    VENDOR_KEY,
                    null,
                    "is required when attest.manifest or attest.endorsements is set "
                            + "(the vendor public key, PEM, that signs them)");
        }
        if (attest.intervalJitter().compareTo(attest.interval()) >= 0) {
            r.error(
                    INTERVAL_JITTER,
                    Durations.format(attest.intervalJitter()),
                    "must be shorter than attest.interval (" + Durations.format(attest.interval()) + ")");
        }
        if (attest.retryBackoffMax().compareTo(attest.retryBackoffMin()) < 0) {
            r.error(
                    RETRY_BACKOFF_MAX,
                    Durations.format(attest.retryBackoffMax()),
                    "must not be shorter than attest.retry_backoff_min (" + Durations.format(attest.retryBackoffMin())
                            + ")");
        }
        return attest;
    }
}
