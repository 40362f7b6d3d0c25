package aurora.edge.gateway.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import aurora.edge.gateway.outbox.Watermark;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AckPublisherTest {
    /** Flushes only when the test says so. */
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> published = new ArrayList<>();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
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
