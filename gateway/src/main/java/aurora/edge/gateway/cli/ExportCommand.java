package aurora.edge.gateway.cli;

import aurora.edge.attestation.DeviceId;
import aurora.edge.gateway.config.Durations;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.config.InvalidConfigException;
import aurora.edge.gateway.outbox.OutboxInspector;
import aurora.edge.gateway.store.Database;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code export --since 24h [--device ID] [--out FILE]}: the local audit trail (audit events, and
 * the data held from untrusted devices) as JSON lines, one normalized event per line, oldest first,
 * for an incident report. Reads the database, so it works with the gateway stopped or running.
 */
@Command(
        name = "export",
        description = "Write the local audit trail (and held data) of a device, or of all, as JSON lines.")
public final class ExportCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(
            names = "--since",
            paramLabel = "DURATION",
            defaultValue = "24h",
            description = "how far back, e.g. 30m, 24h, 7d (default: ${DEFAULT-VALUE})")
    String since;

    @Option(names = "--device", paramLabel = "ID", description = "only this device's events (default: every event)")
    String deviceId;

    @Option(names = "--out", paramLabel = "FILE", description = "write to FILE instead of standard output")
    Path out;

    @Override
    public Integer call() throws IOException {
        Duration back = Durations.parse(since).orElse(null);
        if (back == null || back.isNegative()) {
            System.err.println("export: --since \"" + since + "\" is not a duration (e.g. 30m, 24h, 7d)");
            return ExitCodes.USAGE;
        }
        if (deviceId != null && !DeviceId.isValid(deviceId)) {
            System.err.println("export: device id \"" + deviceId + "\" does not match [A-Za-z0-9_-]{1,64}");
            return ExitCodes.USAGE;
        }
        GatewayConfig c;
        try {
            c = config.load();
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage());
            return ExitCodes.USAGE;
        }
        OutboxInspector inspector = new OutboxInspector(Database.open(c.store().databaseFile()));
        Instant from = Instant.now().minus(back);
        long written;
        try (OutputStream sink = new BufferedOutputStream(out == null ? standardOutput() : Files.newOutputStream(out));
                Progress progress = Progress.onStderr("export", inspector.auditTrailSize(deviceId, from), "events")) {
            written = inspector.auditTrail(deviceId, from, event -> {
                try {
                    sink.write(event);
                    sink.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                progress.advance(1);
            });
        }
        System.err.println("exported " + written + " events" + (deviceId == null ? "" : " of " + deviceId) + " since "
                + from + (out == null ? "" : " to " + out));
        return ExitCodes.OK;
    }

    /** Standard output for try-with-resources: closing it flushes and leaves the process's stdout open. */
    private static OutputStream standardOutput() {
        return new FilterOutputStream(System.out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
