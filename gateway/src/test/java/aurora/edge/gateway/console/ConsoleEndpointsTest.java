package aurora.edge.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console reads exactly these ops endpoints, the JSON the command line reads too (one source of
 * truth: {@code /devices} pages are made by the same {@code FleetQuery} as {@code devices list}),
 * and sends exactly the operator commands of {@code devices approve|quarantine|release|attest}
 * plus starting a trace; a device's SOC commands are read from the endpoint {@code devices commands ID}
 * reads. A new call in the pages must be added here, on purpose.
 */
class ConsoleEndpointsTest {
    private static final Set<String> READS = Set.of(
            "/devices?",
            "/devices/{id}",
            "/devices/{id}/trace",
            "/devices/{id}/commands?limit=COMMANDS_SHOWN",
            "/status",
            "/pipeline",
            "/config");
    private static final Set<String> WRITES = Set.of("/devices/{id}/{action}", "/devices/{id}/trace");
    private static final Set<String> ACTIONS = Set.of("approve", "quarantine", "release", "attest");

    private static String script() throws IOException {
        try (InputStream in =
                ConsoleEndpointsTest.class.getResourceAsStream("/aurora/edge/gateway/console/console.js")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A path as the script builds it, with the device id and action as placeholders. */
    private static String normalise(String expression) {
        return expression
                .replaceAll("encodeURIComponent\\([^()]*\\)", "{id}")
                .replaceAll("\\baction\\b", "{action}")
                .replaceAll("[\\s'+]", "");
    }

    /** The argument of every call of {@code function} in the script (one level of nested parentheses), normalised. */
    private static Set<String> calls(String script, String function) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![\\w.])" + function + "\\(((?:[^()]|\\([^()]*\\))*)\\)")
                .matcher(script);
        while (m.find()) {
            if (!m.group(1).equals("path")) { // the definition itself
                out.add(normalise(m.group(1)));
            }
        }
        return out;
    }

    @Test
    void thePagesReadOnlyThePinnedEndpoints() throws IOException {
        String js = script();
        Set<String> reads = calls(js, "api");
        reads.remove("fleetQuery()");
        assertThat(js).contains("return '/devices?' + p.toString();");
        reads.add("/devices?");
        assertThat(reads).containsExactlyInAnyOrderElementsOf(READS);
        assertThat(js)
                .doesNotContain("fetch('http", "fetch(\"http", "XMLHttpRequest", "innerHTML", "eval(", "new Function");
        assertThat(Pattern.compile("\\bfetch\\(").matcher(js).results().count())
                .as("fetch only in api() and post()")
                .isEqualTo(2);
    }

    @Test
    void theDevicePageAndTheCommandLineReadADevicesCommandsFromOneEndpoint() throws IOException {
        String cli;
        try (InputStream in =
                new java.io.FileInputStream("src/main/java/aurora/edge/gateway/cli/DevicesCommand.java")) {
            cli = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(cli).contains("get(\"/devices/\" + deviceId + \"/commands?limit=\" + limit)");
        assertThat(calls(script(), "api")).contains("/devices/{id}/commands?limit=COMMANDS_SHOWN");
    }

    @Test
    void thePagesSendOnlyTheOperatorCommandsOfTheCommandLine() throws IOException {
        String js = script();
        assertThat(calls(js, "post")).containsExactlyInAnyOrderElementsOf(WRITES);
        Matcher actions = Pattern.compile("const ACTIONS = \\{([^}]*)\\}").matcher(js);
        assertThat(actions.find()).isTrue();
        Set<String> named = new TreeSet<>();
        Pattern.compile("(\\w+):").matcher(actions.group(1)).results().forEach(r -> named.add(r.group(1)));
        assertThat(named).containsExactlyInAnyOrderElementsOf(ACTIONS);
    }
}
