package aurora.edge.gateway.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSessionContext;

/**
 * The SslContext Moquette is given once (it asks its {@code ISslContextCreator} a single time, at
 * start) and that makes every new connection's engine from the current generation: swapping the
 * generation changes the certificate and trust new handshakes see, and leaves the engines of open
 * connections alone.
 */
final class SwappableSslContext extends SslContext {
    private final AtomicReference<SslContext> current;

    SwappableSslContext(SslContext first) {
        this.current = new AtomicReference<>(first);
    }

    void swap(SslContext next) {
        current.set(next);
    }

    @Override
    public boolean isClient() {
        return false;
    }

    @Override
    public List<String> cipherSuites() {
        return current.get().cipherSuites();
    }

    @Override
    @SuppressWarnings("deprecation")
    public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
        return current.get().applicationProtocolNegotiator();
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc) {
        return current.get().newEngine(alloc);
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
        return current.get().newEngine(alloc, peerHost, peerPort);
    }

    @Override
    public SSLSessionContext sessionContext() {
        return current.get().sessionContext();
    }
}
