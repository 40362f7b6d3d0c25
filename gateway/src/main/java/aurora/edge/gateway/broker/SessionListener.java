package aurora.edge.gateway.broker;

import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptConnectionLostMessage;
import io.moquette.interception.messages.InterceptDisconnectMessage;
import io.moquette.interception.messages.InterceptSubscribeMessage;
import io.moquette.interception.messages.InterceptUnsubscribeMessage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link DeviceSessions} up to date and tells whoever waits for a device that it is listening
 * (it subscribed). Subscriptions reach here only after {@link TopicPolicy} allowed them.
 */
final class SessionListener extends AbstractInterceptHandler {
    private static final Logger log = LoggerFactory.getLogger(SessionListener.class);

    private final DeviceSessions sessions;
    private final Consumer<String> listening;

    SessionListener(DeviceSessions sessions, Consumer<String> listening) {
        this.sessions = sessions;
        this.listening = listening;
    }

    @Override
    public String getID() {
        return "aurora-sessions";
    }

    @Override
    public void onConnect(InterceptConnectMessage msg) {
        sessions.connected(msg.getClientID());
    }

    @Override
    public void onSubscribe(InterceptSubscribeMessage msg) {
        try {
            sessions.subscribed(msg.getClientID(), msg.getTopicFilter());
            listening.accept(msg.getClientID());
        } catch (Throwable t) {
            log.error("subscription notice failed client_id={} error={}", msg.getClientID(), t.toString());
        }
    }

    @Override
    public void onUnsubscribe(InterceptUnsubscribeMessage msg) {
        sessions.unsubscribed(msg.getClientID(), msg.getTopicFilter());
    }

    @Override
    public void onDisconnect(InterceptDisconnectMessage msg) {
        sessions.disconnected(msg.getClientID());
    }

    @Override
    public void onConnectionLost(InterceptConnectionLostMessage msg) {
        sessions.disconnected(msg.getClientID());
    }

    @Override
    public void onSessionLoopError(Throwable error) {
        log.error("broker session loop error error={}", error.toString(), error);
    }
}
