package aurora.edge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A device's cell, from fresh to brown-outs to empty; its hostile extras. */
class DeviceLifeTest {
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final FleetCounters counters = new FleetCounters();
    private final AtomicInteger done = new AtomicInteger();
    private ScriptedConnection connection;

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private SimDevice device(SimDevice.Profile profile) {
        SimDevice.Settings settings = new SimDevice.Settings(
                7,
                0,
                256,
                Long.MAX_VALUE,
                new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)),
                60_000_000_000L,
                Long.MAX_VALUE,
                DeviceModel.DEFAULT);
        DeviceLink.Environment env = new DeviceLink.Environment(
                scheduler,
                new ConnectGate(10, scheduler),
                counters,
                new VirtualClock(0, 1, System::nanoTime),
                SimDeviceTest.FIRMWARE,
                done::incrementAndGet);
        SimDevice device = new SimDevice(
                DeviceCredentials.derive(new byte[32], "sim-00003"),
                settings,
                profile,
                env,
                new SplittableRandom(1),
                (c, e) -> connection = new ScriptedConnection(c, e));
        device.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> device.state() == SimDevice.State.ONLINE);
        return device;
    }

    @Test
    void aSmallCellReportsFallingVoltageRaisesBatteryLowThenBrownsOutRebootsAndDies() {
        SimDevice.Profile small = new SimDevice.Profile(3, "aurora-sensor-v1", null, null, 400_000, 0, 0);
        SimDevice device = device(small);
        int wakes = 0;
        while (!device.snapshot().dead() && wakes < 10_000) {
            device.wake();
            wakes++;
        }
        DeviceSnapshot end = device.snapshot();
        assertThat(end.dead()).isTrue();
        assertThat(end.brownOuts()).isPositive();
        assertThat(end.boot()).isEqualTo(7 + end.brownOuts());
        assertThat(counters.devicesBrownedOut.get()).isEqualTo(1);
        assertThat(counters.devicesDead.get()).isEqualTo(1);
        assertThat(done.get()).isEqualTo(1);
        assertThat(connection.published())
                .anySatisfy(p -> assertThat(p.payload()).contains("\"kind\":\"battery\""));
        assertThat(connection.published().get(0).payload()).contains("\"battery_mv\":3000");
        assertThat(device.state()).isEqualTo(SimDevice.State.CLOSED);
    }

    @Test
    void aSeqGapDeviceSkipsASeqEveryFewMessagesAndARewindDeviceRepeatsAnOldOneWithOtherReadings() {
        SimDevice gap = device(new SimDevice.Profile(
                3, "aurora-sensor-v1", HostileRule.share(Behaviour.SEQ_GAP, 0).every(2), null, 1e9, 0, 0));
        for (int i = 0; i < 4; i++) {
            gap.wake();
        }
        assertThat(connection.publishedSeqs()).containsExactly(1L, 3L, 4L, 6L);

        SimDevice rewind = device(new SimDevice.Profile(
                3,
                "aurora-sensor-v1",
                HostileRule.share(Behaviour.SEQ_REWIND, 0).every(3),
                null,
                1e9,
                0,
                0));
        for (int i = 0; i < 3; i++) {
            rewind.wake();
        }
        assertThat(connection.publishedSeqs()).containsExactly(1L, 2L, 3L, 2L);
        assertThat(connection.published().get(3).payload())
                .isNotEqualTo(connection.published().get(1).payload());
        assertThat(counters.injectedBy[Behaviour.SEQ_REWIND.ordinal()].sum()).isEqualTo(1);
    }

    @Test
    void spoofingDevicesUseTheVictimsIdInTopicOrPayloadAndForgeItsCommands() {
        for (Behaviour b : new Behaviour[] {
            Behaviour.SPOOFED_TOPIC,
            Behaviour.SPOOFED_PAYLOAD,
            Behaviour.FOREIGN_TOPIC,
            Behaviour.OVERSIZE,
            Behaviour.MALFORMED_JSON,
            Behaviour.REPLAYED_EVIDENCE
        }) {
            SimDevice d = device(new SimDevice.Profile(
                    3, "aurora-sensor-v1", HostileRule.share(b, 0).every(1), "sim-00004", 1e9, 0, 0));
            d.wake();
            ScriptedConnection.Published injected =
                    connection.published().get(connection.published().size() - 1);
            switch (b) {
                case SPOOFED_TOPIC -> assertThat(injected.topic()).isEqualTo("aurora/sensors/sim-00004/telemetry");
                case SPOOFED_PAYLOAD -> assertThat(injected.payload()).contains("\"device_id\":\"sim-00004\"");
                case FOREIGN_TOPIC -> assertThat(injected.topic()).isEqualTo("aurora/command/sim-00004/action");
                case OVERSIZE -> assertThat(injected.payload().length()).isGreaterThan(8192);
                case MALFORMED_JSON -> assertThat(injected.payload()).doesNotEndWith("}");
                default -> assertThat(injected.topic()).isEqualTo("aurora/sensors/sim-00003/attestation");
            }
        }
    }
}
