package aurora.edge.gateway.mqttsn;

/**
 * What a transport (plain UDP or DTLS) hands the MQTT-SN gateway: every datagram's payload, one
 * MQTT-SN packet (or a forwarder-encapsulated one), after the transport has done its own checks.
 */
public interface SnPacketHandler {
    /** One received MQTT-SN packet from {@code peer}; called on a transport thread, must not block. */
    void onPacket(SnPeer peer, byte[] packet);

    /** The peer's association ended (closed, timed out, replaced by a new handshake). */
    void onClosed(SnPeer peer);
}
