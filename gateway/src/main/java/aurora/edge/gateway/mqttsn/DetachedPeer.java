package aurora.edge.gateway.mqttsn;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The peer of a session restored from {@code mqttsn.db} (a device asleep across a restart), until
 * it wakes from a real address: nothing can be sent to it.
 */
record DetachedPeer(InetSocketAddress address) implements SnPeer {
    static DetachedPeer of(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        int port = 0;
        try {
            port = Integer.parseInt(hostAndPort.substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            // an unreadable address: the device can still wake over DTLS by its identity
        }
        port = Math.max(0, Math.min(0xffff, port));
        return new DetachedPeer(
                InetSocketAddress.createUnresolved(colon < 0 ? hostAndPort : hostAndPort.substring(0, colon), port));
    }

    @Override
    public Optional<String> identity() {
        return Optional.empty();
    }

    @Override
    public void send(byte[] packet) {}

    @Override
    public void close() {}
}
