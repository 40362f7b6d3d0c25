package aurora.edge.gateway.mqttsn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The way back to children a relay carries (MQTT-SN forwarder encapsulation): a child bound to a
 * relay and last heard through it gets its messages wrapped for its node id and sent to that
 * relay's association. Each route is a session of its own ({@link SnSession} with a
 * {@link RelayedPeer}), so QoS 1 messages to it are queued, retried and PUBACKed exactly as for a
 * device of its own. The relay holds its children's sleep (it answers their DISCONNECT and PINGREQ
 * itself), so a route is always awake and the relay buffers for a sleeping child.
 *
 * <p>A route is used only while its relay is still bound to the child and not revoked: it is
 * checked at every send, and a route that fails it is forgotten. Used by the gateway's thread,
 * except {@link #reaches}, which any thread may ask.
 */
final class RelayRoutes {
    private final RelayedIntake relays;
    private final Predicate<String> revoked;
    private final Map<String, SnSession> byChild = new HashMap<>();
    /** Child → its relay, readable from any thread (the senders ask before queueing). */
    private final Map<String, String> relayOf = new ConcurrentHashMap<>();

    RelayRoutes(RelayedIntake relays, Predicate<String> revoked) {
        this.relays = relays;
        this.revoked = revoked;
    }

    /** Whether a message for {@code childId} goes through a relay it is still bound to; any thread. */
    boolean reaches(String childId) {
        String relayId = relayOf.get(childId);
        return relayId != null && usable(relayId, childId);
    }

    /**
     * {@code childId} was heard through {@code via}: the route to it from now on. Returns the
     * child's session when the route is new or changed, or something for it ran out of retries (its
     * queue is then sent again), else null.
     */
    @Nullable
    SnSession heard(String childId, RelayedPeer via, long nowMillis) {
        SnSession s = byChild.get(childId);
        if (s != null && s.peer instanceof RelayedPeer known && known.sameRoute(via)) {
            s.lastHeardMillis = nowMillis;
            return s.waitsForWake ? s : null; // heard again: like a wake, what gave up is sent again
        }
        if (s == null) {
            s = new SnSession(childId, via, SnSession.addressText(via.address()), Long.MAX_VALUE, nowMillis);
            byChild.put(childId, s);
        } else {
            s.peer = via;
            s.lastHeardMillis = nowMillis;
        }
        relayOf.put(childId, via.relayId());
        return s;
    }

    /** The child's route when its relay may still carry it; a route that may not is forgotten. */
    @Nullable
    SnSession route(String childId) {
        SnSession s = byChild.get(childId);
        if (s == null) {
            return null;
        }
        String relayId = ((RelayedPeer) s.peer).relayId();
        if (!usable(relayId, childId)) {
            forget(childId);
            return null;
        }
        return s;
    }

    /** The route to {@code childId} if it goes through {@code relayId} (whose PUBACK for the child this is). */
    @Nullable
    SnSession routeThrough(String relayId, String childId) {
        SnSession s = route(childId);
        return s != null && ((RelayedPeer) s.peer).relayId().equals(relayId) ? s : null;
    }

    /** The child now speaks for itself (its own CONNECT): messages go to its own session. */
    void forget(String childId) {
        byChild.remove(childId);
        relayOf.remove(childId);
    }

    /** Every usable route (for retries); unusable ones are forgotten on the way. */
    List<SnSession> all() {
        List<SnSession> out = new ArrayList<>();
        for (String childId : List.copyOf(byChild.keySet())) {
            SnSession s = route(childId);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private boolean usable(String relayId, String childId) {
        return relays.isBound(relayId, childId) && !revoked.test(relayId);
    }
}
