package aurora.edge.gateway.cli;

import aurora.edge.attestation.DeviceId;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.config.InvalidConfigException;
import aurora.edge.gateway.tls.RevokedDevices;
import aurora.edge.gateway.tls.SiteCa;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code devices init-ca | issue-cert ID | revoke ID}: a site CA for MQTT over TLS, for labs and
 * sites without a PKI, and revocation. They work on files (the CA directory, by default
 * {@code <data.dir>/tls}, and the revoked-device list); a running gateway notices the changes within
 * {@code mqtt.tls.reload_interval}, closes the sessions of a revoked device and audits it
 * ({@code DEVICE_CERT_REVOKED}).
 */
final class DeviceCertCommands {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}");

    private DeviceCertCommands() {}

    /** Shared: the configuration and the CA directory. */
    abstract static class CaCommand implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(
                names = "--ca-dir",
                paramLabel = "DIR",
                description = "the site CA's directory (default: <data.dir>/tls)")
        Path caDir;

        @Nullable
        GatewayConfig loaded;

        @Override
        public Integer call() throws IOException {
            try {
                loaded = config.load();
            } catch (InvalidConfigException e) {
                System.err.println(e.getMessage());
                return ExitCodes.USAGE;
            }
            return run(
                    new SiteCa(caDir != null ? caDir : loaded.store().dataDir().resolve("tls"), Clock.systemUTC()));
        }

        abstract int run(SiteCa ca) throws IOException;

        /** The configuration {@link #call()} loaded before {@link #run}. */
        GatewayConfig loaded() {
            return Objects.requireNonNull(loaded, "loaded by call() before run()");
        }

        static boolean validId(String deviceId) {
            if (!DeviceId.isValid(deviceId)) {
                System.err.println("device id \"" + deviceId + "\" does not match [A-Za-z0-9_-]{1,64}");
                return false;
            }
            return true;
        }
    }

    @Command(
            name = "init-ca",
            description = "Create a site CA (key 0600), the TLS listener's certificate and an empty CRL.")
    static final class InitCa extends CaCommand {
        @Option(
                names = "--server-name",
                paramLabel = "NAME",
                description =
                        "a DNS name devices reach the gateway by (repeatable; localhost and 127.0.0.1 are always in)")
        List<String> serverNames = new ArrayList<>();

        @Override
        int run(SiteCa ca) throws IOException {
            List<String> names = serverNames.isEmpty() ? List.of(SiteCa.hostName()) : serverNames;
            for (String n : names) {
                if (!HOST.matcher(n).matches()) {
                    System.err.println("--server-name \"" + n + "\" is not a DNS name");
                    return ExitCodes.USAGE;
                }
            }
            try {
                ca.init(loaded().identity().siteId(), names);
            } catch (IOException e) {
                System.err.println(e.getMessage());
                return ExitCodes.FAILED;
            }
            Path d = ca.dir().toAbsolutePath();
            System.out.println("site CA created in " + d + "; to serve MQTT over TLS with it:");
            System.out.println("mqtt:");
            System.out.println("  tls:");
            System.out.println("    cert: " + d.resolve(SiteCa.SERVER_CERT));
            System.out.println("    key: " + d.resolve(SiteCa.SERVER_KEY));
            System.out.println("    ca: " + d.resolve(SiteCa.CA_CERT));
            System.out.println("    crl: " + d.resolve(SiteCa.CRL));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "issue-cert",
            description = "Issue a device key and certificate (CN = SAN = ID) signed by the site CA.")
    static final class IssueCert extends CaCommand {
        @Parameters(paramLabel = "ID", description = "device id, [A-Za-z0-9_-]{1,64}")
        String deviceId;

        @Option(
                names = "--out",
                paramLabel = "DIR",
                description = "where ID.pem and ID.key go (default: the current directory)")
        Path out = Path.of(".");

        @Option(names = "--days", paramLabel = "N", description = "validity in days (default: 825)")
        int days = 825;

        @Override
        int run(SiteCa ca) throws IOException {
            if (!validId(deviceId)) {
                return ExitCodes.USAGE;
            }
            if (days < 1 || days > 36_500) {
                System.err.println("--days " + days + " is not in [1, 36500]");
                return ExitCodes.USAGE;
            }
            if (!ca.exists()) {
                System.err.println("no site CA in " + ca.dir() + ": run devices init-ca first (or give --ca-dir)");
                return ExitCodes.FAILED;
            }
            Path[] files = ca.issue(deviceId, out, Duration.ofDays(days));
            System.out.println("certificate " + files[0] + "\nkey " + files[1] + " (0600)\nCA "
                    + ca.dir().resolve(SiteCa.CA_CERT));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "revoke",
            description = "Revoke a device: the revoked-device list, and a new CRL when the site CA is the gateway's.")
    static final class Revoke extends CaCommand {
        @Parameters(paramLabel = "ID", description = "device id")
        String deviceId;

        @Option(
                names = "--operator",
                paramLabel = "NAME",
                description = "who revokes, written to the list and named in the gateway's audit event "
                        + "(default: $AURORA_OPERATOR, else the OS user)")
        @Nullable
        String operator;

        @Override
        int run(SiteCa ca) throws IOException {
            if (!validId(deviceId)) {
                return ExitCodes.USAGE;
            }
            String name = OperatorOptions.operatorName(operator);
            if (name == null) {
                System.err.println(OperatorOptions.badOperatorName(operator));
                return ExitCodes.USAGE;
            }
            Path list = RevokedDevices.file(loaded().store().dataDir());
            boolean added =
                    RevokedDevices.add(list, deviceId, name, Clock.systemUTC().instant());
            System.out.println(deviceId + (added ? " added to " : " already on ") + list);
            if (ca.exists()) {
                Path configured = loaded().mqtt().tls().crl();
                Path crl = configured != null ? configured : ca.dir().resolve(SiteCa.CRL);
                int n = ca.revoke(deviceId, crl);
                System.out.println(n + " certificate(s) of " + deviceId + " added to the CRL " + crl);
            }
            System.out.println(
                    "a running gateway closes the device's sessions within mqtt.tls.reload_interval and audits DEVICE_CERT_REVOKED");
            return ExitCodes.OK;
        }
    }
}
