package aurora.edge.gateway.mqttsn;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The session table: sessions by device and by the address they are bound to, how many are bound
 * to each source host (the per-address cap), and which devices are MQTT-SN clients (readable from
 * any thread, for the senders). Everything else is used by the gateway's thread only.
 */
final class SnSessions {
    private final Map<String, SnSession> byDevice = new HashMap<>();
    private final Map<InetSocketAddress, SnSession> byAddress = new HashMap<>();
    private final Map<InetAddress, Integer> perHost = new HashMap<>();
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    @Nullable
    SnSession device(String deviceId) {
        return byDevice.get(deviceId);
    }

    @Nullable
    SnSession at(InetSocketAddress address) {
        return byAddress.get(address);
    }

    /** Whether {@code deviceId} has a session, awake or asleep; any thread. */
    boolean knows(String deviceId) {
        return known.contains(deviceId);
    }

    int size() {
        return byDevice.size();
    }

    int boundTo(InetAddress host) {
        return perHost.getOrDefault(host, 0);
    }

    /** Adds {@code s}, replacing the device's older session; returns the older one (already removed), if any. */
    @Nullable
    SnSession put(SnSession s) {
        SnSession old = remove(s.deviceId);
        byDevice.put(s.deviceId, s);
        known.add(s.deviceId);
        return old;
    }

    /** Binds {@code s} to the address of its peer (the one a PUBLISH or PUBACK comes from). */
    void bind(SnSession s, SnPeer peer) {
        unbind(s);
        s.peer = peer;
        InetSocketAddress address = peer.address();
        SnSession other = byAddress.put(address, s);
        if (other != null && other != s) {
            // One session per source address: a new device behind the same address ends the older one.
            byDevice.remove(other.deviceId, other);
            known.remove(other.deviceId);
            other.peer = DetachedPeer.of(other.sleptFrom);
            perHost.merge(address.getAddress(), -1, Integer::sum);
        }
        perHost.merge(address.getAddress(), 1, Integer::sum);
    }

    @Nullable
    SnSession remove(String deviceId) {
        SnSession s = byDevice.remove(deviceId);
        if (s != null) {
            unbind(s);
            known.remove(deviceId);
        }
        return s;
    }

    private void unbind(SnSession s) {
        InetSocketAddress address = s.peer.address();
        if (!address.isUnresolved() && byAddress.remove(address, s)) {
            perHost.computeIfPresent(address.getAddress(), (h, n) -> n <= 1 ? null : n - 1);
        }
    }

    List<SnSession> all() {
        return new ArrayList<>(byDevice.values());
    }

    long count(SnSession.State state) {
        return byDevice.values().stream().filter(s -> s.state == state).count();
    }
}
