package aurora.edge.sim.sn;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The one place where device-sim opens MQTT-SN links, so the DTLS implementation is chosen here and nowhere else.
 */
public final class SnLinks {
    private SnLinks() {}

    /** Plain UDP: only for a gateway with {@code mqttsn.allow_plaintext: true}. */
    public static SnLink udp(InetSocketAddress gateway) throws IOException {
        return new UdpSnLink(gateway);
    }

    /**
     * DTLS 1.2 with a pre-shared key: {@code identity} is the device (or relay) id, {@code psk} the 32 octets of
     * HMAC-SHA256(site key, id), the secret whose base64url form is the device's MQTT password.
     *
     * <p>The bctls client ({@code DtlsPskLink}) is written separately (issue #13, helper "dtls"); until it is
     * merged this throws, and {@code --transport mqttsn-dtls} fails at connect with this message.
     */
    @SuppressWarnings("DoNotCallSuggester") // placeholder until DtlsPskLink is merged: then it returns the link
    public static SnLink dtls(InetSocketAddress gateway, String identity, byte[] psk) throws IOException {
        throw new IOException("DTLS link not available in this build (DtlsPskLink not merged yet); use "
                + "--transport mqttsn-udp against a gateway with mqttsn.allow_plaintext: true");
    }
}
