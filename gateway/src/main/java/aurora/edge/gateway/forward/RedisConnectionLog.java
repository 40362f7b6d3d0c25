package aurora.edge.gateway.forward;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import java.net.SocketAddress;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs the Redis connection going down and coming back, once per transition. */
final class RedisConnectionLog implements RedisConnectionStateListener {
    private static final Logger log = LoggerFactory.getLogger(RedisStreamSink.class);

    private final String maskedUri;
    private final BooleanSupplier closing;

    RedisConnectionLog(String maskedUri, BooleanSupplier closing) {
        this.maskedUri = maskedUri;
        this.closing = closing;
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
        log.info("redis sink connection up uri={} remote={}", maskedUri, socketAddress);
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        if (closing.getAsBoolean()) {
            return;
        }
        log.warn("redis sink connection down uri={} (commands are rejected until lettuce reconnects)", maskedUri);
    }
}
