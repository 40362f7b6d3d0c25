package aurora.edge.gateway.cli;

import aurora.edge.attestation.DeviceId;
import aurora.edge.gateway.broker.DeviceCredentials;
import aurora.edge.gateway.broker.SiteKey;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.config.InvalidConfigException;
import aurora.edge.gateway.registry.Device;
import aurora.edge.gateway.registry.DeviceRegistry;
import aurora.edge.gateway.registry.DeviceView;
import aurora.edge.gateway.registry.FleetPage;
import aurora.edge.gateway.registry.FleetQuery;
import aurora.edge.gateway.registry.HealthMark;
import aurora.edge.gateway.store.Database;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code devices provision|list|show|commands|approve|quarantine|release|attest|bind|unbind}, and the site CA's
 * {@code init-ca|issue-cert|revoke} ({@link DeviceCertCommands}). {@code list} and
 * {@code show} read the registry from the database (they work with the gateway stopped);
 * {@code commands} reads the device's SOC commands from the running gateway's ops port (the
 * console's endpoint: the gateway's command thread owns {@code commands.db}); the commands that
 * change a device go to the running gateway's ops port too, because the gateway
 * owns the registry, sends the challenge and writes the audit event.
 */
@Command(
        name = "devices",
        description = "Provision devices, inspect the registry, approve, quarantine, release or attest a device, "
                + "bind a device to a relay; "
                + "run a site CA for MQTT over TLS (init-ca, issue-cert, revoke).",
        subcommands = {
            DevicesCommand.Provision.class,
            DevicesCommand.Psk.class,
            DevicesCommand.ListDevices.class,
            DevicesCommand.Show.class,
            DevicesCommand.Commands.class,
            DevicesCommand.Approve.class,
            DevicesCommand.Quarantine.class,
            DevicesCommand.Release.class,
            DevicesCommand.Attest.class,
            RelayBindingCommands.Bind.class,
            RelayBindingCommands.Unbind.class,
            DeviceCertCommands.InitCa.class,
            DeviceCertCommands.IssueCert.class,
            DeviceCertCommands.Revoke.class
        })
