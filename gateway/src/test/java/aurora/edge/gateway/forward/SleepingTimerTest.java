package aurora.edge.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.util.Timeout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The Redis client's timer fires timeouts at their time, skips cancelled ones, and sleeps while none is due. */
class SleepingTimerTest {
    private final SleepingTimer timer = new SleepingTimer("test-timer");

    @AfterEach
    void stop() {
        timer.stop();
    }

    @Test
    void aTimeoutRunsItsTaskOnceDueAndIsThenExpired() throws Exception {
        CompletableFuture<Timeout> ran = new CompletableFuture<>();
        long started = System.nanoTime();

        Timeout timeout = timer.newTimeout(ran::complete, 50, TimeUnit.MILLISECONDS);

        assertThat(ran.get(5, TimeUnit.SECONDS)).isSameAs(timeout);
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(timeout.isExpired()).isTrue();
        assertThat(timeout.isCancelled()).isFalse();
        assertThat(timeout.timer()).isSameAs(timer);
    }

    @Test
    void aCancelledTimeoutNeverRunsWhileOthersStillDo() throws Exception {
        AtomicInteger cancelledRuns = new AtomicInteger();
        Timeout cancelled = timer.newTimeout(t -> cancelledRuns.incrementAndGet(), 100, TimeUnit.MILLISECONDS);
        CompletableFuture<Timeout> later = new CompletableFuture<>();
        timer.newTimeout(later::complete, 300, TimeUnit.MILLISECONDS);

        assertThat(cancelled.cancel()).isTrue();

        later.get(5, TimeUnit.SECONDS);
        assertThat(cancelledRuns).hasValue(0);
        assertThat(cancelled.isCancelled()).isTrue();
        assertThat(cancelled.isExpired()).isFalse();
    }

    @Test
    void aFailingTaskDoesNotStopTheTimer() throws Exception {
        timer.newTimeout(
                t -> {
                    throw new IllegalStateException("boom");
                },
                0,
                TimeUnit.MILLISECONDS);
        CompletableFuture<Timeout> next = new CompletableFuture<>();

        timer.newTimeout(next::complete, 10, TimeUnit.MILLISECONDS);

        assertThat(next.get(5, TimeUnit.SECONDS).isExpired()).isTrue();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void withNothingDueItsThreadSleepsInsteadOfTickingEveryHundredMilliseconds() throws Exception {
        CompletableFuture<Path> thread = new CompletableFuture<>();
        timer.newTimeout(
                t -> {
                    try {
                        thread.complete(Path.of("/proc/thread-self").toRealPath());
                    } catch (IOException e) {
                        thread.completeExceptionally(e);
                    }
                },
                0,
                TimeUnit.MILLISECONDS);
        Path task = thread.get(5, TimeUnit.SECONDS);
        // A command answered in time cancels its timeout: one pending, then cancelled, as Lettuce does.
        timer.newTimeout(t -> {}, 10, TimeUnit.SECONDS).cancel();
        long before = voluntarySwitches(task);

        // Netty's HashedWheelTimer (Lettuce's default) wakes every 100 ms: 15 times in 1.5 s.
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(3))
                .until(() -> voluntarySwitches(task) - before < 3);
    }

    private static long voluntarySwitches(Path task) throws IOException {
        for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        throw new IllegalStateException("no voluntary_ctxt_switches in " + task);
    }
}
