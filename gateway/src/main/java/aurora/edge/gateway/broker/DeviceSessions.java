package aurora.edge.gateway.broker;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Which devices can receive a message right now: connected, and subscribed to a filter that matches
 * the topic. A message published to a device that is not listening is lost with a clean session,
 * so the gateway's queued messages for sleepy devices (SOC commands) wait until this says yes.
 * Updated from the broker's interceptor; read from any thread.
 */
public final class DeviceSessions {
    private final Map<String, Set<String>> filtersByDevice = new ConcurrentHashMap<>();

    /**
     * Whether {@code deviceId} is connected and subscribed to a filter matching {@code topic}, or its
     * relay is: {@code topic} is one of the device's own, and {@link TopicPolicy} lets no one but the
     * device and a relay it is bound to subscribe to those, so any session listening on it is one of them.
     */
    public boolean reaches(String deviceId, String topic) {
        if (listens(filtersByDevice.get(deviceId), topic)) {
            return true;
        }
        for (Set<String> filters : filtersByDevice.values()) {
            if (listens(filters, topic)) {
                return true;
            }
        }
        return false;
    }

    private static boolean listens(@Nullable Set<String> filters, String topic) {
        if (filters == null) {
            return false;
        }
        for (String f : filters) {
            if (matches(f, topic)) {
                return true;
            }
        }
        return false;
    }

    void connected(String deviceId) {
        filtersByDevice.put(deviceId, ConcurrentHashMap.newKeySet());
    }

    void subscribed(String deviceId, String filter) {
        filtersByDevice
                .computeIfAbsent(deviceId, d -> ConcurrentHashMap.newKeySet())
                .add(filter);
    }

    void unsubscribed(String deviceId, String filter) {
        Set<String> filters = filtersByDevice.get(deviceId);
        if (filters != null) {
            filters.remove(filter);
        }
    }

    void disconnected(String deviceId) {
        filtersByDevice.remove(deviceId);
    }

    /** MQTT filter matching: {@code +} is one level, a trailing {@code #} is any rest. */
    static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return i == f.length - 1;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
