package aurora.edge.gateway.mqttsn;

/**
 * What the listener reads of a datagram before any state exists for its source: only whether it
 * starts with a plaintext DTLS 1.x ClientHello record (epoch 0). Everything else from an address
 * without an association is dropped unanswered.
 */
final class DtlsRecords {
    private static final int RECORD_HEADER = 13;
    private static final byte HANDSHAKE = 22;
    private static final byte CLIENT_HELLO = 1;

    private DtlsRecords() {}

    static boolean isClientHello(byte[] datagram) {
        return datagram.length > RECORD_HEADER + 12
                && datagram[0] == HANDSHAKE
                && datagram[1] == (byte) 0xFE
                && (datagram[2] == (byte) 0xFD || datagram[2] == (byte) 0xFF)
                && datagram[3] == 0
                && datagram[4] == 0
                && datagram[RECORD_HEADER] == CLIENT_HELLO;
    }
}
