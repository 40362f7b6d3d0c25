package aurora.edge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectGateTest {
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void neverRunsMoreAttemptsAtOnceThanItsLimitAndRunsTheRestInOrder() {
        ConnectGate gate = new ConnectGate(3, executor);
        List<CompletableFuture<Void>> outcomes = new ArrayList<>();
        List<Integer> started = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            CompletableFuture<Void> outcome = new CompletableFuture<>();
            outcomes.add(outcome);
            int n = i;
            gate.submit(() -> {
                started.add(n);
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                return outcome.whenComplete((r, e) -> running.decrementAndGet());
            });
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> started.size() == 3);
        assertThat(gate.waiting()).isEqualTo(7);
        for (int i = 0; i < 10; i++) {
            int n = i;
            await().atMost(Duration.ofSeconds(5)).until(() -> started.contains(n));
            if (i % 2 == 0) {
                outcomes.get(i).complete(null);
            } else {
                outcomes.get(i).completeExceptionally(new RuntimeException("refused"));
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> gate.inFlight() == 0);
        assertThat(maxRunning.get()).isEqualTo(3);
        assertThat(started).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void anAttemptThatThrowsFreesItsSlot() {
        ConnectGate gate = new ConnectGate(1, executor);
        gate.submit(() -> {
            throw new IllegalStateException("boom");
        });
        AtomicInteger ran = new AtomicInteger();
        gate.submit(() -> {
            ran.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.get() == 1 && gate.inFlight() == 0);
    }
}
