package aurora.edge.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import aurora.edge.gateway.Main;
import aurora.edge.gateway.broker.DeviceCredentials;
import aurora.edge.gateway.broker.SiteKey;
import aurora.edge.gateway.device.Health;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.Device;
import aurora.edge.gateway.registry.DeviceRegistry;
import aurora.edge.gateway.registry.DeviceView;
import aurora.edge.gateway.registry.HealthMark;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private Path config(String yaml) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, "data:\n  dir: " + dir.resolve("data") + "\n" + yaml);
        return file;
    }

    private int run(String... args) {
        return Main.commandLine().execute(args);
    }

    @Test
    void checkConfigReportsEveryBadKeyAndExitsTwo() throws Exception {
        Path file = config("mqtt:\n  port: -1\nhttp:\n  port: x\nnats:\n  alert_min_severity: loud\n");
        assertThat(run("check-config", "--config", file.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("mqtt.port", "http.port", "nats.alert_min_severity");
    }

    @Test
    void checkConfigAcceptsAGoodFile() throws Exception {
        assertThat(run("check-config", "--config", config("").toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("configuration is valid", "mqtt.port = 1883");
    }

    @Test
    void checkConfigDescribePrintsEachKeysDefaultAndMeaning() throws Exception {
        assertThat(run(
                        "check-config",
                        "--describe",
                        "--config",
                        config("mqtt:\n  port: 1884\n").toString()))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(
                        "mqtt.port = 1884    (set; default `1883`)",
                        "device broker port",
                        "nats.url = ****",
                        "configuration is valid");
    }

    @Test
    void provisionPrintsCredentialsThatTheBrokerAccepts() throws Exception {
        Path file = config("");
        assertThat(run("devices", "provision", "sensor-0001", "--config", file.toString()))
                .isZero();
        JsonNode json = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(json.path("device_id").asText()).isEqualTo("sensor-0001");
        assertThat(json.path("username").asText()).isEqualTo("sensor-0001");
        Path keyFile = dir.resolve("data/site-device.key");
        assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        DeviceCredentials credentials = new DeviceCredentials(SiteKey.load(keyFile));
        assertThat(credentials.matches(
                        "sensor-0001", json.path("password").asText().getBytes(StandardCharsets.US_ASCII)))
                .isTrue();
        assertThat(credentials.matches(
                        "sensor-0002", json.path("password").asText().getBytes(StandardCharsets.US_ASCII)))
                .isFalse();
    }

    @Test
    void devicesPskPrintsTheDtlsKeyTheProvisionedPasswordEncodes() throws Exception {
        Path file = config("");
        assertThat(run("devices", "provision", "sensor-0001", "--config", file.toString()))
                .isZero();
        JsonNode json = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        out.reset();
        assertThat(run("devices", "psk", "sensor-0001", "--config", file.toString()))
                .isZero();
        String hex = out.toString(StandardCharsets.UTF_8).trim();
        DeviceCredentials credentials = new DeviceCredentials(SiteKey.load(dir.resolve("data/site-device.key")));
        assertThat(hex)
                .hasSize(64)
                .isEqualTo(java.util.HexFormat.of().formatHex(credentials.pskFor("sensor-0001")))
                .isEqualTo(json.path("dtls_psk_hex").asText())
                .isEqualTo(java.util.HexFormat.of()
                        .formatHex(java.util.Base64.getUrlDecoder()
                                .decode(json.path("password").asText())));
        assertThat(run("devices", "psk", "bad/id", "--config", file.toString())).isEqualTo(2);
    }

    @Test
    void provisionRefusesABadDeviceId() throws Exception {
        assertThat(run("devices", "provision", "bad/id", "--config", config("").toString()))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not match");
    }

    @Test
    void outboxStatusPrintsJsonForAnEmptyOutbox() throws Exception {
        assertThat(run("outbox", "status", "--json", "--config", config("").toString()))
                .isZero();
        JsonNode json = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(json.path("storedEvents").asLong()).isZero();
    }

    @Test
    void outboxStatusSaysWhenNoGatewayRunsToReportTheDrainRate() throws Exception {
        assertThat(run(
                        "outbox",
                        "status",
                        "--config",
                        config("http:\n  port: 9\n").toString()))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(
                        "stored events: 0",
                        "sink nats: cursor 0, backlog 0",
                        "sink redis: cursor 0, backlog 0",
                        "drain rate and time to empty: gateway not running (no answer at http://127.0.0.1:9)");
    }

    @Test
    void devicesListOnAnEmptyDatabasePrintsTheHeaderAndASummaryOfNone() throws Exception {
        assertThat(run("devices", "list", "--config", config("").toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).trim().lines())
                .hasSize(2)
                .first()
                .asString()
                .startsWith("DEVICE");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("0 devices: 0 trusted, 0 pending, 0 quarantined, 0 unapproved; 0 shown");
    }

    @Test
    void devicesListFiltersByStateWithQuarantinedFirstAndSaysHowManyOfTheFleetItShows() throws Exception {
        Path file = config("");
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        try (DeviceRegistry registry = new DeviceRegistry(
                DeviceRegistry.openDatabase(dir.resolve("data").resolve("registry.db")))) {
            registry.save(new Device(
                    "c0ffee00-0000-4000-8000-000000000001",
                    "a-good",
                    null,
                    "nrf52840dk",
                    "1.2.0",
                    7,
                    t,
                    t,
                    3,
                    7,
                    AttestationState.TRUSTED,
                    "ok",
                    false,
                    true,
                    t,
                    t,
                    null,
                    0,
                    null,
                    null,
                    null,
                    null));
            registry.save(new Device(
                    "c0ffee00-0000-4000-8000-000000000002",
                    "z-bad",
                    null,
                    "nrf52840dk",
                    "1.2.0",
                    7,
                    t,
                    t,
                    3,
                    7,
                    AttestationState.TAMPERED,
                    "bad_signature",
                    true,
                    true,
                    t,
                    t,
                    null,
                    0,
                    null,
                    null,
                    null,
                    null));
        }
        assertThat(run("devices", "list", "--config", file.toString())).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).trim().lines().toList();
        assertThat(lines.get(1)).startsWith("z-bad");
        assertThat(lines.get(2)).startsWith("a-good");
        out.reset();
        assertThat(run("devices", "list", "--state", "quarantined", "--config", file.toString()))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("z-bad")
                .doesNotContain("a-good")
                .contains("2 devices: 1 trusted, 0 pending, 1 quarantined, 0 unapproved; 1 shown");
        assertThat(run("devices", "list", "--state", "sideways", "--config", file.toString()))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("state must be one of");
    }

    @Test
    void exportWritesADevicesAuditTrailAsJsonLinesAndRefusesABadSince() throws Exception {
        Path file = config("");
        assertThat(run("export", "--since", "soon", "--config", file.toString()))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--since \"soon\" is not a duration");
        assertThat(run("export", "--since", "24h", "--device", "sensor-1", "--config", file.toString()))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("exported 0 events of sensor-1");
    }

    @Test
    void devicesShowAndListJsonPrintTheSameDeviceViewAsTheOpsEndpoint() throws Exception {
        Path file = config("");
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        Device device = new Device(
                "c0ffee00-0000-4000-8000-000000000001",
                "sensor-1",
                null,
                "nrf52840dk",
                "1.2.0",
                7,
                t,
                t,
                3,
                7,
                AttestationState.TRUSTED,
                "ok",
                false,
                true,
                t,
                t,
                null,
                0,
                null,
                "cd".repeat(32),
                null,
                null);
        try (DeviceRegistry registry = new DeviceRegistry(
                DeviceRegistry.openDatabase(dir.resolve("data").resolve("registry.db")))) {
            registry.save(device);
        }
        assertThat(run("devices", "show", "sensor-1", "--json", "--config", file.toString()))
                .isZero();
        JsonNode shown = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(shown.fieldNames()).toIterable().containsExactlyElementsOf(DeviceView.FIELDS);
        assertThat(shown.path("attested_hash").asText()).isEqualTo("cd".repeat(32));
        out.reset();
        assertThat(run("devices", "list", "--json", "--config", file.toString()))
                .isZero();
        JsonNode listed = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).toString()).isEqualTo(JSON.writeValueAsString(DeviceView.of(device, null)));
        assertThat(listed.get(0).path("health").asText()).isEqualTo("online");
    }

    @Test
    void devicesListShowsEachDevicesHealthAsTheGatewayLastJudgedItAndFiltersByIt() throws Exception {
        Path file = config("");
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        try (DeviceRegistry registry = new DeviceRegistry(
                DeviceRegistry.openDatabase(dir.resolve("data").resolve("registry.db")))) {
            for (String id : List.of("sensor-1", "sensor-2")) {
                registry.save(new Device(
                        "c0ffee00-0000-4000-8000-00000000000" + id.charAt(7),
                        id,
                        null,
                        "nrf52840dk",
                        "1.2.0",
                        7,
                        t,
                        t,
                        3,
                        7,
                        AttestationState.PENDING,
                        "registered",
                        false,
                        true,
                        t,
                        null,
                        null,
                        0,
                        null,
                        null,
                        null,
                        null));
            }
            registry.saveHealth(List.of(new HealthMark("sensor-2", Health.OFFLINE, t.plusSeconds(3600), t)));
        }
        assertThat(run("devices", "list", "--config", file.toString())).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).contains("HEALTH");
        assertThat(lines.get(1)).startsWith("sensor-1").contains(" online ");
        assertThat(lines.get(2)).startsWith("sensor-2").contains(" offline ");
        out.reset();
        assertThat(run("devices", "list", "--health", "offline", "--json", "--config", file.toString()))
                .isZero();
        JsonNode offline = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(offline).hasSize(1);
        assertThat(offline.get(0).path("device_id").asText()).isEqualTo("sensor-2");
        assertThat(offline.get(0).path("health_since").asText()).isEqualTo("2026-12-01T11:00:00Z");
        assertThat(run("devices", "list", "--health", "asleep", "--config", file.toString()))
                .isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void statusFailsClearlyWhenNoGatewayAnswers() {
        assertThat(run("status", "--url", "http://127.0.0.1:9")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("gateway not reachable");
    }
}
