package aurora.edge.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code iocs list|confirm}: the federation indicators the running gateway keeps, and an
 * operator's confirmation of one that waits because it would quarantine more of the fleet than
 * {@code federation.max_fleet_share} allows. Both go to the ops port (the confirmation with the ops token).
 */
@Command(
        name = "iocs",
        description = "List federation indicators and confirm one that waits for an operator.",
        subcommands = {IocsCommand.ListIocs.class, IocsCommand.Confirm.class})
public final class IocsCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern IOC_ID = Pattern.compile("indicator--[A-Za-z0-9._-]{1,128}");

    @Command(name = "list", description = "List the indicators the running gateway keeps, with their state.")
    static final class ListIocs implements Callable<Integer> {
        @Mixin
        OperatorOptions ops;

        @Option(names = "--json", description = "print JSON instead of text")
        boolean json;

        @Override
        public Integer call() throws InterruptedException {
            if (!(ops.resolveReadOnly() instanceof OperatorOptions.Target.Ready ready)) {
                return ExitCodes.USAGE;
            }
            try {
                HttpResponse<String> response = ready.client().get("/iocs");
                if (response.statusCode() != 200) {
                    System.err.println("iocs list failed (" + response.statusCode() + ")");
                    return ExitCodes.FAILED;
                }
                if (json) {
                    System.out.println(response.body());
                    return ExitCodes.OK;
                }
                System.out.printf(Locale.ROOT, "%-48s %-14s %-22s %s%n", "IOC", "KIND", "STATE", "VALUE");
                for (JsonNode i : JSON.readTree(response.body())) {
                    System.out.printf(
                            Locale.ROOT,
                            "%-48s %-14s %-22s %s%n",
                            i.path("ioc_id").asText(),
                            i.path("kind").asText(),
                            i.path("state").asText(),
                            i.path("value").asText());
                }
                return ExitCodes.OK;
            } catch (IOException e) {
                System.err.println(OpsClient.unreachable(ready.url(), e));
                return ExitCodes.FAILED;
            }
        }
    }

    @Command(
            name = "confirm",
            description = "Confirm an indicator that waits: it is applied now, to every device it names.")
    static final class Confirm implements Callable<Integer> {
        @Parameters(paramLabel = "ID", description = "indicator id, indicator--…")
        String iocId;

        @Mixin
        OperatorOptions ops;

        @Override
        public Integer call() throws InterruptedException {
            if (!IOC_ID.matcher(iocId).matches()) {
                System.err.println("indicator id \"" + iocId + "\" does not match indicator--[A-Za-z0-9._-]{1,128}");
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
                        ready.client().post("/iocs/" + iocId + "/confirm", ready.writeToken(), ready.writeOperator());
                JsonNode body = JSON.readTree(response.body());
                if (response.statusCode() != 200) {
                    System.err.println("confirm " + iocId + " failed (" + response.statusCode() + "): "
                            + body.path("message").asText(body.path("error").asText()));
                    return ExitCodes.FAILED;
                }
                System.out.println(iocId + ": " + body.path("message").asText());
                return ExitCodes.OK;
            } catch (IOException e) {
                System.err.println(OpsClient.unreachable(ready.url(), e));
                return ExitCodes.FAILED;
            }
        }
    }
}
