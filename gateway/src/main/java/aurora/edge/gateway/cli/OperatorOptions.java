package aurora.edge.gateway.cli;

import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.config.InvalidConfigException;
import aurora.edge.gateway.ops.OpsToken;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What every command that changes the running gateway shares: where its ops port is and the ops
 * token, both from the configuration ({@code http.*}, {@code ops.token_file}) unless given, and
 * the operator's name for the audit trail.
 */
final class OperatorOptions {
    private static final Pattern OPERATOR_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    @Mixin
    ConfigOption config;

    @Option(
            names = "--url",
            description = "the gateway's ops URL (default: from http.host and http.port of the configuration)")
    URI url;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "the ops token file (default: ops.token_file of the configuration)")
    Path tokenFile;

    @Option(
            names = "--operator",
            paramLabel = "NAME",
            description = "who is acting, recorded in the audit event (default: $AURORA_OPERATOR, else the OS user)")
    String operator;

    /** How to reach the gateway, or why not (a message for standard error). */
    sealed interface Target {
        record Ready(
                OpsClient client,
                URI url,
                @Nullable OpsToken token,
                @Nullable String operator) implements Target {
            /** For an operator write: a target from {@link OperatorOptions#resolve()} has both. */
            OpsToken writeToken() {
                return Objects.requireNonNull(token, "an operator write needs resolve(), not resolveReadOnly()");
            }

            String writeOperator() {
                return Objects.requireNonNull(operator, "an operator write needs resolve(), not resolveReadOnly()");
            }
        }

        record Unusable(int exitCode, @Nullable String message) implements Target {}
    }

    /** For a read: the ops port only, no token or operator needed; a bad configuration is printed. */
    Target resolveReadOnly() {
        GatewayConfig c;
        try {
            c = config.load();
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage());
            return new Target.Unusable(ExitCodes.USAGE, e.getMessage());
        }
        OpsClient client = url != null ? new OpsClient(url) : OpsClient.of(c.http());
        return new Target.Ready(client, client.base(), null, null);
    }

    Target resolve() {
        GatewayConfig c;
        try {
            c = config.load();
        } catch (InvalidConfigException e) {
            return new Target.Unusable(ExitCodes.USAGE, e.getMessage());
        }
        String name = operatorName(operator);
        if (name == null) {
            return new Target.Unusable(ExitCodes.USAGE, badOperatorName(operator));
        }
        Path file = tokenFile != null ? tokenFile : c.http().tokenFile();
        OpsToken token;
        try {
            token = OpsToken.load(file);
        } catch (IOException e) {
            return new Target.Unusable(
                    ExitCodes.FAILED,
                    "cannot read the ops token " + file + ": " + e.getMessage()
                            + " (run as the service user, or pass --config or --token-file)");
        }
        OpsClient client = url != null ? new OpsClient(url) : OpsClient.of(c.http());
        return new Target.Ready(client, client.base(), token, name);
    }

    /** {@code given}, else $AURORA_OPERATOR, else the OS user; null when that is not a valid operator name. */
    static @Nullable String operatorName(@Nullable String given) {
        String name = given != null
                ? given
                : System.getenv().getOrDefault("AURORA_OPERATOR", System.getProperty("user.name", ""));
        return OPERATOR_NAME.matcher(name).matches() ? name : null;
    }

    static String badOperatorName(@Nullable String given) {
        return "operator name \"" + (given != null ? given : System.getenv().getOrDefault("AURORA_OPERATOR", ""))
                + "\" does not match [A-Za-z0-9._@-]{1,64} (use --operator)";
    }
}
