package aurora.edge.gateway.broker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * How many MQTT connections the gateway holds, in total and, per source address, before they
 * authenticate; and why it turned connections away. Thread-safe: every Netty IO thread calls it.
 */
final class ConnectionLimits {
    /** Why a connection or packet was refused before Moquette saw it; the {@code reason} tag of the metric. */
    enum Refusal {
        MAX_CONNECTIONS,
        PENDING_PER_ADDRESS,
        CONNECT_DEADLINE,
        CONNECT_TOO_LARGE,
        NOT_CONNECT_FIRST,
        SECOND_CONNECT,
        QOS2,
        INTERCEPTOR_BACKLOG,
        SESSION_QUEUE_BACKLOG,
        PUBACKS_OWED,
        NOT_STORED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final int maxConnections;
    private final int maxPendingPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger pendingTotal = new AtomicInteger();
    private final Map<InetAddress, Integer> pending = new ConcurrentHashMap<>();
    private final Map<Refusal, Counter> refused = new java.util.EnumMap<>(Refusal.class);

    ConnectionLimits(int maxConnections, int maxPendingPerAddress, MeterRegistry registry) {
        if (maxConnections < 1 || maxPendingPerAddress < 1) {
            throw new IllegalArgumentException("limits must be >= 1, found max_connections=" + maxConnections
                    + " max_pending_per_address=" + maxPendingPerAddress);
        }
        this.maxConnections = maxConnections;
        this.maxPendingPerAddress = maxPendingPerAddress;
        for (Refusal r : Refusal.values()) {
            refused.put(
                    r,
                    Counter.builder("aurora_mqtt_refused")
                            .description("connections and packets turned away before the broker, by reason")
                            .tag("reason", r.tag())
                            .register(registry));
        }
        Gauge.builder("aurora_mqtt_connections", open, AtomicInteger::get)
                .description("open MQTT connections")
                .register(registry);
        Gauge.builder("aurora_mqtt_connections_unauthenticated", pendingTotal, AtomicInteger::get)
                .description("open MQTT connections that have not authenticated yet")
                .register(registry);
    }

    /** Takes a slot for a new connection from {@code address}; null when it must be refused (the reason is counted). */
    @Nullable
    Refusal admit(InetAddress address) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return count(Refusal.MAX_CONNECTIONS);
        }
        int fromThere = pending.merge(address, 1, Integer::sum);
        if (fromThere > maxPendingPerAddress) {
            release(address);
            open.decrementAndGet();
            return count(Refusal.PENDING_PER_ADDRESS);
        }
        pendingTotal.incrementAndGet();
        return null;
    }

    void authenticated(InetAddress address) {
        release(address);
        pendingTotal.decrementAndGet();
    }

    void closed(InetAddress address, boolean wasPending) {
        if (wasPending) {
            authenticated(address);
        }
        open.decrementAndGet();
    }

    Refusal count(Refusal refusal) {
        Objects.requireNonNull(refused.get(refusal)).increment();
        return refusal;
    }

    private void release(InetAddress address) {
        pending.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }
}
