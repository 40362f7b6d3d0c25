package aurora.edge.gateway.broker;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands tasks to Netty event loops with one {@code execute} per loop for a run of tasks, not one per
 * task. A group commit settles the PUBACKs of all its messages on the outbox writer thread in a row;
 * handing each over on its own woke the connection's event loop (a selector wake-up, a syscall) once
 * per message. Here the first task of a run queues a drain on its loop and the rest join it, so a
 * commit of n messages costs each loop at most one wake-up. Order per loop is kept (one FIFO queue
 * per loop), so the PUBACKs of one connection still go out in the order they were settled.
 */
final class LoopHandOff {
    private static final Logger log = LoggerFactory.getLogger(LoopHandOff.class);

    private final Map<Executor, Pending> loops = new ConcurrentHashMap<>();

    /** Runs {@code task} on {@code loop}; throws {@link RejectedExecutionException} when the loop is shut down. */
    void execute(Executor loop, Runnable task) {
        loops.computeIfAbsent(loop, Pending::new).add(task);
    }

    /** The tasks waiting for one loop, and whether a drain is already queued there. */
    private static final class Pending implements Runnable {
        private final Executor loop;
        private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean drainQueued = new AtomicBoolean();

        Pending(Executor loop) {
            this.loop = loop;
        }

        void add(Runnable task) {
            tasks.add(task);
            if (drainQueued.compareAndSet(false, true)) {
                try {
                    loop.execute(this);
                } catch (RejectedExecutionException e) {
                    tasks.clear();
                    drainQueued.set(false);
                    throw e;
                }
            }
        }

        /** On the loop: runs everything queued so far; a task added after the flag is cleared queues a new drain. */
        @Override
        public void run() {
            drainQueued.set(false);
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("event loop task failed error={}", e.toString(), e);
                }
            }
        }
    }
}
