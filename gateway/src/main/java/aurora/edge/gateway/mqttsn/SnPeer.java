package aurora.edge.gateway.mqttsn;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * One remote end of the MQTT-SN listener: a UDP source address, either plain (lab only) or inside a
 * DTLS association. The gateway trusts only {@link #identity()}: a plain MQTT-SN CONNECT carries no
 * credentials, so on the plaintext listener any client id is a claim, while a DTLS association has
 * proved the device (or relay) id it names by its per-device pre-shared key.
 */
public interface SnPeer {
    /** The UDP source address (for the audit trail and per-address limits; never an identity). */
    InetSocketAddress address();

    /** The id the DTLS handshake authenticated (the PSK identity); empty on the plaintext listener. */
    Optional<String> identity();

    /** Sends one MQTT-SN packet to the peer (encrypted inside the association on DTLS); never blocks. */
    void send(byte[] packet);

    /** Ends the association (DTLS close_notify) or forgets the address (plaintext). */
    void close();
}
