package aurora.edge.gateway.cli;

import aurora.edge.attestation.DeviceId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code devices bind CHILD --relay RELAY} and {@code devices unbind CHILD}: an operator binding of
 * a device to a relay (an aggregating gateway), sent to the running gateway's ops port with the ops
 * token and the operator's name, stored in the registry and audited ({@code RELAY_BOUND},
 * {@code RELAY_UNBOUND}).
 */
final class RelayBindingCommands {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RelayBindingCommands() {}

    @Command(
            name = "bind",
            description = "Bind a device to a relay: the relay may then publish and receive for it (and only for the "
                    + "devices bound to it). Overrides the endorsement list's relay for this device.")
    static final class Bind implements Callable<Integer> {
        @Parameters(paramLabel = "CHILD", description = "the device the relay carries")
        String childId;

        @Option(names = "--relay", required = true, paramLabel = "RELAY", description = "the relay's device id")
        String relayId;

        @Mixin
        OperatorOptions ops;

        @Override
        public Integer call() throws InterruptedException {
            if (!DeviceId.isValid(relayId)) {
                System.err.println("relay id \"" + relayId + "\" does not match [A-Za-z0-9_-]{1,64}");
                return ExitCodes.USAGE;
            }
            return send(ops, childId, "bind?relay=" + relayId);
        }
    }

    @Command(
            name = "unbind",
            description = "Remove a device's operator binding to a relay (a binding from the endorsement list, if any, "
                    + "applies again).")
    static final class Unbind implements Callable<Integer> {
        @Parameters(paramLabel = "CHILD", description = "the device")
        String childId;

        @Mixin
        OperatorOptions ops;

        @Override
        public Integer call() throws InterruptedException {
            return send(ops, childId, "unbind");
        }
    }

    private static int send(OperatorOptions ops, String childId, String action) throws InterruptedException {
        if (!DeviceId.isValid(childId)) {
            System.err.println("device id \"" + childId + "\" does not match [A-Za-z0-9_-]{1,64}");
            return ExitCodes.USAGE;
        }
        OperatorOptions.Target target = ops.resolve();
        if (target instanceof OperatorOptions.Target.Unusable unusable) {
            System.err.println(unusable.message());
            return unusable.exitCode();
        }
        OperatorOptions.Target.Ready ready = (OperatorOptions.Target.Ready) target;
        String verb = action.startsWith("bind") ? "bind" : "unbind";
        try {
            HttpResponse<String> response =
                    ready.client().operator(childId, action, ready.writeToken(), ready.writeOperator());
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                System.err.println(verb + " " + childId + " failed (" + response.statusCode() + "): "
                        + body.path("message").asText(body.path("error").asText()));
                return ExitCodes.FAILED;
            }
            System.out.println(childId + ": " + body.path("message").asText() + " (relay "
                    + orDash(body.path("relay_id").textValue()) + ")");
            return ExitCodes.OK;
        } catch (IOException e) {
            System.err.println(OpsClient.unreachable(ready.url(), e));
            return ExitCodes.FAILED;
        }
    }

    private static String orDash(@Nullable String s) {
        return s == null ? "-" : s;
    }
}
