package aurora.edge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The fleet's bookkeeping, with scripted connections instead of a broker. */
class FleetTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final List<ScriptedConnection> connections = new CopyOnWriteArrayList<>();

    private Fleet start(FleetSpec spec) {
        return Fleet.start(spec, Clock.systemUTC(), (credentials, events) -> {
            ScriptedConnection connection = new ScriptedConnection(credentials, events);
            connections.add(connection);
            return connection;
        });
    }

    private static FleetSpec.Builder spec() {
        return FleetSpec.builder("127.0.0.1", 1883, new byte[32]).idPrefix("t-").boot(9);
    }

    @Test
    void everyDeviceGetsItsOwnDerivedCredentials() {
        try (Fleet fleet = start(spec().deviceCount(3).build())) {
            assertThat(fleet.deviceIds()).containsExactly("t-00000", "t-00001", "t-00002");
            assertThat(connections)
                    .extracting(c -> c.credentials)
                    .containsExactly(
                            DeviceCredentials.derive(new byte[32], "t-00000"),
                            DeviceCredentials.derive(new byte[32], "t-00001"),
                            DeviceCredentials.derive(new byte[32], "t-00002"));
        }
    }

    @Test
    void maxMessagesPerDeviceEndsPublishingAndEveryIdIsAccountedFor() {
        try (Fleet fleet = start(spec().deviceCount(4)
                .messagesPerSecondPerDevice(200)
                .maxMessagesPerDevice(25L)
                .build())) {
            await().atMost(WAIT).until(() -> fleet.publishingStopped().isDone());
            await().atMost(WAIT).until(() -> fleet.stats().sent() == 100);
            FleetStats stats = fleet.stats();
            assertThat(stats.connectedDevices()).isEqualTo(4);
            assertThat(stats.unacked()).isEqualTo(100);
            assertThat(stats.connects()).isEqualTo(4);
            List<String> ids = fleet.sentMessageIds();
            assertThat(ids).hasSize(100).doesNotHaveDuplicates().contains("t-00000:9:1", "t-00003:9:25");
        }
    }

    @Test
    void durationEndsPublishingButDevicesStayConnected() {
        try (Fleet fleet = start(spec().deviceCount(2)
                .messagesPerSecondPerDevice(50)
                .duration(Duration.ofMillis(300))
                .build())) {
            await().atMost(WAIT).until(() -> fleet.publishingStopped().isDone());
            long sent = fleet.stats().sent();
            assertThat(sent).isPositive();
            await().during(Duration.ofMillis(200))
                    .atMost(WAIT)
                    .until(() -> fleet.stats().sent() == sent);
            assertThat(fleet.stats().connectedDevices()).isEqualTo(2);
        }
    }

    @Test
    void stopPublishingStopsNewMessagesAndCloseDisconnectsEveryDevice() {
        Fleet fleet =
                start(spec().deviceCount(5).messagesPerSecondPerDevice(100).build());
        await().atMost(WAIT).until(() -> fleet.stats().sent() >= 20);
        fleet.stopPublishing();
        assertThat(fleet.publishingStopped()).isDone();
        fleet.close();
        fleet.close(); // idempotent
        assertThat(connections).allSatisfy(c -> assertThat(c.disconnects()).isEqualTo(1));
        assertThat(fleet.stats().connectedDevices()).isZero();
    }

    @Test
    void withoutABootInTheSpecTheFleetUsesItsStartSecond() {
        long before = Clock.systemUTC().instant().getEpochSecond();
        try (Fleet fleet = start(FleetSpec.builder("h", 1, new byte[16]).build())) {
            assertThat(fleet.boot()).isBetween(before, before + 60);
        }
    }
}
