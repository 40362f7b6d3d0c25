package aurora.edge.gateway.config;

import aurora.edge.attestation.DeviceId;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/** {@code gateway.id}, {@code site.id}. */
final class IdentitySettings {
    static final Pattern ID = DeviceId.SYNTAX;
    static final String ID_ALLOWED = "`[A-Za-z0-9_-]{1,64}`";
    static final String ID_PROBLEM = "must match [A-Za-z0-9_-]{1,64}";

    static final Setting<String> GATEWAY_ID = Setting.string("gateway.id", "id", "gateway-1", ID, ID_ALLOWED, ID_PROBLEM,
            "names this gateway in every event and message id, and names its JetStream consumer").defaultShownAs("host name (else `gateway-1`)");
    static final Setting<String> SITE_ID = Setting.string("site.id", "id", "site-1", ID, ID_ALLOWED, ID_PROBLEM,
            "the site the SOC knows this box by; stamped on every event");

    private IdentitySettings() {}

    static GatewayConfig.Identity read(ConfigReader r) {
        return new GatewayConfig.Identity(r.get(GATEWAY_ID, defaultGatewayId()), r.get(SITE_ID));
    }

    private static String defaultGatewayId() {
        try {
            String host = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
            return ID.matcher(host).matches() ? host : "gateway-1";
        } catch (IOException e) {
            return "gateway-1";
        }
    }
}
