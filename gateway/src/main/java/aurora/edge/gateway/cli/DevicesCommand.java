package aurora.edge.gateway.cli;

import aurora.edge.gateway.broker.DeviceCredentials;
import aurora.edge.gateway.broker.SiteKey;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.config.InvalidConfigException;
import aurora.edge.gateway.intake.DeviceTopic;
import aurora.edge.gateway.outbox.OutboxInspector;
import aurora.edge.gateway.store.Database;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code devices provision ID} and {@code devices list}. */
@Command(name = "devices", description = "Provision devices and list the devices seen.",
        subcommands = {DevicesCommand.Provision.class, DevicesCommand.ListDevices.class})
public final class DevicesCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Command(name = "provision", description = "Print a device's MQTT credentials as JSON (creates the site key if absent).")
    static final class Provision implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "ID", description = "device id, [A-Za-z0-9_-]{1,64}")
        String deviceId;

        @Override
        public Integer call() throws IOException {
            if (!DeviceTopic.isDeviceId(deviceId)) {
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
            DeviceCredentials credentials = new DeviceCredentials(SiteKey.loadOrCreate(c.store().deviceKeyFile()));
            Map<String, String> out = new LinkedHashMap<>();
            out.put("device_id", deviceId);
            out.put("username", deviceId);
            out.put("password", credentials.passwordFor(deviceId));
            System.out.println(JSON.writeValueAsString(out));
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "List the devices the gateway has received messages from.")
    static final class ListDevices implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--json", description = "print JSON instead of a table")
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
            var devices = new OutboxInspector(Database.open(c.store().databaseFile())).devicesSeen();
            if (json) {
                System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(devices));
            } else {
                System.out.printf("%-32s %8s %10s  %s%n", "DEVICE", "BOOT", "ACKED_SEQ", "LAST_SEEN");
                devices.forEach(d -> System.out.printf("%-32s %8d %10d  %s%n", d.deviceId(), d.boot(), d.ackedSeq(), d.lastSeen()));
            }
            return ExitCodes.OK;
        }
    }
}
