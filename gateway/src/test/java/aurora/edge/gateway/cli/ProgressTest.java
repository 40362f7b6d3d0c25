package aurora.edge.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress printer of long CLI operations, against a fake clock. */
class ProgressTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private void pass(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutATerminalItPrintsAWholeLineEveryFewSecondsWithRateAndEta() {
        try (Progress p = new Progress("vacuum", 1000, "pages", out, false, clock::get)) {
            pass(Duration.ofSeconds(1));
            p.at(100);
            assertThat(printed()).as("not before the interval").isEmpty();
            pass(Duration.ofSeconds(4));
            p.at(500);
            assertThat(printed()).isEqualTo("vacuum: 500/1000 pages (50%), 100 pages/s, ETA 5s\n");
            pass(Duration.ofSeconds(1));
            p.advance(100);
            assertThat(printed().lines()).hasSize(1);
            pass(Duration.ofSeconds(4));
            p.advance(400);
        }
        assertThat(printed().lines())
                .containsExactly(
                        "vacuum: 500/1000 pages (50%), 100 pages/s, ETA 5s",
                        "vacuum: 1000/1000 pages (100%), 100 pages/s, ETA 0s",
                        "vacuum: 1000/1000 pages (100%), 100 pages/s, done in 10s");
    }

    @Test
    void onATerminalItRewritesOneLineInPlaceAndEndsIt() {
        try (Progress p = new Progress("export", 4000, "events", out, true, clock::get)) {
            pass(Duration.ofMillis(300));
            p.at(600);
            pass(Duration.ofMillis(100));
            p.at(800);
            pass(Duration.ofMillis(200));
            p.at(1200);
        }
        assertThat(printed())
                .isEqualTo("\rexport: 600/4000 events (15%), 2000 events/s, ETA 2s\u001b[K"
                        + "\rexport: 1200/4000 events (30%), 2000 events/s, ETA 1s\u001b[K"
                        + "\rexport: 1200/4000 events (30%), 2000 events/s, done in 1s\u001b[K\n");
    }

    @Test
    void anUnknownTotalShowsCountAndRateButNoEtaAndAStalledOneSaysSo() {
        try (Progress p = new Progress("export", -1, "events", out, false, clock::get)) {
            pass(Duration.ofSeconds(5));
            p.at(50);
        }
        assertThat(printed().lines().findFirst()).hasValue("export: 50 events, 10.0 events/s");
        Progress stalled = new Progress("vacuum", 10, "bytes", out, false, clock::get);
        pass(Duration.ofSeconds(5));
        stalled.at(0);
        assertThat(printed()).endsWith("vacuum: 0/10 bytes (0%), 0.0 bytes/s, ETA unknown\n");
    }

    @Test
    void longEtasAreWrittenInMinutesAndHours() {
        assertThat(Progress.duration(59)).isEqualTo("59s");
        assertThat(Progress.duration(61)).isEqualTo("1m01s");
        assertThat(Progress.duration(7260)).isEqualTo("2h01m");
        assertThatThrownBy(() -> new Progress("x", -2, "u", out, false, clock::get))
                .hasMessageContaining("found -2");
    }

    @Test
    void showPrintsTheLineAtOnceAndRestartsTheInterval() {
        try (Progress p = new Progress("manifest 2 sweep", 4, "re-attestations", out, false, clock::get)) {
            p.show();
            assertThat(printed())
                    .isEqualTo("manifest 2 sweep: 0/4 re-attestations (0%), 0.0 re-attestations/s, ETA unknown\n");
            pass(Duration.ofSeconds(4));
            p.at(1);
            assertThat(printed().lines())
                    .as("the interval counts from the shown line")
                    .hasSize(1);
        }
    }
}
