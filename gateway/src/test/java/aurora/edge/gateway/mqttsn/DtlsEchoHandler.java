package aurora.edge.gateway.mqttsn;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A stand-in for the MQTT-SN gateway: records every packet and close, and echoes each packet back. */
final class DtlsEchoHandler implements SnPacketHandler {
    record Received(String identity, byte[] packet) {}

    final List<Received> packets = new CopyOnWriteArrayList<>();
    final List<String> closed = new CopyOnWriteArrayList<>();

    @Override
    public void onPacket(SnPeer peer, byte[] packet) {
        packets.add(new Received(peer.identity().orElse(""), packet));
        peer.send(packet);
    }

    @Override
    public void onClosed(SnPeer peer) {
        closed.add(peer.identity().orElse(""));
    }

    boolean received(String identity, String text) {
        return packets.stream()
                .anyMatch(r -> r.identity().equals(identity)
                        && new String(r.packet(), java.nio.charset.StandardCharsets.UTF_8).equals(text));
    }
}
