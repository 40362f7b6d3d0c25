package aurora.edge.gateway.device;

import java.util.Optional;

/**
 * Which devices a relay (an aggregating gateway: a BLE gateway, a serial bridge) may speak for. A
 * child is bound to at most one relay, by the endorsement list ({@code "relay"} on the child's
 * entry) or by an operator ({@code devices bind CHILD --relay RELAY}); relays do not chain. Answers
 * from memory, without blocking: every relayed message asks.
 */
public interface RelayBindings {
    /** Whether {@code childId} is bound to {@code relayId} (false for a device asking about itself). */
    boolean isBound(String relayId, String childId);

    /** The relay {@code childId} is bound to, if any. */
    Optional<String> relayOf(String childId);

    /**
     * Whether {@code deviceId} has the role relay: endorsed with {@code "role": "relay"}, or named
     * as the relay of a child by an operator binding.
     */
    boolean isRelay(String deviceId);

    /** No relays at all. */
    RelayBindings NONE = new RelayBindings() {
        @Override
        public boolean isBound(String relayId, String childId) {
            return false;
        }

        @Override
        public Optional<String> relayOf(String childId) {
            return Optional.empty();
        }

        @Override
        public boolean isRelay(String deviceId) {
            return false;
        }
    };
}
