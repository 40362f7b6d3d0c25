package aurora.edge.sim;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Caps the CONNECT attempts in flight across a fleet, so 10,000 devices starting (or coming back after a broker
 * restart) queue up instead of storming the broker. Attempts run on the executor in submission order; a slot frees
 * when the attempt's future completes, whatever the outcome.
 */
final class ConnectGate {
    private final int limit;
    private final Executor executor;
    private final ArrayDeque<Supplier<? extends CompletionStage<?>>> waiting = new ArrayDeque<>();
    private int inFlight;

    ConnectGate(int limit, Executor executor) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, found: " + limit);
        }
        this.limit = limit;
        this.executor = executor;
    }

    void submit(Supplier<? extends CompletionStage<?>> attempt) {
        synchronized (this) {
            if (inFlight >= limit) {
                waiting.addLast(attempt);
                return;
            }
            inFlight++;
        }
        start(attempt);
    }

    synchronized int inFlight() {
        return inFlight;
    }

    synchronized int waiting() {
        return waiting.size();
    }

    private void start(Supplier<? extends CompletionStage<?>> attempt) {
        try {
            executor.execute(() -> run(attempt));
        } catch (RejectedExecutionException e) {
            synchronized (this) { // the fleet is shutting down: nothing queued will run
                waiting.clear();
                inFlight--;
            }
        }
    }

    private void run(Supplier<? extends CompletionStage<?>> attempt) {
        CompletionStage<?> outcome;
        try {
            outcome = attempt.get();
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((result, error) -> release());
    }

    private void release() {
        Supplier<? extends CompletionStage<?>> next;
        synchronized (this) {
            next = waiting.pollFirst();
            if (next == null) {
                inFlight--;
                return;
            }
        }
        start(next);
    }
}
