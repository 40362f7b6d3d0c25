package aurora.edge.bench.sidebyside;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the product runs the gateway, read from its systemd unit ({@code systemd/aurora-edge.service}) so the bench and
 * the package cannot drift: the {@code JAVA_OPTS} of {@code Environment="JAVA_OPTS=..."} and every other
 * {@code Environment="NAME=value"} (e.g. {@code MALLOC_ARENA_MAX}). The unit's state-directory paths
 * ({@code /var/lib/aurora-edge/...}) are replaced by a directory of the bench's own.
 */
record ServiceUnit(List<String> javaOpts, Map<String, String> environment) {
    static final Path UNIT = Path.of(System.getProperty("bench.sbs.unit", "systemd/aurora-edge.service"));
    private static final Pattern ENVIRONMENT_LINE = Pattern.compile("^Environment=(.*)$", Pattern.MULTILINE);
    /** One {@code "NAME=value"} of an Environment= line (a line may hold several). */
    private static final Pattern ASSIGNMENT = Pattern.compile("\"([A-Za-z_][A-Za-z0-9_]*)=([^\"]*)\"");

    private static final String STATE_DIR = "/var/lib/aurora-edge";

    ServiceUnit {
        javaOpts = List.copyOf(javaOpts);
        environment = Map.copyOf(environment);
    }

    static ServiceUnit read(Path unit, Path stateDir) throws IOException {
        Matcher line = ENVIRONMENT_LINE.matcher(Files.readString(unit));
        List<String> opts = null;
        Map<String, String> env = new LinkedHashMap<>();
        String state = stateDir.toAbsolutePath().toString();
        while (line.find()) {
            Matcher m = ASSIGNMENT.matcher(line.group(1));
            while (m.find()) {
                String value = m.group(2).replace(STATE_DIR, state);
                if (m.group(1).equals("JAVA_OPTS")) {
                    opts = new ArrayList<>(List.of(value.strip().split("\\s+")));
                } else {
                    env.put(m.group(1), value);
                }
            }
        }
        if (opts == null) {
            throw new IllegalStateException("no Environment=\"JAVA_OPTS=...\" line in " + unit.toAbsolutePath());
        }
        return new ServiceUnit(opts, env);
    }
}
