package aurora.edge.gateway.broker;

import aurora.edge.gateway.broker.ConnectionLimits.Refusal;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.concurrent.BlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * The depth of Moquette's internal queues: the interceptor queue (unbounded in 0.17, so the gateway
 * bounds it by refusing publishes while it is over {@code mqtt.max_interceptor_backlog}) and the
 * session loops' command queues (bounded by {@code mqtt.session_queue_size}; when one is full
 * Moquette silently drops the command, so the gateway refuses publishes once one is 90% full).
 */
final class BrokerBacklog {
    private final BlockingQueue<Runnable> interceptor;
    private final Collection<BlockingQueue<?>> sessions;
    private final int maxInterceptor;
    private final int maxSession;

    BrokerBacklog(
            BlockingQueue<Runnable> interceptor,
            Collection<BlockingQueue<?>> sessions,
            int maxInterceptor,
            int sessionQueueSize,
            MeterRegistry registry) {
        this.interceptor = interceptor;
        this.sessions = sessions;
        this.maxInterceptor = maxInterceptor;
        this.maxSession = Math.max(1, sessionQueueSize * 9 / 10);
        Gauge.builder("aurora_mqtt_interceptor_backlog", interceptor, BlockingQueue::size)
                .description("broker events waiting for the intake thread")
                .register(registry);
        Gauge.builder("aurora_mqtt_session_queue_max_depth", this, BrokerBacklog::deepestSessionQueue)
                .description("commands waiting in the fullest broker session loop")
                .register(registry);
    }

    /** Null while publishes may go on; otherwise the queue that is over its bound. */
    @Nullable
    Refusal overloaded() {
        if (interceptor.size() >= maxInterceptor) {
            return Refusal.INTERCEPTOR_BACKLOG;
        }
        if (deepestSessionQueue() >= maxSession) {
            return Refusal.SESSION_QUEUE_BACKLOG;
        }
        return null;
    }

    private int deepestSessionQueue() {
        int deepest = 0;
        for (BlockingQueue<?> q : sessions) {
            deepest = Math.max(deepest, q.size());
        }
        return deepest;
    }
}
