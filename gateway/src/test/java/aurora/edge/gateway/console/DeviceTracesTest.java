package aurora.edge.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.gateway.device.TraceEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Live traces are bounded in time, length, payload size and number, and cost nothing for a device not traced. */
class DeviceTracesTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private static TraceEvent event(int i) {
        return TraceEvent.message(
                Instant.EPOCH,
                "aurora/sensors/d/telemetry",
                ("{\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                "accepted",
                "trust=trusted");
    }

    @Test
    void aTraceKeepsTheLastEventsForTenMinutesAndThenStopsRecording() {
        DeviceTraces traces = new DeviceTraces(clock);
        assertThat(traces.tracing("d")).isFalse();
        traces.record("d", event(0));
        assertThat(traces.find("d")).isEmpty();

        traces.start("d", "alice");
        for (int i = 1; i <= DeviceTraces.RING + 10; i++) {
            traces.record("d", event(i));
        }
        DeviceTraces.Trace t = traces.find("d").orElseThrow();
        assertThat(t.recorded()).isEqualTo(DeviceTraces.RING + 10);
        assertThat(t.newestFirst()).hasSize(DeviceTraces.RING);
        assertThat(t.newestFirst().get(0).payload()).isEqualTo("{\"seq\":210}");

        now.set(now.get().plus(DeviceTraces.DURATION).plus(Duration.ofMillis(1)));
        assertThat(traces.tracing("d")).isFalse();
        traces.record("d", event(999));
        assertThat(t.recorded()).as("nothing recorded after the ten minutes").isEqualTo(DeviceTraces.RING + 10);
    }

    @Test
    void atMostMaxTracesRunAtOnceAndAFinishedOneGivesItsPlace() {
        DeviceTraces traces = new DeviceTraces(clock);
        for (int i = 0; i < DeviceTraces.MAX_TRACES; i++) {
            assertThat(traces.start("d" + i, "alice")).isInstanceOf(DeviceTraces.Start.Started.class);
        }
        assertThat(traces.start("one-more", "alice")).isInstanceOf(DeviceTraces.Start.Full.class);
        assertThat(traces.start("d3", "bob"))
                .as("restarting a running one is fine")
                .isInstanceOf(DeviceTraces.Start.Started.class);
        now.set(now.get().plus(DeviceTraces.DURATION));
        assertThat(traces.start("one-more", "alice")).isInstanceOf(DeviceTraces.Start.Started.class);
    }

    @Test
    void aPayloadIsCutAndMadePrintable() {
        byte[] big = ("{\"x\":\"" + "a".repeat(5000) + "\u0001\"}").getBytes(StandardCharsets.UTF_8);
        TraceEvent e = TraceEvent.message(Instant.EPOCH, "t", big, "rejected", "PAYLOAD_TOO_LARGE");
        assertThat(e.payload()).hasSize(TraceEvent.MAX_PAYLOAD_CHARS + 1).endsWith("…");
        assertThat(TraceEvent.message(
                                Instant.EPOCH, "t", "a\u0000b\nc".getBytes(StandardCharsets.UTF_8), "accepted", "")
                        .payload())
                .isEqualTo("a?b?c");
    }
}
