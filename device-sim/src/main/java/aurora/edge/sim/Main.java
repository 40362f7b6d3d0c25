package aurora.edge.sim;

import aurora.edge.attestation.EvidenceLayout;
import aurora.edge.sim.sn.SnCodec;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar aurora-device-sim.jar --broker tcp://127.0.0.1:1883 --site-key FILE --devices 50 --rate 1
 * --duration 60s}: a live progress line on stderr every second, a final report on stdout. Exit codes: 0 done,
 * 1 failed while running, 2 usage error. The only class that exits.
 */
@Command(
        name = "aurora-device-sim",
        mixinStandardHelpOptions = true,
        version = "aurora-device-sim 0.1.0",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description =
                "Runs a fleet of simulated coin-cell nRF52840 devices against an aurora-edge gateway (MQTT or MQTT-SN).",
        footer = {
            "",
            "Battery life on a CR2032, a 60-byte reading every 60 s, poll 10 s",
            "(model.poll_interval sets the poll):",
            "  mqttsn QoS 0 (relay, plaintext)  5.9 uA  3.46 y",
            "  mqttsn QoS 1 (relay, plaintext)  6.2 uA  3.29 y",
            "  mqttsn-dtls QoS 0                6.4 uA  3.21 y",
            "  mqttsn-dtls QoS 1                6.7 uA  3.07 y",
            "  mqtt-tcp                         7.7 uA  2.67 y",
            "  mqtt-tls                         7.8 uA  2.65 y",
            "The report lists each device's projected life.",
            "See device-sim/README.md (Transports, Coin cell)."
        })
