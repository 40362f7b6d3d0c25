package aurora.edge.gateway.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import aurora.edge.gateway.outbox.Watermark;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AckPublisherTest {
    /** Flushes only when the test says so: its one thread is held until the test ends. */
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    private final CountDownLatch held = new CountDownLatch(1);
    /** Runs passes as the gateway's scheduler does. */
    private final ScheduledExecutorService running = Executors.newSingleThreadScheduledExecutor();

    private final List<String> sentLive = new CopyOnWriteArrayList<>();

    @BeforeEach
    void holdTheScheduler() {
        scheduler.execute(() -> {
            try {
                held.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> published = new ArrayList<>();

    @AfterEach
    void stop() {
        held.countDown();
        scheduler.shutdownNow();
        running.shutdownNow();
    }

    private AckPublisher live(Duration interval) {
        return new AckPublisher(
                () -> (topic, payload) -> sentLive.add(topic + " " + new String(payload, StandardCharsets.US_ASCII)),
                running,
                interval,
                meters);
    }

    @Test
    void aCommitIsAckedRightAwayNotAtTheNextInterval() {
        AckPublisher acks = live(Duration.ofHours(1));
        acks.acknowledge(List.of(new Watermark("d1", 1, 1)));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () -> assertThat(sentLive).containsExactly("aurora/command/d1/ack {\"boot\":1,\"seq\":1}"));
    }

    @Test
    void aDeviceAckedInThisIntervalGetsItsNewestWatermarkInTheNext() {
        AckPublisher acks = live(Duration.ofMillis(500));
        acks.acknowledge(List.of(new Watermark("d1", 1, 1)));
        await().atMost(Duration.ofSeconds(5)).until(() -> sentLive.size() == 1);
        acks.acknowledge(List.of(new Watermark("d1", 1, 2)));
        acks.acknowledge(List.of(new Watermark("d1", 1, 3), new Watermark("d2", 1, 9)));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(sentLive).contains("aurora/command/d2/ack {\"boot\":1,\"seq\":9}"));
        assertThat(sentLive).doesNotContain("aurora/command/d1/ack {\"boot\":1,\"seq\":2}");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(sentLive)
                        .containsExactly(
                                "aurora/command/d1/ack {\"boot\":1,\"seq\":1}",
                                "aurora/command/d2/ack {\"boot\":1,\"seq\":9}",
                                "aurora/command/d1/ack {\"boot\":1,\"seq\":3}"));
    }

    @Test
    void anAckTheBrokerRefusesIsRetriedWithoutAnotherCommit() {
        AtomicBoolean accepting = new AtomicBoolean(false);
        AckPublisher acks = new AckPublisher(
                () -> (topic, payload) ->
                        accepting.get() && sentLive.add(topic + " " + new String(payload, StandardCharsets.US_ASCII)),
                running,
                Duration.ofMillis(50),
                meters);
        acks.acknowledge(List.of(new Watermark("d1", 0, 5)));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> meters.get("aurora_acks_failed").counter().count() >= 1);
        accepting.set(true);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () -> assertThat(sentLive).containsExactly("aurora/command/d1/ack {\"boot\":0,\"seq\":5}"));
    }

    private AckPublisher publisher(CommandSender sender) {
        return new AckPublisher(() -> sender, scheduler, Duration.ofHours(1), meters);
    }

    private CommandSender recording(AtomicBoolean accepting) {
        return (topic, payload) -> {
            if (!accepting.get()) {
                return false;
            }
            published.add(topic + " " + new String(payload, StandardCharsets.US_ASCII));
            return true;
        };
    }

    @Test
    void eachDeviceGetsItsNewestWatermarkOnce() {
        AckPublisher acks = publisher(recording(new AtomicBoolean(true)));
        acks.acknowledge(List.of(
                new Watermark("d1", 1, 1),
                new Watermark("d1", 1, 3),
                new Watermark("d1", 1, 2),
                new Watermark("d2", 4, 7)));
        acks.flush();
        acks.flush();
        assertThat(published)
                .containsExactlyInAnyOrder(
                        "aurora/command/d1/ack {\"boot\":1,\"seq\":3}", "aurora/command/d2/ack {\"boot\":4,\"seq\":7}");
    }

    @Test
    void aRefusedAckIsSentOnTheNextPass() {
        AtomicBoolean accepting = new AtomicBoolean(false);
        AckPublisher acks = publisher(recording(accepting));
        acks.acknowledge(List.of(new Watermark("d1", 0, 5)));
        acks.flush();
        assertThat(published).isEmpty();
        accepting.set(true);
        acks.flush();
        assertThat(published).containsExactly("aurora/command/d1/ack {\"boot\":0,\"seq\":5}");
        assertThat(meters.get("aurora_acks_failed").counter().count()).isEqualTo(1);
    }

    @Test
    void closingWhileTheBrokerRefusesEverythingEndsAfterOnePass() {
        AckPublisher acks = publisher(recording(new AtomicBoolean(false)));
        acks.acknowledge(List.of(new Watermark("d1", 0, 1), new Watermark("d2", 0, 1), new Watermark("d3", 0, 1)));
        assertTimeoutPreemptively(Duration.ofSeconds(10), acks::close);
        assertThat(meters.get("aurora_acks_failed").counter().count()).isEqualTo(3);
    }
}
