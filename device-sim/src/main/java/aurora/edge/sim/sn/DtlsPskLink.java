package aurora.edge.sim.sn;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.PSKTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UDPTransport;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.jspecify.annotations.Nullable;

/**
 * A device's DTLS 1.2 PSK link to the gateway's MQTT-SN port, as an nRF52840 with mbedTLS would
 * open it: its own UDP socket, PSK identity = device id, key = the device's derived secret (32 raw
 * bytes), the cipher suites of constrained stacks. Each {@link #send} is one MQTT-SN packet in one
 * DTLS record. Not thread-safe: one device, one thread.
 */
public final class DtlsPskLink implements SnLink, AutoCloseable {
    /** What mbedTLS and Zephyr devices offer: CCM_8 first (RFC 7925), CBC-SHA256 as the fallback. */
    private static final int[] SUITES = {
        CipherSuite.TLS_PSK_WITH_AES_128_CCM_8, CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA256,
    };

    private static final int MTU = 1200;

    private final DatagramSocket socket;
    private final DTLSTransport dtls;

    private DtlsPskLink(DatagramSocket socket, DTLSTransport dtls) {
        this.socket = socket;
        this.dtls = dtls;
    }

    /**
     * Runs the handshake (cookie exchange included) with the gateway at {@code gateway}.
     *
     * @param psk      the device's pre-shared key (the derived secret's raw bytes)
     * @param deadline how long the whole handshake may take
     * @throws IOException the handshake failed (wrong key, unknown identity, no answer)
     */
    public static DtlsPskLink connect(InetSocketAddress gateway, String identity, byte[] psk, Duration deadline)
            throws IOException {
        return connect(gateway, identity, psk, deadline, 0);
    }

    /** As {@link #connect(InetSocketAddress, String, byte[], Duration)}, from local UDP port {@code localPort} (0: any). */
    public static DtlsPskLink connect(
            InetSocketAddress gateway, String identity, byte[] psk, Duration deadline, int localPort)
            throws IOException {
        DatagramSocket socket = new DatagramSocket(localPort);
        try {
            socket.connect(gateway);
            TlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
            int deadlineMillis = Math.toIntExact(deadline.toMillis());
            PSKTlsClient client = new PSKTlsClient(crypto, identity.getBytes(StandardCharsets.UTF_8), psk.clone()) {
                @Override
                protected ProtocolVersion[] getSupportedVersions() {
                    return ProtocolVersion.DTLSv12.only();
                }

                @Override
                protected int[] getSupportedCipherSuites() {
                    return TlsUtils.getSupportedCipherSuites(getCrypto(), SUITES);
                }

                @Override
                public int getHandshakeTimeoutMillis() {
                    return deadlineMillis;
                }
            };
            DTLSTransport dtls = new DTLSClientProtocol().connect(client, new UDPTransport(socket, MTU));
            return new DtlsPskLink(socket, dtls);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one packet in one DTLS record. */
    @Override
    public void send(byte[] packet) throws IOException {
        dtls.send(packet, 0, packet.length);
    }

    /** The next packet from the gateway, or null if none arrived within {@code timeout}. */
    @Override
    public byte @Nullable [] receive(Duration timeout) throws IOException {
        byte[] buf = new byte[dtls.getReceiveLimit()];
        int n = dtls.receive(buf, 0, buf.length, (int) Math.max(1, timeout.toMillis()));
        return n < 0 ? null : Arrays.copyOf(buf, n);
    }

    /** The local UDP port (the gateway sees the device at this port). */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** Closes the socket without a close_notify: the device rebooted or its battery died; the gateway is not told. */
    public void drop() {
        socket.close();
    }

    /** Sends close_notify and closes the socket. */
    @Override
    public void close() {
        try {
            dtls.close();
        } catch (IOException e) {
            // The gateway is gone; closing the socket is all that is left.
        } finally {
            socket.close();
        }
    }
}
