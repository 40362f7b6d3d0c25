package aurora.edge.gateway.forward;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis client's timer (command timeouts, reconnect delays) on one thread that sleeps until the
 * next timeout is due. Lettuce's default, Netty's {@code HashedWheelTimer}, ticks every 100 ms for
 * ever once used, idle or not: ten wake-ups a second of an idle gateway. The sink has a few hundred
 * timeouts a second at most (one per pipelined call, not per event), which a delay queue handles at
 * no measurable cost, and a timeout fires at its time rather than on the next tick.
 */
final class SleepingTimer implements Timer {
    private static final Logger log = LoggerFactory.getLogger(SleepingTimer.class);

    private final ScheduledThreadPoolExecutor executor;

    SleepingTimer(String threadName) {
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        // A cancelled timeout (every command answered in time) leaves the queue at once instead of at its deadline.
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
        Handle handle = new Handle(Objects.requireNonNull(task, "task"));
        handle.future = executor.schedule(handle, delay, Objects.requireNonNull(unit, "unit"));
        return handle;
    }

    /** Cancels what is pending and ends the thread. The cancelled handles are not listed (no caller reads them). */
    @Override
    public Set<Timeout> stop() {
        executor.shutdownNow();
        return Set.of();
    }

    private final class Handle implements Timeout, Runnable {
        private final TimerTask task;
        private volatile @Nullable ScheduledFuture<?> future;
        private volatile boolean expired;

        Handle(TimerTask task) {
            this.task = task;
        }

        @Override
        public void run() {
            expired = true;
            try {
                task.run(this);
            } catch (Exception e) {
                log.warn("timer task failed task={} error={}", task.getClass().getSimpleName(), e.toString(), e);
            }
        }

        @Override
        public Timer timer() {
            return SleepingTimer.this;
        }

        @Override
        public TimerTask task() {
            return task;
        }

        @Override
        public boolean isExpired() {
            return expired;
        }

        @Override
        public boolean isCancelled() {
            ScheduledFuture<?> f = future;
            return f != null && f.isCancelled();
        }

        @Override
        public boolean cancel() {
            ScheduledFuture<?> f = future;
            return f != null && f.cancel(false);
        }
    }
}
