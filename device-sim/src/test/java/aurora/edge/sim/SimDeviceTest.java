package aurora.edge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.attestation.EvidenceLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimDeviceTest {
    private static final byte[] KEY = new byte[32];
    private static final long BOOT = 7;
    private static final long NOW = 1_700_000_000_000L;
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Backoff FAST = new Backoff(Duration.ofMillis(1), Duration.ofMillis(5));

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final FleetCounters counters = new FleetCounters();
    private final AtomicInteger doneProducing = new AtomicInteger();
    private ScriptedConnection connection;

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    static final Firmware FIRMWARE = new Firmware();
    /** Wakes every simulated second; commands wait for the next 10 ms poll. */
    static final long INTERVAL = 1_000_000_000L;

    private SimDevice device(double alertShare, int ring, long maxMessages) {
        return device(alertShare, ring, maxMessages, SimDevice.Profile.honest(0));
    }

    private SimDevice device(double alertShare, int ring, long maxMessages, SimDevice.Profile profile) {
        return device(alertShare, ring, maxMessages, profile, EvidenceLayout.AURORA_V1);
    }

    private SimDevice device(
            double alertShare, int ring, long maxMessages, SimDevice.Profile profile, EvidenceLayout protocol) {
        SimDevice.Settings settings = new SimDevice.Settings(
                BOOT,
                alertShare,
                ring,
                maxMessages,
                FAST,
                INTERVAL,
                Long.MAX_VALUE,
                DeviceModel.DEFAULT.withPollInterval(Duration.ofMillis(10)),
                protocol);
        DeviceLink.Environment env = new DeviceLink.Environment(
                scheduler,
                new ConnectGate(10, scheduler),
                counters,
                new VirtualClock(NOW, 1, System::nanoTime),
                FIRMWARE,
                doneProducing::incrementAndGet);
        return new SimDevice(
                DeviceCredentials.derive(KEY, "sim-00000"),
                settings,
                profile,
                env,
                new SplittableRandom(1),
                (credentials, events) -> connection = new ScriptedConnection(credentials, events));
    }

    private SimDevice device() {
        return device(0.0, 256, Long.MAX_VALUE);
    }

    private void startAndAwaitOnline(SimDevice device) {
        device.start();
        awaitOnline(device);
    }

    private static void awaitOnline(SimDevice device) {
        await().atMost(WAIT).until(() -> device.state() == SimDevice.State.ONLINE);
    }

    private static void wake(SimDevice device, int times) {
        for (int i = 0; i < times; i++) {
            device.wake();
        }
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void queuesWhileOfflineThenSubscribesAndPublishesInOrderOnceConnected() {
        SimDevice device = device();
        wake(device, 3);
        assertThat(connection.published()).isEmpty();
        assertThat(counters.unacked.sum()).isEqualTo(3);
        assertThat(counters.sent.sum()).isZero();

        startAndAwaitOnline(device);

        assertThat(connection.subscriptions())
                .containsExactly(List.of("aurora/command/sim-00000/ack", "aurora/command/sim-00000/action"));
        assertThat(connection.publishedSeqs()).containsExactly(1L, 2L, 3L);
        assertThat(counters.sent.sum()).isEqualTo(3);
        assertThat(counters.connected.get()).isEqualTo(1);
    }

    @Test
    void publishesEachNewMessageAtOnceWhileOnlineWithBootSeqAndSimulatedSampleTime() {
        SimDevice device = device();
        startAndAwaitOnline(device);
        wake(device, 2);
        assertThat(connection.published()).hasSize(2).allSatisfy(p -> {
            assertThat(p.topic()).isEqualTo("aurora/sensors/sim-00000/telemetry");
            assertThat(p.payload()).contains("\"boot\":7,", "\"fw\":\"1.2.0\"");
        });
        assertThat(connection.published().get(0).payload()).contains("\"ts\":" + NOW + ",");
        assertThat(connection.published().get(1).payload()).contains("\"ts\":" + (NOW + 1000) + ",");
        assertThat(connection.publishedSeqs()).containsExactly(1L, 2L);
    }

    @Test
    void alertShareMakesEveryNthMessageAnAlertOnTheAlertsTopic() {
        SimDevice device = device(0.25, 256, Long.MAX_VALUE);
        startAndAwaitOnline(device);
        wake(device, 40);
        List<ScriptedConnection.Published> alerts = connection.published().stream()
                .filter(p -> p.topic().equals("aurora/sensors/sim-00000/alerts"))
                .toList();
        assertThat(alerts).hasSize(10).allSatisfy(p -> assertThat(p.payload()).contains("\"severity\":", "\"kind\":"));
        for (int i = 1; i < alerts.size(); i++) {
            assertThat(alerts.get(i).seq() - alerts.get(i - 1).seq()).isEqualTo(4);
        }
    }

    @Test
    void ackRemovesMessagesThroughTheWatermarkOfTheCurrentBootOnly() {
        SimDevice device = device();
        startAndAwaitOnline(device);
        wake(device, 5);

        device.messageArrived("aurora/command/sim-00000/ack", json("{\"boot\":7,\"seq\":3}"));
        assertThat(device.unackedCount()).isEqualTo(2);
        assertThat(counters.acked.sum()).isEqualTo(3);
        assertThat(counters.unacked.sum()).isEqualTo(2);

        device.messageArrived("aurora/command/sim-00000/ack", json("{\"boot\":6,\"seq\":5}"));
        device.messageArrived("aurora/command/sim-00000/ack", json("{\"boot\":7,\"seq\":2}"));
        assertThat(device.unackedCount()).isEqualTo(2);

        device.messageArrived("aurora/command/sim-00000/ack", json("{\"seq\":5}"));
        assertThat(counters.malformedAcks.sum()).isEqualTo(1);
        assertThat(device.unackedCount()).isEqualTo(2);
    }

    @Test
    void afterAReconnectResendsInOrderExactlyWhatIsAboveTheWatermark() {
        SimDevice device = device();
        startAndAwaitOnline(device);
        wake(device, 5);
        device.messageArrived("aurora/command/sim-00000/ack", json("{\"boot\":7,\"seq\":2}"));
        List<ScriptedConnection.Published> firstCopies = connection.published();

        connection.drop();
        wake(device, 1); // produced while offline: queued, not published
        awaitOnline(device);

        List<ScriptedConnection.Published> afterReconnect = connection
                .published()
                .subList(firstCopies.size(), connection.published().size());
        assertThat(afterReconnect.stream().map(ScriptedConnection.Published::seq))
                .containsExactly(3L, 4L, 5L, 6L);
        assertThat(afterReconnect.subList(0, 3))
                .as("a resend is the same message, same ts")
                .containsExactlyElementsOf(firstCopies.subList(2, 5));
        assertThat(counters.resent.sum()).isEqualTo(3);
        assertThat(counters.sent.sum()).isEqualTo(6);
        assertThat(counters.connectionLosses.sum()).isEqualTo(1);
        assertThat(connection.connects()).isEqualTo(2);
        assertThat(connection.subscriptions()).hasSize(2);
        assertThat(counters.connected.get()).isEqualTo(1);
    }

    @Test
    void aFullRingDropsTheOldestCountsItAndNeverSendsIt() {
        SimDevice device = device(0.0, 3, Long.MAX_VALUE);
        wake(device, 5);
        assertThat(counters.dropped.sum()).isEqualTo(2);
        assertThat(counters.unacked.sum()).isEqualTo(3);

        startAndAwaitOnline(device);

        assertThat(connection.publishedSeqs()).containsExactly(3L, 4L, 5L);
        List<String> ids = new ArrayList<>();
        device.forEachSentId(ids::add);
        assertThat(ids).containsExactly("sim-00000:7:3", "sim-00000:7:4", "sim-00000:7:5");
    }

    @Test
    void stopsProducingAfterMaxMessagesAndSaysSoOnce() {
        SimDevice device = device(0.0, 256, 3);
        startAndAwaitOnline(device);
        wake(device, 5);
        assertThat(connection.publishedSeqs()).containsExactly(1L, 2L, 3L);
        assertThat(device.lastSeq()).isEqualTo(3);
        assertThat(doneProducing.get()).isEqualTo(1);
    }

    @Test
    void stopProducingEndsNewMessagesButNotAcks() {
        SimDevice device = device();
        startAndAwaitOnline(device);
        wake(device, 2);
        device.stopProducing();
        wake(device, 2);
        assertThat(device.lastSeq()).isEqualTo(2);
        device.messageArrived("aurora/command/sim-00000/ack", json("{\"boot\":7,\"seq\":2}"));
        assertThat(counters.unacked.sum()).isZero();
    }

    @Test
    void aFailedConnectIsRetriedWithBackoff() {
        SimDevice device = device();
        device.start(); // creates the connection, whose first attempt succeeds unless scripted before
        awaitOnline(device);
        connection.nextConnect(CompletableFuture.failedFuture(new java.net.ConnectException("refused")));
        connection.nextConnect(CompletableFuture.failedFuture(new java.net.ConnectException("refused")));
        connection.drop();
        awaitOnline(device);
        assertThat(counters.connectFailures.sum()).isEqualTo(2);
        assertThat(counters.connects.sum()).isEqualTo(2);
        assertThat(connection.connects()).isEqualTo(4);
    }

    @Test
    void aRefusedSubscriptionDisconnectsAndRetries() {
        SimDevice device = device();
        wake(device, 1);
        connection.nextSubscribeFails(new IllegalStateException("SUBACK failure"));
        startAndAwaitOnline(device);
        assertThat(connection.subscriptions()).hasSize(2);
        assertThat(connection.disconnects()).isEqualTo(1);
        assertThat(connection.publishedSeqs()).containsExactly(1L);
    }

    @Test
    void aConnectionLostBeforeConnackIsHandledLeadsToAReconnectNotToOnline() {
        SimDevice device = device();
        CompletableFuture<Boolean> connack = new CompletableFuture<>();
        connection.nextConnect(connack);
        connection.nextConnect(CompletableFuture.completedFuture(true));
        device.start();
        await().atMost(WAIT).until(() -> connection.connects() == 1);
        device.connectionLost(new java.io.IOException("reset right after CONNACK"));
        connack.complete(false);
        awaitOnline(device);
        assertThat(connection.connects()).isEqualTo(2);
        assertThat(counters.connectionLosses.sum()).isEqualTo(1);
        assertThat(counters.connected.get()).isEqualTo(1);
    }

    @Test
    void commandsAreCountedAndUnknownMalformedOrBadAttestOnesRefused() {
        SimDevice device = device();
        startAndAwaitOnline(device);
        device.messageArrived(
                "aurora/command/sim-00000/action",
                json("{\"action\":\"attest\",\"request_id\":\"r1\",\"nonce\":\"bg\",\"expires_in_s\":120}"));
        device.messageArrived("aurora/command/sim-00000/action", json("{\"action\":\"format_flash\"}"));
        device.messageArrived("aurora/command/sim-00000/action", json("[1,2]"));
        assertThat(counters.commandsReceived.sum()).isEqualTo(3);
        await().atMost(WAIT).until(() -> counters.commandsRefused.sum() == 3);
        assertThat(connection.published()).isEmpty();
    }

    @Test
    void asStockAuroraSocFirmwareItSubscribesToItsRequestTopicAnswersThereAndReportsUnasked() {
        SimDevice device = device(0.0, 256, Long.MAX_VALUE, SimDevice.Profile.honest(0), EvidenceLayout.AURORASOC);
        startAndAwaitOnline(device);
        assertThat(connection.subscriptions().get(0)).contains("aurora/attestation/sim-00000/request");

        wake(device, 1);
        assertThat(connection.published()).anySatisfy(p -> {
            assertThat(p.topic()).isEqualTo("aurora/sensors/sim-00000/telemetry");
            assertThat(p.payload())
                    .contains(
                            "\"device_type\":\"environmental_sentinel\"",
                            "\"board_family\":\"aurora-sensor-v1\"",
                            "\"firmware_stack\":\"rust_embassy\"",
                            "\"firmware_version\":")
                    .doesNotContain("\"fw\"");
        });
        assertThat(connection.published()).anySatisfy(p -> {
            assertThat(p.topic()).isEqualTo("aurora/sensors/sim-00000/attestation");
            assertThat(p.payload())
                    .startsWith("{\"device_id\":\"sim-00000\"")
                    .contains("\"boot_count\":7")
                    .doesNotContain("nonce");
        });
        wake(device, 1);
        assertThat(connection.published())
                .filteredOn(p -> p.topic().endsWith("/attestation"))
                .as("one report per 5 minutes")
                .hasSize(1);

        String nonce = "ab".repeat(32);
        device.messageArrived(
                "aurora/attestation/sim-00000/request",
                json("{\"nonce\":\"" + nonce + "\",\"request_id\":\"r1\",\"expires_in_s\":120}"));
        await().atMost(WAIT)
                .until(() -> connection.published().stream()
                        .anyMatch(p -> p.topic().equals("aurora/attestation/sim-00000/response")));
        assertThat(connection.published())
                .filteredOn(p -> p.topic().equals("aurora/attestation/sim-00000/response"))
                .singleElement()
                .satisfies(
                        p -> assertThat(p.payload()).contains("\"nonce\":\"" + nonce + "\"", "\"signature_hex\":\"30"));
        assertThat(counters.attestationsAnswered.sum()).isEqualTo(1);
    }

    @Test
    void rebootRaisesTheBootCountRestartsSeqAndLosesTheRing() {
        SimDevice device = device();
        startAndAwaitOnline(device);
        wake(device, 3);
        device.messageArrived("aurora/command/sim-00000/action", json("{\"action\":\"reboot\"}"));
        await().atMost(WAIT).until(() -> device.boot() == BOOT + 1);
        assertThat(counters.lostOnReboot.sum()).isEqualTo(3);
        awaitOnline(device);
        wake(device, 1);
        assertThat(connection.published().get(connection.published().size() - 1).payload())
                .startsWith("{\"seq\":1,\"boot\":8,");
    }

    @Test
    void isolateSilencesReadingsUntilReleasedAndSetIntervalChangesThePeriod() {
        SimDevice device = device();
        startAndAwaitOnline(device);
        device.messageArrived("aurora/command/sim-00000/action", json("{\"action\":\"isolate\"}"));
        device.messageArrived(
                "aurora/command/sim-00000/action", json("{\"action\":\"set_interval\",\"interval_s\":60}"));
        await().atMost(WAIT).until(() -> device.isolated() && device.intervalNanos() == 60_000_000_000L);
        wake(device, 2);
        assertThat(connection.published()).isEmpty();
        device.messageArrived("aurora/command/sim-00000/action", json("{\"action\":\"isolate\",\"enabled\":false}"));
        await().atMost(WAIT).untilAsserted(() -> {
            wake(device, 1);
            assertThat(connection.published()).isNotEmpty();
        });
        assertThat(counters.commandsRefused.sum()).isZero();
    }

    @Test
    void closeDisconnectsAndNothingHappensAfterwards() {
        SimDevice device = device();
        startAndAwaitOnline(device);
        device.close().join();
        wake(device, 1);
        device.connectionLost(new java.io.IOException("late"));
        assertThat(device.state()).isEqualTo(SimDevice.State.CLOSED);
        assertThat(connection.disconnects()).isEqualTo(1);
        assertThat(connection.published()).isEmpty();
        assertThat(counters.connected.get()).isZero();
    }

    @Test
    void sameSeedSameReadings() {
        SimDevice a = device(0.1, 256, Long.MAX_VALUE);
        startAndAwaitOnline(a);
        ScriptedConnection first = connection;
        wake(a, 30);
        SimDevice b = device(0.1, 256, Long.MAX_VALUE);
        startAndAwaitOnline(b);
        wake(b, 30);
        assertThat(connection.published()).isEqualTo(first.published());
    }
}
