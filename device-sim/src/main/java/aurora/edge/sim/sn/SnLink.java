package aurora.edge.sim.sn;

import java.io.IOException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One datagram path from a simulated device to the gateway's MQTT-SN listener: plain UDP ({@link UdpSnLink}), DTLS
 * ({@link SnLinks#dtls}) or a child's slot in a relay's association ({@link RelayLink#child}). One datagram is one
 * MQTT-SN packet.
 */
public interface SnLink {
    /** Sends one packet. */
    void send(byte[] packet) throws IOException;

    /** The next packet, or null after {@code timeout} without one. */
    byte @Nullable [] receive(Duration timeout) throws IOException;

    /** Ends the link; a blocked {@link #receive} returns null or throws. */
    void close();
}
