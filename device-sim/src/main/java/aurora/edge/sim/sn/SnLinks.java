package aurora.edge.sim.sn;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The one place where device-sim opens MQTT-SN links, so the DTLS implementation is chosen here and nowhere else.
 */
public final class SnLinks {
    /** How long a DTLS handshake may take (a lossy radio link needs a few retransmissions). */
    static final Duration HANDSHAKE = Duration.ofSeconds(15);

    private SnLinks() {}

    /** Plain UDP: only for a gateway with {@code mqttsn.allow_plaintext: true}. */
    public static SnLink udp(InetSocketAddress gateway) throws IOException {
        return new UdpSnLink(gateway);
    }

    /**
     * DTLS 1.2 with a pre-shared key: {@code identity} is the device (or relay) id, {@code psk} the 32 octets of
     * HMAC-SHA256(site key, id), the secret whose base64url form is the device's MQTT password.
     *
     * <p>The handshake (cookie exchange included) must finish within {@link #HANDSHAKE}.
     */
    public static SnLink dtls(InetSocketAddress gateway, String identity, byte[] psk) throws IOException {
        return DtlsPskLink.connect(gateway, identity, psk, HANDSHAKE);
    }
}