public final class DevicesCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Command(
            name = "provision",
            description = "Print a device's MQTT credentials and its MQTT-SN DTLS pre-shared key as JSON "
                    + "(creates the site key if absent).")
    static final class Provision implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "ID", description = "device id, [A-Za-z0-9_-]{1,64}")
        String deviceId;

        @Override
        public Integer call() throws IOException {
            if (!DeviceId.isValid(deviceId)) {
                System.err.println("device id \"" + deviceId + "\" does not match [A-Za-z0-9_-]{1,64}");
                return ExitCodes.USAGE;
            }
            GatewayConfig c;
            try {
                c = config.load();
            } catch (InvalidConfigException e) {
                System.err.println(e.getMessage());
                return ExitCodes.USAGE;
            }
            DeviceCredentials credentials =
                    new DeviceCredentials(SiteKey.loadOrCreate(c.store().deviceKeyFile()));
            Map<String, String> out = new LinkedHashMap<>();
            out.put("device_id", deviceId);
            out.put("username", deviceId);
            out.put("password", credentials.passwordFor(deviceId));
            out.put("dtls_psk_identity", deviceId);
            out.put("dtls_psk_hex", HexFormat.of().formatHex(credentials.pskFor(deviceId)));
            System.out.println(JSON.writeValueAsString(out));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "psk",
            description = "Print a device's MQTT-SN DTLS pre-shared key in hex (PSK identity = the device id), "
                    + "for mbedTLS, Zephyr or openssl s_client -psk (creates the site key if absent).")
    static final class Psk implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "ID", description = "device or relay id, [A-Za-z0-9_-]{1,64}")
        String deviceId;

        @Override
        public Integer call() throws IOException {
            if (!DeviceId.isValid(deviceId)) {
                System.err.println("device id \"" + deviceId + "\" does not match [A-Za-z0-9_-]{1,64}");
                return ExitCodes.USAGE;
            }
            GatewayConfig c;
            try {
                c = config.load();
            } catch (InvalidConfigException e) {
                System.err.println(e.getMessage());
                return ExitCodes.USAGE;
            }
            DeviceCredentials credentials =
                    new DeviceCredentials(SiteKey.loadOrCreate(c.store().deviceKeyFile()));
            System.out.println(HexFormat.of().formatHex(credentials.pskFor(deviceId)));
            return ExitCodes.OK;
        }
    }

    /** Reads the registry from the configured database. */
    abstract static class RegistryRead implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--json", description = "print JSON instead of text")
        boolean json;

        @Override
        public Integer call() throws IOException {
            GatewayConfig c;
            try {
                c = config.load();
            } catch (InvalidConfigException e) {
                System.err.println(e.getMessage());
                return ExitCodes.USAGE;
            }
            Database registry = DeviceRegistry.openDatabase(c.store().registryFile());
            return print(DeviceRegistry.read(registry), DeviceRegistry.readHealth(registry));
        }

        /** @param health the health check's last judgement per device id (a device without one is Online) */
        abstract int print(List<Device> devices, Map<String, HealthMark> health) throws IOException;
    }

    @Command(
            name = "list",
            description = "List registered devices with their attestation state and health, quarantined first, and a "
                    + "summary line (read from the database; the health is the running gateway's last judgement).")
    static final class ListDevices extends RegistryRead {
        @Option(
                names = "--state",
                paramLabel = "STATE",
                description =
                        "only devices in this trust state (trusted, pending, quarantined, "
                                + "unapproved) or attestation state (tampered, unknown_firmware, revoked, downgrade, unresponsive, …)")
        String state;

        @Option(
                names = "--health",
                paramLabel = "HEALTH",
                description = "only devices of this health (online, stale, offline), as the "
                        + "running gateway last judged it")
        String health;

        @Override
        int print(List<Device> devices, Map<String, HealthMark> marks) throws IOException {
            FleetPage page;
            try {
                page = FleetQuery.all(state, health).run(devices, d -> DeviceView.of(d, marks.get(d.deviceId())));
            } catch (IllegalArgumentException e) {
                System.err.println("devices list: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            if (json) {
                System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(page.devices()));
                return ExitCodes.OK;
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-32s %-16s %-11s %-8s %-12s %-18s %s%n",
                    "DEVICE",
                    "STATUS",
                    "TRUST",
                    "HEALTH",
                    "FIRMWARE",
                    "BOARD",
                    "LAST_SEEN");
            page.devices()
                    .forEach(d -> System.out.printf(
                            Locale.ROOT,
                            "%-32s %-16s %-11s %-8s %-12s %-18s %s%n",
                            d.get("device_id"),
                            d.get("status"),
                            d.get("trust"),
                            orDash(d.get("health")),
                            orDash(d.get("firmware_version")),
                            orDash(d.get("board")),
                            d.get("last_seen")));
            System.out.println(page.summary());
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "Show one device's registry entry (read from the database).")
    static final class Show extends RegistryRead {
        @Parameters(paramLabel = "ID", description = "device id")
        String deviceId;

        @Override
        int print(List<Device> devices, Map<String, HealthMark> health) throws IOException {
            var device =
                    devices.stream().filter(d -> d.deviceId().equals(deviceId)).findFirst();
            if (device.isEmpty()) {
                System.err.println("unknown device " + deviceId);
                return ExitCodes.FAILED;
            }
            Map<String, Object> view = DeviceView.of(device.get(), health.get(deviceId));
            if (json) {
                System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(view));
            } else {
                view.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-22s %s%n", k, v == null ? "-" : v));
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "commands",
            description = "List a device's SOC commands (open ones first, then newest) from the running gateway.")
    static final class Commands implements Callable<Integer> {
        @Parameters(paramLabel = "ID", description = "device id")
        String deviceId;

        @Option(
                names = "--limit",
                defaultValue = "50",
                description = "at most this many, 1..200 (default: ${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--json", description = "print the ops endpoint's JSON")
        boolean json;

        @Mixin
        OperatorOptions ops;

        @Override
        public Integer call() throws InterruptedException {
            if (!DeviceId.isValid(deviceId)) {
                System.err.println("device id \"" + deviceId + "\" does not match [A-Za-z0-9_-]{1,64}");
                return ExitCodes.USAGE;
            }
            if (!(ops.resolveReadOnly() instanceof OperatorOptions.Target.Ready ready)) {
                return ExitCodes.USAGE;
            }
            try {
                HttpResponse<String> response = ready.client().get("/devices/" + deviceId + "/commands?limit=" + limit);
                JsonNode body = JSON.readTree(response.body());
                if (response.statusCode() != 200) {
                    System.err.println("commands of " + deviceId + " failed (" + response.statusCode() + "): "
                            + body.path("error").asText());
                    return ExitCodes.FAILED;
                }
                if (json) {
                    System.out.println(response.body());
                    return ExitCodes.OK;
                }
                System.out.printf(
                        Locale.ROOT,
                        "%-48s %-10s %-9s %-24s %-24s %s%n",
                        "COMMAND",
                        "ACTION",
                        "STATE",
                        "REQUESTED",
                        "UPDATED",
                        "BY");
                for (JsonNode c : body.path("commands")) {
                    System.out.printf(
                            Locale.ROOT,
                            "%-48s %-10s %-9s %-24s %-24s %s%s%n",
                            c.path("command_id").asText(),
                            c.path("action").asText(),
                            c.path("state").asText(),
                            c.path("requested_at").asText(),
                            c.path("updated_at").asText(),
                            c.path("requested_by").asText(),
                            c.path("detail").isTextual()
                                    ? "  (" + c.path("detail").asText() + ")"
                                    : "");
                }
                System.out.println(body.path("commands").size() + " shown of "
                        + body.path("total").asInt() + ", " + body.path("open").asInt() + " open");
                return ExitCodes.OK;
            } catch (IOException e) {
                System.err.println(OpsClient.unreachable(ready.url(), e));
                return ExitCodes.FAILED;
            }
        }
    }

    /** Asks the running gateway to act on one device through its ops port (loopback, with the ops token). */
    abstract static class OperatorAction implements Callable<Integer> {
        @Parameters(paramLabel = "ID", description = "device id")
        String deviceId;

        @Mixin
        OperatorOptions ops;

        abstract String action();

        @Override
        public Integer call() throws InterruptedException {
            if (!DeviceId.isValid(deviceId)) {
                System.err.println("device id \"" + deviceId + "\" does not match [A-Za-z0-9_-]{1,64}");
                return ExitCodes.USAGE;
            }
            OperatorOptions.Target target = ops.resolve();
            if (target instanceof OperatorOptions.Target.Unusable unusable) {
                System.err.println(unusable.message());
                return unusable.exitCode();
            }
            OperatorOptions.Target.Ready ready = (OperatorOptions.Target.Ready) target;
            try {
                HttpResponse<String> response =
                        ready.client().operator(deviceId, action(), ready.writeToken(), ready.writeOperator());
                JsonNode body = JSON.readTree(response.body());
                if (response.statusCode() != 200) {
                    System.err.println(action() + " " + deviceId + " failed (" + response.statusCode() + "): "
                            + body.path("message").asText(body.path("error").asText()));
                    return ExitCodes.FAILED;
                }
                JsonNode d = body.path("device");
                System.out.println(deviceId + ": " + body.path("message").asText() + " (status "
                        + d.path("status").asText() + ", trust "
                        + d.path("trust").asText() + ")");
                return ExitCodes.OK;
            } catch (IOException e) {
                System.err.println(OpsClient.unreachable(ready.url(), e));
                return ExitCodes.FAILED;
            }
        }
    }

    @Command(name = "approve", description = "Approve a device registered under devices.registration_policy=approve.")
    static final class Approve extends OperatorAction {
        @Override
        String action() {
            return "approve";
        }
    }

    @Command(name = "quarantine", description = "Quarantine a device; only 'devices release' lifts it.")
    static final class Quarantine extends OperatorAction {
        @Override
        String action() {
            return "quarantine";
        }
    }

    @Command(name = "release", description = "Release a device from quarantine; it is challenged again at once.")
    static final class Release extends OperatorAction {
        @Override
        String action() {
            return "release";
        }
    }

    @Command(name = "attest", description = "Send the device a fresh attestation challenge now.")
    static final class Attest extends OperatorAction {
        @Override
        String action() {
            return "attest";
        }
    }

    private static String orDash(@Nullable Object s) {
        return s == null ? "-" : s.toString();
    }
}
