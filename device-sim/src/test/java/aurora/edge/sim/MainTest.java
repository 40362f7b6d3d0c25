package aurora.edge.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    private FleetSpec parse(String... args) {
        Main main = new Main();
        CommandLine cli = Main.commandLine(main);
        String[] all = new String[args.length + 2];
        all[0] = "--site-key";
        all[1] = keyFile.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        cli.parseArgs(all);
        return main.buildSpec();
    }

    @Test
    void transportPicksTheWireItsDefaultPortAndTheRadioProfileTheBatteryIsChargedFor() {
        FleetSpec tcp = parse();
        assertThat(tcp.wire().transport()).isEqualTo(WireTransport.MQTT_TCP);
        assertThat(tcp.port()).isEqualTo(1883);
        assertThat(tcp.model().transport()).isEqualTo(Transport.THREAD_MQTT_TCP_QOS1);

        FleetSpec relay = parse("--transport", "mqttsn-relay", "--broker", "udp://127.0.0.1", "--relay-id", "r1");
        assertThat(relay.wire().transport()).isEqualTo(WireTransport.MQTTSN_RELAY);
        assertThat(relay.wire().relayId()).isEqualTo("r1");
        assertThat(relay.port()).isEqualTo(1884);
        assertThat(relay.model().transport()).isEqualTo(Transport.THREAD_MQTTSN_QOS1);

        FleetSpec sn =
                parse("--transport", "MQTTSN-DTLS", "--sn-qos", "0", "--sn-plaintext", "--broker", "udp://h:5000");
        assertThat(sn.wire().snPlaintext()).isTrue();
        assertThat(sn.port()).isEqualTo(5000);
        assertThat(sn.model().transport()).isEqualTo(Transport.THREAD_MQTTSN_QOS0);
        assertThat(parse("--transport", "mqttsn-dtls").model().transport())
                .isEqualTo(Transport.THREAD_MQTTSN_DTLS_QOS1);

        FleetSpec tls =
                parse("--transport", "mqtt-tls", "--tls-ca", "ca.pem", "--tls-certs", "certs", "--broker", "ssl://gw");
        assertThat(tls.port()).isEqualTo(8883);
        assertThat(tls.wire().tlsCerts()).isEqualTo(Path.of("certs"));
        assertThat(tls.model().transport()).isEqualTo(Transport.THREAD_MQTT_TLS_QOS1);
    }

    @Test
    void theScenarioMayNameTheTransportTheCommandLineWinsAndOldRadioNamesStillWork() throws Exception {
        Path relay = dir.resolve("relay.yaml");
        Files.writeString(relay, "model:\n  transport: mqttsn-relay\n  poll_interval: 60s\n");
        assertThat(parse("--scenario", relay.toString()).wire().transport()).isEqualTo(WireTransport.MQTTSN_RELAY);
        FleetSpec overridden = parse("--scenario", relay.toString(), "--transport", "mqtt-tcp");
        assertThat(overridden.wire().transport()).isEqualTo(WireTransport.MQTT_TCP);
        assertThat(overridden.model().pollInterval()).isEqualTo(java.time.Duration.ofSeconds(60));
        Path legacy = dir.resolve("legacy.yaml");
        Files.writeString(legacy, "model:\n  transport: thread-mqttsn-qos0\n");
        FleetSpec old = parse("--scenario", legacy.toString());
        assertThat(old.wire().transport())
                .as("an old name picks the radio profile only")
                .isEqualTo(WireTransport.MQTT_TCP);
        assertThat(old.model().transport()).isEqualTo(Transport.THREAD_MQTTSN_QOS0);
    }

    @Test
    void aBadTransportOrTransportOptionIsAUsageErrorNamingTheChoices() {
        assertThat(run("--site-key", keyFile.toString(), "--transport", "carrier-pigeon"))
                .isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString())
                .contains("'--transport'", "mqtt-tcp, mqtt-tls, mqttsn-dtls or mqttsn-relay", "'carrier-pigeon'");
        assertThat(run("--site-key", keyFile.toString(), "--transport", "mqtt-tls"))
                .isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--tls-ca", "--tls-certs");
        assertThat(run("--site-key", keyFile.toString(), "--transport", "mqttsn-dtls", "--sn-qos", "2"))
                .isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("'--sn-qos'", "0, 1 or -1");
        assertThat(run(
                        "--site-key",
                        keyFile.toString(),
                        "--transport",
                        "mqttsn-dtls",
                        "--sn-plaintext",
                        "--sn-qos",
                        "-1"))
                .isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("'--sn-qos'", "never plaintext");
    }

    @Test
    void helpExplainsEveryTransportAndWhatHasNoMeaningOnIt() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString())
                .contains(
                        "--transport",
                        "mqttsn-relay",
                        "forwarder encapsulation",
                        "No will message",
                        "--sn-qos",
                        "--tls-certs");
        // the help's battery table is what the model computes (reference example: 60 B every 60 s, poll 10 s)
        int topic = "aurora/sensors/sim-00000/telemetry".length();
        for (Transport profile : Transport.values()) {
            double microAmps = BatteryModel.averageMicroAmps(
                    profile, 60, topic, java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(10), null);
            double years = BatteryModel.lifeHours(microAmps) / BatteryModel.HOURS_PER_YEAR;
            assertThat(out.toString())
                    .as(profile.name())
                    .contains(String.format(java.util.Locale.ROOT, "%.1f uA  %.2f y", microAmps, years));
        }
    }

    @Test
    void theTextReportListsTheProjectedLifeOfEachDeviceUnderItsRadioProfile() {
        FleetSpec spec = parse("--transport", "mqttsn-relay", "--sn-qos", "0", "--devices", "2");
        List<DeviceSnapshot> devices = List.of(
                new DeviceSnapshot("sim-00000", Behaviour.HONEST, 1, 10, 0, 2990, 2870, 1200, 3.48, 0, false),
                new DeviceSnapshot("sim-00001", Behaviour.FLOOD, 1, 100, 0, 2980, 2860, 9000, 1.2, 0, false));
        assertThat(Reports.lives(spec, devices, 20))
                .contains("mqttsn-relay, radio profile thread-mqttsn-qos0, poll PT10S")
                .contains("sim-00000            honest              3.48 y")
                .contains("sim-00001            flood               1.20 y");
        assertThat(Reports.lives(spec, devices, 1))
                .contains("the 1 shortest of 2")
                .doesNotContain("sim-00000");
        assertThat(Reports.livesJson(devices).toString()).contains("\"projected_life_years\":3.48");
    }
}
