package aurora.edge.gateway.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.DevicePosition;
import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.outbox.Outbox;
import aurora.edge.gateway.outbox.OutboxReader;
import aurora.edge.gateway.outbox.OutboxRecord;
import aurora.edge.gateway.outbox.PendingEvent;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.Device;
import aurora.edge.gateway.registry.DeviceRegistry;
import aurora.edge.gateway.registry.RegistrationPolicy;
import aurora.edge.testing.TestDevices;
import aurora.edge.testing.TestOutboxes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay's verdict against intake holding its child's message at the same moment: the interleaving
 * the end-to-end relay tests hit only now and then (a child's data left held after its relay became
 * TRUSTED), pinned down with the fence both sides take.
 */
class HeldDataTest {
    private static final Instant T0 = Instant.parse("2026-12-05T00:00:00Z");

    @TempDir
    Path dir;

    private DeviceRegistry registry;
    private Outbox outbox;
    private TrustFence fence;
    private HeldData held;

    @BeforeEach
    void relayAndBoundChild() {
        registry = new DeviceRegistry(DeviceRegistry.openDatabase(dir.resolve("registry.db")));
        TrustAnchors anchors = new TrustAnchors(
                new GatewayConfig.Attest(
                        RegistrationPolicy.OPEN,
                        null,
                        null,
                        null,
                        null,
                        null,
                        Duration.ofHours(24),
                        Duration.ofHours(1),
                        Duration.ofMinutes(2),
                        3,
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(10),
                        true,
                        1_000,
                        false),
                registry,
                Clock.systemUTC());
        outbox = TestOutboxes.open(dir.resolve("outbox.db"), "gw1", List.of("redis"), 1000, Duration.ofMillis(2));
        fence = new TrustFence();
        held = new HeldData(outbox, true, new SimpleMeterRegistry(), new Relays(anchors, registry), registry, fence);
        registry.save(trusted("child-1"));
        registry.bindToRelay("child-1", "relay-1", "operator", T0);
    }

    @AfterEach
    void close() {
        outbox.close();
        registry.close();
    }

    @Test
    void aChildMessageHeldWhileItsRelaysVerdictIsDecidedIsReleasedByThatVerdict() throws Exception {
        CountDownLatch intakeReadPending = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        // Intake: inside the child's fence it has read the relay as PENDING (not in the registry yet) and holds the
        // message; it claims and queues it only after the verdict below has been given.
        Thread intake = new Thread(() -> fence.locked("child-1", () -> {
            intakeReadPending.countDown();
            awaitQuietly(goOn);
            assertThat(outbox.reserveHeld("child-1", 10)).isTrue();
            assertThat(outbox.offer(heldTelemetry("child-1", 1))).isTrue();
        }));
        intake.start();
        assertThat(intakeReadPending.await(10, TimeUnit.SECONDS)).isTrue();

        Device relay = trusted("relay-1");
        registry.save(relay);
        Thread verdict = new Thread(() -> held.decided(relay));
        verdict.start();
        // The verdict either waits for the child's fence (and then sees the claim) or has already looked and gone.
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        verdict.getState() == Thread.State.BLOCKED || verdict.getState() == Thread.State.TERMINATED);
        goOn.countDown();
        intake.join(10_000);
        verdict.join(10_000);

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(forwardable())
                        .as("the child's message is released by its relay's verdict")
                        .containsExactly("site1:child-1:0:1"));
        assertThat(outbox.heldBy("child-1")).isZero();
    }

    @Test
    void aRelaysVerdictReleasesWhatItsChildHeldBefore() throws Exception {
        assertThat(outbox.reserveHeld("child-1", 10)).isTrue();
        assertThat(outbox.offer(heldTelemetry("child-1", 1))).isTrue();
        assertThat(outbox.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(forwardable()).isEmpty();

        Device relay = trusted("relay-1");
        registry.save(relay);
        held.decided(relay);

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(forwardable()).containsExactly("site1:child-1:0:1"));
    }

    private List<String> forwardable() {
        try (OutboxReader r = outbox.openReader()) {
            return r.after(0, 100).stream().map(OutboxRecord::messageId).toList();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static PendingEvent heldTelemetry(String device, long seq) {
        return PendingEvent.held(
                device,
                Channel.TELEMETRY,
                Severity.INFO,
                new DevicePosition(0, seq),
                Instant.now(),
                id -> ("{\"id\":\"" + id + "\",\"trust\":\"pending\"}").getBytes(StandardCharsets.UTF_8),
                PendingEvent.digestOf(("reading " + seq).getBytes(StandardCharsets.UTF_8)));
    }

    private static Device trusted(String id) {
        return TestDevices.registered(id, T0).withState(AttestationState.TRUSTED, "attested", false, T0);
    }
}