public final class Main implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    /** Devices listed by name in the text report's battery section (the shortest-lived first). */
    static final int LIVES_LISTED = 20;

    private static final String LOGBACK_CONFIG = "aurora/edge/sim/logback-cli.xml";

    /** Spec field → the option that sets it, so a validation error names what the user typed. */
    private static final Map<String, String> OPTION_OF = Map.ofEntries(
            Map.entry("host", "--broker"),
            Map.entry("port", "--broker"),
            Map.entry("siteKey", "--site-key"),
            Map.entry("deviceCount", "--devices"),
            Map.entry("idPrefix", "--id-prefix"),
            Map.entry("firstIndex", "--first-index"),
            Map.entry("messagesPerSecondPerDevice", "--rate"),
            Map.entry("alertShare", "--alert-share"),
            Map.entry("ringCapacity", "--ring"),
            Map.entry("duration", "--duration"),
            Map.entry("maxMessagesPerDevice", "--max-messages"),
            Map.entry("boot", "--boot"),
            Map.entry("maxConcurrentConnects", "--max-connects"),
            Map.entry("acceleration", "--acceleration"),
            Map.entry("hostile", "--scenario"),
            Map.entry("protocol", "--protocol"),
            Map.entry("snQos", "--sn-qos"),
            Map.entry("relayId", "--relay-id"),
            Map.entry("tlsCerts", "--tls-certs"));

    @Spec
    CommandSpec commandSpec;

    @Option(
            names = "--broker",
            paramLabel = "URL",
            defaultValue = "tcp://127.0.0.1:1883",
            description =
                    "The gateway, tcp://host:port (also ssl:// for mqtt-tls, udp:// for MQTT-SN); without a port, "
                            + "the transport's default: 1883 mqtt-tcp, 8883 mqtt-tls, 1884 MQTT-SN (default: ${DEFAULT-VALUE}).")
    String broker;

    @Option(
            names = "--transport",
            paramLabel = "T",
            description = {
                "How devices reach the gateway (default: the scenario's model.transport, else mqtt-tcp):",
                "  mqtt-tcp      MQTT 3.1.1 over TCP, password derived from the site key.",
                "  mqtt-tls      MQTT 3.1.1 over TLS 1.3/1.2 with a device certificate (CN = device id): needs --tls-ca"
                        + " and --tls-certs; no password. The wrong-password behaviour has no effect here.",
                "  mqttsn-dtls   MQTT-SN 1.2 over DTLS 1.2, PSK identity = device id, key = HMAC-SHA256(site key, id);"
                        + " --sn-plaintext for a lab gateway (mqttsn.allow_plaintext). Sleeping clients: DISCONNECT"
                        + " with a duration after each burst, PINGREQ(client id) every poll period, CONNECT to publish."
                        + " Standard topics by predefined topic id; a hostile device naming another device's topic"
                        + " must REGISTER it (the gateway refuses). No will message (MQTT-SN wills are not used)."
                        + " A wrong-password device presents a wrong PSK (no meaning with --sn-plaintext).",
                "  mqttsn-relay  The same MQTT-SN devices as children of one relay (--relay-id) that carries their"
                        + " packets in forwarder encapsulation (0xFE, node id = child id) over its own association;"
                        + " children have no credential of their own, so wrong-password has no meaning here.",
                "Old scenario names (thread-mqttsn-qos0, thread-mqttsn-qos1, thread-mqtt-tcp-qos1) still work: they"
                        + " pick the radio profile only, over mqtt-tcp."
            })
    String transport;

    @Option(
            names = "--sn-qos",
            paramLabel = "Q",
            defaultValue = "1",
            description =
                    "MQTT-SN QoS of readings: 0, 1 or -1 (-1 never with --sn-plaintext) (default: ${DEFAULT-VALUE}).")
    int snQos;

    @Option(
            names = "--sn-plaintext",
            description = "MQTT-SN over plain UDP instead of DTLS (lab gateways with mqttsn.allow_plaintext: true).")
    boolean snPlaintext;

    @Option(
            names = "--relay-id",
            paramLabel = "ID",
            defaultValue = WireSettings.DEFAULT_RELAY,
            description = "The relay's own id on mqttsn-relay (default: ${DEFAULT-VALUE}).")
    String relayId;

    @Option(
            names = "--tls-ca",
            paramLabel = "FILE",
            description = "mqtt-tls: PEM CA certificate the gateway's certificate chains to (the site CA's ca.pem).")
    Path tlsCa;

    @Option(
            names = "--tls-certs",
            paramLabel = "DIR",
            description = "mqtt-tls: directory with ID.pem and ID.key (PKCS#8) per device, as "
                    + "'aurora-edge devices issue-cert ID --out DIR' writes them.")
    Path tlsCerts;

    @Option(
            names = "--site-key",
            paramLabel = "FILE",
            required = true,
            description = "Site device key file (one line, standard base64) to derive device passwords from.")
    Path siteKeyFile;

    @Option(
            names = "--devices",
            paramLabel = "N",
            defaultValue = "50",
            description = "Devices (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(
            names = "--rate",
            paramLabel = "MSGS",
            defaultValue = "1.0",
            description =
                    "Messages per simulated second per device, e.g. 0.0166667 for one a minute (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--duration",
            paramLabel = "D",
            converter = DurationConverter.class,
            description = "How long devices publish, simulated, e.g. 60s, 5m, 1h, 30d (default: until Ctrl-C).")
    Duration duration;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description =
                    "Seed of readings, phases, cells and hostile picks; same seed, same simulation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--acceleration",
            paramLabel = "X",
            defaultValue = "1",
            description =
                    "Simulated seconds per real second; --rate and --duration are simulated (default: ${DEFAULT-VALUE}).")
    double acceleration;

    @Option(
            names = "--scenario",
            paramLabel = "FILE",
            description = "YAML scenario: device model (poll interval, transport, cells) and hostile behaviours.")
    Path scenarioFile;

    @Option(
            names = "--alert-share",
            paramLabel = "F",
            defaultValue = "0.02",
            description = "Share of messages that are alerts, 0..1 (default: ${DEFAULT-VALUE}).")
    double alertShare;

    @Option(
            names = "--ring",
            paramLabel = "N",
            defaultValue = "256",
            description = "Unacknowledged messages each device keeps (default: ${DEFAULT-VALUE}).")
    int ring;

    @Option(
            names = "--id-prefix",
            paramLabel = "P",
            defaultValue = "sim-",
            description = "Device id prefix; ids are P00000, P00001, ... (default: ${DEFAULT-VALUE}).")
    String idPrefix;

    @Option(
            names = "--first-index",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "Index of the first device: with 50, ids are P00050, P00051, ..., so a second fleet on another"
                            + " transport takes other ids of the same endorsement list (default: ${DEFAULT-VALUE}).")
    int firstIndex;

    @Option(names = "--max-messages", paramLabel = "N", description = "Messages per device, then stop publishing.")
    Long maxMessages;

    @Option(names = "--boot", paramLabel = "N", description = "Boot count to report (default: the start second).")
    Long boot;

    @Option(
            names = "--max-connects",
            paramLabel = "N",
            defaultValue = "50",
            description = "CONNECTs in flight at once (default: ${DEFAULT-VALUE}).")
    int maxConnects;

    @Option(
            names = "--drain",
            paramLabel = "D",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "After publishing stops, how long to wait for the last acks (default: ${DEFAULT-VALUE}).")
    Duration drain;

    @Option(
            names = "--protocol",
            paramLabel = "P",
            defaultValue = "aurora-v1",
            description =
                    "Attestation protocol of the devices' firmware: aurora-v1 (ours) or aurorasoc (stock AuroraSOC firmware: "
                            + "challenge on aurora/attestation/{id}/request, answer on .../response in AuroraSOC's JSON with a DER signature, "
                            + "an unsolicited report every 5 simulated minutes) (default: ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--json", description = "Print the final report as JSON.")
    boolean json;

    private final CountDownLatch interrupted = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
        }
        System.exit(commandLine(new Main()).execute(args));
    }

    static CommandLine commandLine(Main main) {
        CommandLine cli = new CommandLine(main);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("device-sim failed: " + e);
            return EXIT_FAILED;
        });
        return cli; // picocli's own exit code for bad input is 2 (CommandLine.ExitCode.USAGE)
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        FleetSpec spec = buildSpec();
        PrintWriter err = commandSpec.commandLine().getErr();
        PrintWriter out = commandSpec.commandLine().getOut();
        Thread hook = new Thread(this::onShutdown, "device-sim-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        long startedAt = System.nanoTime();
        try {
            FleetReport last;
            List<DeviceSnapshot> lives;
            try (Fleet fleet = Fleet.start(spec)) {
                err.printf(
                        Locale.ROOT,
                        "device-sim: %d devices (%s ...), boot %d, %s (battery: %s) to %s:%d, acceleration %s%n",
                        spec.deviceCount(),
                        spec.deviceId(0),
                        fleet.boot(),
                        spec.wire().transport().wireName(),
                        spec.model().transport().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                        spec.host(),
                        spec.port(),
                        spec.acceleration());
                while (!fleet.publishingStopped().isDone() && !interrupted.await(1, TimeUnit.SECONDS)) {
                    err.println(progress(fleet.report(), startedAt));
                    err.flush();
                }
                fleet.stopPublishing();
                drainAcks(fleet, err, startedAt);
                last = fleet.report();
                lives = fleet.snapshots();
            }
            double elapsed = (System.nanoTime() - startedAt) / 1e9;
            if (json) {
                ObjectNode report = (ObjectNode) new ObjectMapper().readTree(Reports.json(last, elapsed));
                report.put("transport", spec.wire().transport().wireName());
                report.put("radio_profile", spec.model().transport().name().toLowerCase(Locale.ROOT));
                report.set("battery_per_device", Reports.livesJson(lives));
                out.println(report);
            } else {
                out.println(Reports.text(last, elapsed));
                out.print(Reports.lives(spec, lives, LIVES_LISTED));
            }
            out.flush();
            return EXIT_OK;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down (Ctrl-C): the hook is waiting for the report above
            }
        }
    }

    /** After publishing stops, waits up to --drain for the gateway to acknowledge what is left (not after Ctrl-C). */
    private void drainAcks(Fleet fleet, PrintWriter err, long startedAt) throws InterruptedException {
        long drainUntil = System.nanoTime() + drain.toNanos();
        while (interrupted.getCount() > 0 && fleet.stats().unacked() > 0 && System.nanoTime() < drainUntil) {
            long waitMs = Math.min(1000, Math.max(1, (drainUntil - System.nanoTime()) / 1_000_000));
            interrupted.await(waitMs, TimeUnit.MILLISECONDS);
            err.println(progress(fleet.report(), startedAt) + "  (draining)");
            err.flush();
        }
    }

    private void onShutdown() {
        interrupted.countDown();
        try {
            finished.await(15, TimeUnit.SECONDS); // the main thread closes the fleet and prints the report
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    FleetSpec buildSpec() {
        CommandLine cli = commandSpec.commandLine();
        URI uri = brokerUri(cli);
        WireTransport cliWire = null;
        if (transport != null) {
            cliWire = WireTransport.parse(transport)
                    .orElseThrow(() -> new ParameterException(
                            cli,
                            "Invalid value for option '--transport': must be " + WireTransport.choices() + ", found '"
                                    + transport + "'"));
        }
        byte[] key;
        try {
            key = SiteKeyFile.read(siteKeyFile);
        } catch (IOException | IllegalArgumentException e) {
            throw new ParameterException(cli, "Invalid value for option '--site-key': " + describe(e));
        }
        ScenarioFile.Scenario scenario = new ScenarioFile.Scenario(DeviceModel.DEFAULT, List.of());
        if (scenarioFile != null) {
            try {
                scenario = ScenarioFile.read(scenarioFile);
            } catch (IOException | IllegalArgumentException e) {
                throw new ParameterException(
                        cli, "Invalid value for option '--scenario': " + scenarioFile + ": " + describe(e));
            }
        }
        try {
            WireSettings wire = wireSettings(cli, cliWire != null ? cliWire : scenario.wire());
            DeviceModel model = scenario.radioExplicit()
                    ? scenario.model()
                    : scenario.model().withTransport(wire.radioProfile());
            int port = uri.getPort() == -1 ? wire.transport().defaultPort() : uri.getPort();
            return FleetSpec.builder(uri.getHost(), port, key)
                    .wire(wire)
                    .deviceCount(devices)
                    .idPrefix(idPrefix)
                    .firstIndex(firstIndex)
                    .messagesPerSecondPerDevice(rate)
                    .alertShare(alertShare)
                    .ringCapacity(ring)
                    .seed(seed)
                    .duration(duration)
                    .maxMessagesPerDevice(maxMessages)
                    .boot(boot)
                    .maxConcurrentConnects(maxConnects)
                    .acceleration(acceleration)
                    .model(model)
                    .hostile(scenario.hostile())
                    .protocol(protocol(cli))
                    .build();
        } catch (InvalidFleetSpecException e) {
            String option = OPTION_OF.getOrDefault(e.field(), e.field());
            throw new ParameterException(cli, "Invalid value for option '" + option + "': " + e.getMessage());
        }
    }

    private WireSettings wireSettings(CommandLine cli, WireTransport chosen) {
        WireTransport t = chosen != null ? chosen : WireTransport.MQTT_TCP;
        SnCodec.Qos qos;
        try {
            qos = SnCodec.Qos.of(snQos);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cli, "Invalid value for option '--sn-qos': " + e.getMessage());
        }
        if (t == WireTransport.MQTT_TLS && (tlsCa == null || tlsCerts == null)) {
            throw new ParameterException(
                    cli,
                    "--transport mqtt-tls needs --tls-ca FILE and --tls-certs DIR (devices issue-cert ID --out DIR)");
        }
        return new WireSettings(t, qos, snPlaintext, relayId, tlsCa, tlsCerts);
    }

    private EvidenceLayout protocol(CommandLine cli) {
        return EvidenceLayout.fromJson(protocol)
                .orElseThrow(() -> new ParameterException(
                        cli,
                        "Invalid value for option '--protocol': must be aurora-v1 or aurorasoc, found '" + protocol
                                + "'"));
    }

    private URI brokerUri(CommandLine cli) {
        try {
            URI uri = new URI(broker);
            if (!java.util.Set.of("tcp", "mqtt", "ssl", "mqtts", "udp").contains(uri.getScheme())
                    || uri.getHost() == null
                    || (uri.getPath() != null && !uri.getPath().isEmpty() && !"/".equals(uri.getPath()))) {
                throw new URISyntaxException(broker, "expected tcp://host:port");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ParameterException(
                    cli, "Invalid value for option '--broker': expected tcp://host:port, found: '" + broker + "'");
        }
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file: " + e.getMessage();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    static String progress(FleetReport report, long startedAt) {
        return Reports.progress(report, (System.nanoTime() - startedAt) / 1_000_000_000L);
    }

    /** picocli converter, so a bad value is reported as {@code Invalid value for option '--duration': ...}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
