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
    void notANumberIsAUsageError() {
        assertThat(run("--site-key", keyFile.toString(), "--rate", "fast")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--rate", "fast");
    }

    @Test
    void brokerThatIsNotTcpHostPortIsAUsageError() {
        for (String broker : new String[] {"127.0.0.1:1883", "http://h:1883", "tcp://", "tcp://h:1883/x"}) {
            assertThat(run("--site-key", keyFile.toString(), "--broker", broker)).as(broker).isEqualTo(Main.EXIT_USAGE);
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
        FleetStats stats = new FleetStats(50, 49, 3000, 12, 2990, 10, 1, 2, 3, 1, 0, 51, 4, 1, 49.5);
        assertThat(Main.textReport(stats, 60.04)).contains("sent                  3000", "acked by watermark    2990",
                "resent                12", "dropped on device     1", "elapsed               60.0 s");
        assertThat(Main.jsonReport(stats, 60.04)).isEqualTo("{\"devices\":50,\"connected\":49,\"elapsed_s\":60.0,"
                + "\"sent\":3000,\"acked\":2990,\"unacked\":10,\"resent\":12,\"dropped_on_device\":1,"
                + "\"publish_failures\":2,\"connects\":51,\"connect_failures\":4,\"connection_losses\":1,"
                + "\"commands_received\":3,\"commands_refused\":1,\"malformed_acks\":0}");
        assertThat(Main.progress(stats, System.nanoTime()))
                .contains("connected 49/50", "msgs/s 49.5", "sent 3000", "acked 2990", "unacked 10");
    }
}
