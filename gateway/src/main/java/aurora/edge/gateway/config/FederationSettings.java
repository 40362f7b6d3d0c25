package aurora.edge.gateway.config;

import java.time.Duration;
import java.util.regex.Pattern;

/** The federation listener ({@code federation.*}). */
final class FederationSettings {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    static final Setting<Boolean> ENABLED = Setting.bool("federation.enabled", true,
            "listen to `<nats.subject_prefix>.ioc_sharing` with a durable pull consumer (same server and domain as the sink)");
    static final Setting<String> CONSUMER_NAME = Setting.string("federation.consumer_name", "name", "aurora-edge-gateway-1", NAME,
            "`[A-Za-z0-9_-]{1,64}`", "must match [A-Za-z0-9_-]{1,64}",
            "durable consumer name; one per gateway, so each gateway applies every IOC once").defaultShownAs("`aurora-edge-<gateway.id>`");
    static final Setting<Duration> NAK_DELAY = Setting.duration("federation.nak_delay", Duration.ofSeconds(5), Duration.ofMillis(100),
            Duration.ofHours(1), "an IOC that could not be applied now is redelivered after this delay");

    private FederationSettings() {}

    static GatewayConfig.Federation read(ConfigReader r, GatewayConfig.Identity identity) {
        return new GatewayConfig.Federation(r.get(ENABLED), r.get(CONSUMER_NAME, "aurora-edge-" + identity.gatewayId()), r.get(NAK_DELAY));
    }
}
