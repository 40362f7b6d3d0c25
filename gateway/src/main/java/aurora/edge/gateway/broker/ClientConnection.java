package aurora.edge.gateway.broker;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import org.jspecify.annotations.Nullable;

/**
 * What the gateway knows about one MQTT connection: where it comes from, whether its CONNECT was
 * accepted, and the will its CONNECT asked for. Made by {@link GateInstaller} for each connection,
 * shared by that connection's two gates, and shown to {@link DeviceAuthenticator} (which Moquette
 * calls without any connection context) for the duration of the CONNECT through a thread-local:
 * Moquette runs the authenticator synchronously inside the CONNECT's channelRead, on the same
 * Netty thread.
 */
final class ClientConnection {
    private static final ThreadLocal<ClientConnection> CONNECTING = new ThreadLocal<>();

    private final InetAddress address;
    private final ConnectionLimits limits;
    private boolean pending = true;
    private boolean connectSeen;
    private @Nullable String willTopic;
    private @Nullable String deviceId;
    private X509Certificate @Nullable [] peerChain;

    ClientConnection(InetAddress address, ConnectionLimits limits) {
        this.address = address;
        this.limits = limits;
    }

    /**
     * The connection whose CONNECT is being checked on this thread, or null when the CONNECT did not
     * come through the gateway's gates (then it must be refused).
     */
    static ClientConnection current() {
        return CONNECTING.get();
    }

    /** Runs {@code moquette} (the CONNECT's processing) with this connection visible to the authenticator. */
    void whileConnecting(Runnable moquette) {
        CONNECTING.set(this);
        try {
            moquette.run();
        } finally {
            CONNECTING.remove();
        }
    }

    InetAddress address() {
        return address;
    }

    /** Called by the authenticator once the credentials and the will were accepted: it no longer counts as a stranger. */
    void authenticated(String deviceId) {
        this.deviceId = deviceId;
        if (pending) {
            pending = false;
            limits.authenticated(address);
        }
    }

    boolean isAuthenticated() {
        return !pending;
    }

    /** The device id once authenticated, else null. */
    @Nullable
    String deviceId() {
        return deviceId;
    }

    /** @return false when this connection already sent a CONNECT (a second one is a protocol violation) */
    boolean firstConnect(@Nullable String willTopic) {
        if (connectSeen) {
            return false;
        }
        connectSeen = true;
        this.willTopic = willTopic;
        return true;
    }

    /** The will topic of this connection's CONNECT, or null when it has no will. */
    @Nullable
    String willTopic() {
        return willTopic;
    }

    /** On the TLS port: the device certificate chain the handshake verified (leaf first), or null when the client sent none. */
    void peerChain(X509Certificate @Nullable [] chain) {
        this.peerChain = chain == null || chain.length == 0 ? null : chain.clone();
    }

    /** The verified device certificate chain of a TLS connection, or null (plaintext, or no client certificate). */
    X509Certificate @Nullable [] peerChain() {
        return peerChain == null ? null : peerChain.clone();
    }

    /** The verified device certificate, or null. */
    @Nullable
    X509Certificate peerCertificate() {
        return peerChain == null ? null : peerChain[0];
    }

    /** Called once when the connection closes. */
    void closed() {
        limits.closed(address, pending);
        pending = false;
    }
}
