package aurora.edge.gateway.config;

import aurora.edge.attestation.DeviceId;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** {@code gateway.id}, {@code site.id}. */
final class IdentitySettings {
    static final Pattern ID = DeviceId.SYNTAX;
    static final String ID_ALLOWED = "`[A-Za-z0-9_-]{1,64}`";
    static final String ID_PROBLEM = "must match [A-Za-z0-9_-]{1,64}";

    static final Setting<String> GATEWAY_ID = Setting.string(
                    "gateway.id",
                    "id",
                    "gateway-1",
                    ID,
                    ID_ALLOWED,
                    ID_PROBLEM,
                    "names this gateway in its own events and their message ids, its JetStream consumer and its Redis dedup marks: "
                            + "unique in the federation")
            .defaultShownAs("host name (else `gateway-1`); refused when unset on a host with a stock image name "
                    + "(`raspberrypi`, `localhost`, `debian`, `ubuntu`, …)");
    static final Setting<String> SITE_ID = Setting.string(
            "site.id",
            "id",
            "site-1",
            ID,
            ID_ALLOWED,
            ID_PROBLEM,
            "the site the SOC knows this box by; stamped on every event");

    private IdentitySettings() {}

    /**
     * {@code gateway.id} must be unique in a federation. Unset, it defaults to the host name, unless
     * that is a name every box of a stock image shares ({@code raspberrypi}, {@code localhost},
     * {@code debian}, ...): two such gateways would share a durable IOC consumer and Redis dedup
     * marks, so the gateway refuses to start until the id is set.
     */
    static GatewayConfig.Identity read(ConfigReader r, Supplier<String> hostName) {
        String host = hostName.get();
        String normalised = host == null ? "" : host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
        boolean stock = StockHostNames.isStock(normalised);
        String fallback = stock ? "" : ID.matcher(normalised).matches() ? normalised : "gateway-1";
        String gatewayId = r.get(GATEWAY_ID, fallback);
        if (gatewayId.isEmpty()) {
            r.error(
                    GATEWAY_ID,
                    null,
                    "is not set, and the host name \"" + normalised + "\" is the stock name of an OS image, "
                            + "so it is not unique in a federation; set gateway.id (or AURORA_GATEWAY_ID) to a name no other gateway uses");
            gatewayId = "gateway-1";
        }
        return new GatewayConfig.Identity(gatewayId, r.get(SITE_ID));
    }

    static @Nullable String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return null;
        }
    }
}
