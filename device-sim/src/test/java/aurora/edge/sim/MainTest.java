package aurora.edge.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
    @TempDir
    Path dir;

    private Path keyFile;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void writeKey() throws Exception {
        keyFile = dir.resolve("site.key");
        SiteKeyFile.write(keyFile, new byte[32]);
    }

    private int run(String... args) {
        CommandLine cli = Main.commandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--broker", "--site-key", "--devices", "--rate", "--duration", "--json");
    }

    @Test
    void missingSiteKeyIsAUsageError() {
        assertThat(run("--devices", "1")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--site-key");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(run("--site-key", keyFile.toString(), "--frobnicate")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--frobnicate");
    }

    @Test
    void badDurationIsAUsageErrorNamingTheOptionAndValue() {
        assertThat(run("--site-key", keyFile.toString(), "--duration", "sixty")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--duration", "'sixty'");
    }

    @Test
    void outOfRangeValueIsAUsageErrorNamingTheOptionAndValue() {
        assertThat(run("--site-key", keyFile.toString(), "--devices", "0")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("'--devices'", "found: 0");
    }

    @Test
    void alertShareAboveOneIsAUsageError() {
        assertThat(run("--site-key", keyFile.toString(), "--alert-share", "2")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("'--alert-share'", "found: 2.0");
    }

    @Test
    void anUnknownProtocolIsAUsageErrorNamingTheChoices() {
        assertThat(run("--site-key", keyFile.toString(), "--protocol", "mqtt-sn"))
                .isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("'--protocol'", "aurora-v1 or aurorasoc", "'mqtt-sn'");
    }

    @Test
    void notANumberIsAUsageError() {
        assertThat(run("--site-key", keyFile.toString(), "--rate", "fast")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--rate", "fast");
    }

    @Test
    void brokerThatIsNotTcpHostPortIsAUsageError() {
        for (String broker : new String[] {"127.0.0.1:1883", "http://h:1883", "tcp://", "tcp://h:1883/x"}) {
            assertThat(run("--site-key", keyFile.toString(), "--broker", broker))
                    .as(broker)
                    .isEqualTo(Main.EXIT_USAGE);
            assertThat(err.toString()).contains("'--broker'", broker);
        }
    }

    @Test
    void unreadableOrMalformedSiteKeyIsAUsageErrorNamingTheFile() throws Exception {
        Path missing = dir.resolve("missing.key");
        assertThat(run("--site-key", missing.toString())).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("'--site-key'", missing.toString());
        Path malformed = dir.resolve("malformed.key");
        Files.writeString(malformed, "%%%");
        assertThat(run("--site-key", malformed.toString())).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains(malformed.toString());
    }

    @Test
    void reportsNameEveryFigure() {
        FleetStats stats =
                new FleetStats(50, 49, 3000, 12, 2990, 10, 1, 2, 3, 1, 0, 51, 4, 1, 49.5, 3001, 2, 1, 4, 3, 1, 5, 7);
        FleetReport.Simulation sim = new FleetReport.Simulation(
                50,
                86_400,
                3001,
                java.util.Map.of("critical", 2L),
                2100,
                2900,
                2950,
                12.5,
                0.01,
                2.7,
                4,
                3,
                1,
                java.util.Map.of("honest", 49, "flood", 1),
                java.util.Map.of("oversize", 7L));
        FleetReport report = new FleetReport(stats, sim, new FleetReport.Latency(2990, 4.2, 9.9, 20.5, 80.0));
        assertThat(Reports.text(report, 60.04))
                .contains(
                        "sent                  3000",
                        "acked by watermark    2990",
                        "resent                12",
                        "dropped on device     1",
                        "elapsed               60.0 s real, 1d 00:00:00 simulated",
                        "p50 4.2 ms",
                        "p99 20.5 ms",
                        "browned out           3 devices (4 brown-outs), 1 dead",
                        "battery               2100 / 2900 / 2950 mV");
        assertThat(Reports.json(report, 60.04))
                .startsWith("{\"devices\":50,\"connected\":49,\"elapsed_s\":60.0,"
                        + "\"sent\":3000,\"acked\":2990,\"unacked\":10,\"resent\":12,\"dropped_on_device\":1,")
                .contains("\"latency_ms\":{\"count\":2990,\"p50Ms\":4.2", "\"devicesBrownedOut\":3");
        assertThat(Main.progress(report, System.nanoTime()))
                .contains(
                        "connected 49/50",
                        "msgs/s 49.5",
                        "sent 3000",
                        "acked 2990",
                        "unacked 10",
                        "battery 2100..2950 mV");
    }
}
