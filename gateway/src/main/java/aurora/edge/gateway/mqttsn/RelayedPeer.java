package aurora.edge.gateway.mqttsn;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * A child device as the gateway reaches it through its relay: every packet for the child travels
 * in a forwarder-encapsulation frame (MQTT-SN 1.2 §5.5) for the wireless node id the relay
 * announced, inside the relay's own association. The address and identity are the relay's: nothing
 * here is the child's to claim.
 */
final class RelayedPeer implements SnPeer {
    private final SnPeer relay;
    private final String relayId;
    private final int ctrl;
    private final byte[] nodeId;

    /**
     * @param relay the relay's association (DTLS, or plain UDP with {@code mqttsn.allow_plaintext})
     * @param relayId the relay's device id
     * @param ctrl the Ctrl octet of the relay's last frame for this node, echoed back
     * @param nodeId the wireless node id as the relay sent it
     */
    RelayedPeer(SnPeer relay, String relayId, int ctrl, byte[] nodeId) {
        this.relay = relay;
        this.relayId = relayId;
        this.ctrl = ctrl;
        this.nodeId = nodeId.clone();
    }

    String relayId() {
        return relayId;
    }

    @Override
    public InetSocketAddress address() {
        return relay.address();
    }

    @Override
    public Optional<String> identity() {
        return relay.identity();
    }

    @Override
    public void send(byte[] packet) {
        relay.send(SnCodec.encode(new SnPacket.Encapsulated(ctrl, nodeId, packet)));
    }

    /** The child's route ends; the relay's association is the relay's, and stays open. */
    @Override
    public void close() {}

    /** Whether {@code other} is the same way to the child: the same relay association and node id. */
    boolean sameRoute(RelayedPeer other) {
        return other.relay.equals(relay) && other.relayId.equals(relayId) && Arrays.equals(other.nodeId, nodeId);
    }
}
