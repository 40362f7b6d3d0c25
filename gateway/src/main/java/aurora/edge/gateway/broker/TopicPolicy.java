package aurora.edge.gateway.broker;

import aurora.edge.gateway.audit.RejectionReporter;
import aurora.edge.gateway.device.DeviceTopic;
import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.device.RelayBindings;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confines each device to its own topics: it publishes only to {@code aurora/sensors/{its id}/...}
 * (and its {@code aurora/attestation/{its id}/response}) and subscribes only to
 * {@code aurora/command/{its id}/...} and {@code aurora/attestation/{its id}/request}, compared
 * exactly, so a wildcard spanning devices is refused. A relay may also publish on the device topics
 * of the devices bound to it and subscribe to their command topics ({@link RelayBindings}); a relay
 * reaching for any other device is refused as {@link Rejection#RELAY_NOT_BOUND}. Runs on Moquette's
 * session loops: never blocks, never throws.
 */
final class TopicPolicy implements IAuthorizatorPolicy {
    private static final Logger log = LoggerFactory.getLogger(TopicPolicy.class);

    private final RejectionReporter rejections;
    private final RelayBindings relays;

    TopicPolicy(RejectionReporter rejections, RelayBindings relays) {
        this.rejections = rejections;
        this.relays = relays;
    }

    @Override
    public boolean canWrite(Topic topic, String user, String client) {
        try {
            String name = topic.toString();
            var parsed = DeviceTopic.parse(name);
            if (parsed.isEmpty()) {
                rejections.reject(Rejection.TOPIC_UNKNOWN, client, "topic=" + name);
                return false;
            }
            String owner = parsed.get().deviceId();
            if (client == null || !client.equals(user)) {
                rejections.reject(Rejection.TOPIC_NOT_OWNED, client, "topic=" + name);
                return false;
            }
            if (owner.equals(client) || relays.isBound(client, owner)) {
                return true;
            }
            rejections.reject(
                    relays.isRelay(client) ? Rejection.RELAY_NOT_BOUND : Rejection.TOPIC_NOT_OWNED,
                    client,
                    "topic=" + name);
            return false;
        } catch (Throwable t) {
            log.error("publish authorisation failed, denying client_id={} error={}", client, t.toString());
            return false;
        }
    }

    @Override
    public boolean canRead(Topic topic, String user, String client) {
        try {
            String filter = topic.toString();
            if (client != null && client.equals(user) && DeviceTopic.isOwnCommandFilter(filter, client)) {
                return true;
            }
            String child = client == null ? null : DeviceTopic.commandFilterOwner(filter);
            if (child != null && client.equals(user) && relays.isBound(client, child)) {
                return true; // a relay listens for its bound child: acks, challenges, commands
            }
            boolean relay = client != null && relays.isRelay(client) && child != null;
            rejections.reject(
                    relay ? Rejection.RELAY_NOT_BOUND : Rejection.SUBSCRIPTION_NOT_OWNED, client, "filter=" + filter);
            return false;
        } catch (Throwable t) {
            log.error("subscribe authorisation failed, denying client_id={} error={}", client, t.toString());
            return false;
        }
    }
}
