package aurora.edge.gateway.mqttsn;

import java.io.IOException;

/** A running MQTT-SN listener (plain UDP or DTLS) that hands its datagrams to an {@link SnPacketHandler}. */
public interface SnTransport extends AutoCloseable {
    /** The UDP port it is bound to (the real one when {@code mqttsn.port} is 0). */
    int port();

    /** Stops receiving and sending; the handler is told nothing more. */
    @Override
    void close();

    /** Starts a transport: how {@code Gateway} picks plain UDP or DTLS without knowing either. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param host where to listen ({@code mqtt.host})
         * @param port {@code mqttsn.port}; 0 = any free port
         * @param maxPacketBytes the largest datagram to read whole ({@code mqttsn.max_packet_bytes})
         */
        SnTransport start(String host, int port, int maxPacketBytes, SnPacketHandler handler) throws IOException;
    }
}
