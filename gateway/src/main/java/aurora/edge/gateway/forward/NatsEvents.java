package aurora.edge.gateway.forward;

import aurora.edge.gateway.config.Secrets;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jnats' connection and error callbacks for {@link JetStreamSink}: keeps the connected flag, calls
 * back on (re)connect, and logs transitions once and repeated failures at most once per interval
 * (jnats reports DISCONNECTED and the same exception on every reconnect attempt).
 */
final class NatsEvents implements ConnectionListener, ErrorListener {
    private static final Logger log = LoggerFactory.getLogger(JetStreamSink.class);

    private final String maskedUrl;
    private final Runnable onConnected;
    private final Supplier<Connection> current;
    private final BooleanSupplier closing;
    private final LogThrottle disconnects;
    private final LogThrottle errors;
    private volatile boolean connected;

    NatsEvents(
            String maskedUrl,
            Duration quiet,
            Runnable onConnected,
            Supplier<Connection> current,
            BooleanSupplier closing) {
        this.maskedUrl = maskedUrl;
        this.closing = closing;
        this.onConnected = onConnected;
        this.current = current;
        this.disconnects = new LogThrottle(quiet);
        this.errors = new LogThrottle(quiet);
    }

    boolean isConnected() {
        return connected;
    }

    /** The first connect returned; later changes arrive as events. */
    void firstConnected(Connection nc) {
        connected = nc.getStatus() == Connection.Status.CONNECTED;
    }

    void connectFailed(Exception e) {
        errors.maybeLog(suppressed -> log.warn(
                "jetstream sink cannot connect url={} retrying=true suppressed={} error={}",
                maskedUrl,
                suppressed,
                Secrets.maskUserInfo(e.toString())));
    }

    @Override
    @SuppressWarnings("deprecation") // jnats still requires the two-argument form
    public void connectionEvent(Connection conn, Events type) {
        connectionEvent(conn, type, null, null);
    }

    @Override
    public void connectionEvent(
            @Nullable Connection conn, Events type, @Nullable Long time, @Nullable String uriDetails) {
        if (conn == null || conn != current.get() || closing.getAsBoolean()) {
            return; // a failed first attempt, or before the first connect returned (see firstConnected)
        }
        switch (type) {
            case RECONNECTED -> {
                connected = true;
                disconnects.reset();
                errors.reset();
                log.info("jetstream sink reconnected url={}", maskedUrl);
                onConnected.run();
            }
            case DISCONNECTED -> {
                connected = false;
                disconnects.maybeLog(suppressed -> log.warn(
                        "jetstream sink disconnected url={} reconnecting=true suppressed={}", maskedUrl, suppressed));
            }
            case CLOSED -> {
                connected = false;
                log.info("jetstream sink connection closed url={}", maskedUrl);
            }
            default -> {
                // CONNECTED is covered by firstConnected; RESUBSCRIBED, LAME_DUCK, DISCOVERED_SERVERS need nothing
            }
        }
    }

    @Override
    public void errorOccurred(Connection conn, String error) {
        if (closing.getAsBoolean()) {
            return;
        }
        errors.maybeLog(suppressed -> log.warn(
                "jetstream sink server error url={} suppressed={} error={}",
                maskedUrl,
                suppressed,
                Secrets.maskUserInfo(error)));
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
        if (closing.getAsBoolean()) {
            return;
        }
        errors.maybeLog(suppressed -> log.warn(
                "jetstream sink client exception url={} suppressed={} error={}",
                maskedUrl,
                suppressed,
                Secrets.maskUserInfo(exp.toString())));
    }
}
