package aurora.edge.gateway.config;

import aurora.edge.attestation.Result;
import aurora.edge.attestation.keys.VerifyingKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** The federation listener ({@code federation.*}). */
final class FederationSettings {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    static final Setting<Boolean> ENABLED = Setting.bool(
            "federation.enabled",
            true,
            "listen to `<nats.subject_prefix>.ioc_sharing` with a durable pull consumer (same server and domain as the sink)");
    static final Setting<String> CONSUMER_NAME = Setting.string(
                    "federation.consumer_name",
                    "name",
                    "aurora-edge-gateway-1",
                    NAME,
                    "`[A-Za-z0-9_-]{1,64}`",
                    "must match [A-Za-z0-9_-]{1,64}",
                    "durable consumer name; one per gateway, so each gateway applies every IOC once")
            .defaultShownAs("`aurora-edge-<gateway.id>`");
    static final Setting<Duration> NAK_DELAY = Setting.duration(
            "federation.nak_delay",
            Duration.ofSeconds(5),
            Duration.ofMillis(100),
            Duration.ofHours(1),
            "an IOC that could not be applied now is redelivered after this delay");

    static final Setting<Double> MAX_FLEET_SHARE = Setting.share(
            "federation.max_fleet_share",
            0.2,
            0.0,
            1.0,
            "most of the registered fleet one IOC may quarantine unconfirmed (at least one device, unless 0); beyond it the IOC is kept "
                    + "`AWAITING_CONFIRMATION`, a critical alert and audit `IOC_AWAITS_CONFIRMATION` are raised, and nothing is applied "
                    + "until `iocs confirm ID`");
    static final Setting<Path> IOC_KEY = Setting.optionalPath(
                    "federation.ioc_key",
                    "when set, an IOC is taken only with a NATS header `Aurora-Signature` = base64 signature over the exact message bytes; "
                            + "others are terminated and audited `IOC_SIGNATURE_INVALID`. Empty: unsigned IOCs are taken (a warning at start)")
            .allowedShownAs("PEM public key, ECDSA P-256 or Ed25519");
    static final Setting<Integer> MAX_IOCS = Setting.integer(
            "federation.max_iocs",
            "indicators",
            10_000,
            10,
            1_000_000,
            "most indicators kept (active, waiting, withdrawn); withdrawn ones are forgotten first to make room, beyond that new IOCs are "
                    + "refused (audit `IOC_TABLE_FULL`, critical)");
    static final Setting<Duration> IOC_RETENTION = Setting.duration(
            "federation.ioc_retention",
            Duration.ofDays(7),
            Duration.ofHours(1),
            Duration.ofDays(365),
            "how long a withdrawn (revoked or expired) indicator is remembered, so a redelivered copy is not applied again");

    private FederationSettings() {}

    static GatewayConfig.Federation read(ConfigReader r, GatewayConfig.Identity identity) {
        var federation = new GatewayConfig.Federation(
                r.get(ENABLED),
                r.get(CONSUMER_NAME, "aurora-edge-" + identity.gatewayId()),
                r.get(NAK_DELAY),
                r.get(MAX_FLEET_SHARE),
                r.get(IOC_KEY),
                r.get(MAX_IOCS),
                r.get(IOC_RETENTION));
        if (federation.iocKey() != null) {
            iocKeyProblem(federation.iocKey())
                    .ifPresent(problem -> r.error(IOC_KEY, federation.iocKey().toString(), problem));
        }
        return federation;
    }

    /** Why the pinned IOC key cannot be used, if it cannot: read and parsed here so a bad key stops the start, by name. */
    private static Optional<String> iocKeyProblem(Path file) {
        try {
            Result<VerifyingKey> key = VerifyingKey.fromPem(Files.readString(file, StandardCharsets.US_ASCII));
            return key instanceof Result.Failed<VerifyingKey> failed
                    ? Optional.of("is not a PEM public key, ECDSA P-256 or Ed25519 ("
                            + failed.problem().code() + ")")
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("is not a readable file (a PEM public key, ECDSA P-256 or Ed25519)");
        }
    }
}
