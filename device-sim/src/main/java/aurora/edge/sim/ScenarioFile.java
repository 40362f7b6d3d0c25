package aurora.edge.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a scenario: the device model and the hostile rules of a fleet, in YAML. Unknown keys and bad values are
 * all collected and reported together, each with its key path and value.
 *
 * <pre>
 * model:
 *   poll_interval: 10s          # Thread data-poll period (simulated)
 *   transport: mqttsn-dtls      # mqtt-tcp, mqtt-tls, mqttsn-dtls, mqttsn-relay (--transport wins); or a
 *                               # radio profile only: thread-mqttsn-qos0|-qos1, thread-mqtt-tcp-qos1 (wire mqtt-tcp)
 *   battery_start: 1.0          # charge left at the start, (0, 1]
 *   capacity_spread: 0.05
 *   bad_batch_share: 0.01
 * hostile:
 *   - behaviour: flood          # see Behaviour (wire names)
 *     share: 0.01               # and/or devices: [3, 7]
 *     factor: 20                # flood: messages per wake
 *   - behaviour: clock-skew
 *     devices: [4]
 *     skew: -26h                # a leading '-' for a clock behind
 *   - behaviour: seq-gap
 *     share: 0.02
 *     every: 5                  # one injection (or gap, rewind) every 5 wakes
 * </pre>
 */
final class ScenarioFile {
    /** A parsed scenario. */
    /**
     * A parsed scenario.
     *
     * @param wire          the wire {@code model.transport} names, or null (a radio profile name, or none)
     * @param radioExplicit {@code model.transport} named a radio profile: it is charged whatever the wire
     */
    record Scenario(DeviceModel model, List<HostileRule> hostile, WireTransport wire, boolean radioExplicit) {
        Scenario(DeviceModel model, List<HostileRule> hostile) {
            this(model, hostile, null, false);
        }
    }

    private WireTransport wire;
    private boolean radioExplicit;

    private static final Set<String> TOP = Set.of("model", "hostile");
    private static final Set<String> MODEL =
            Set.of("poll_interval", "transport", "battery_start", "capacity_spread", "bad_batch_share");
    private static final Set<String> RULE = Set.of("behaviour", "share", "devices", "every", "factor", "skew");

    private final List<String> errors = new ArrayList<>();

    private ScenarioFile() {}

    static Scenario read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    static Scenario parse(String yaml) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "not YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new Scenario(DeviceModel.DEFAULT, List.of());
        }
        return new ScenarioFile().scenario(root);
    }

    private Scenario scenario(JsonNode root) {
        if (!root.isObject()) {
            throw new IllegalArgumentException("a scenario must be a mapping with model and/or hostile");
        }
        unknownKeys(root, TOP, "");
        DeviceModel model = model(root.path("model"));
        List<HostileRule> rules = new ArrayList<>();
        JsonNode hostile = root.path("hostile");
        if (!hostile.isMissingNode() && !hostile.isArray()) {
            errors.add("hostile: must be a list, found: " + hostile);
        } else {
            for (int i = 0; i < hostile.size(); i++) {
                HostileRule rule = rule(hostile.get(i), "hostile[" + i + "]");
                if (rule != null) {
                    rules.add(rule);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new Scenario(model, rules, wire, radioExplicit);
    }

    private DeviceModel model(JsonNode node) {
        if (node.isMissingNode()) {
            return DeviceModel.DEFAULT;
        }
        unknownKeys(node, MODEL, "model.");
        DeviceModel d = DeviceModel.DEFAULT;
        Duration poll = duration(node.get("poll_interval"), "model.poll_interval", d.pollInterval());
        Transport transport = d.transport();
        JsonNode t = node.get("transport");
        if (t != null) {
            wire = WireTransport.parse(t.asText()).orElse(null);
            if (wire == null) {
                try {
                    // the names of before --transport: a radio profile, the wire stays MQTT over TCP
                    transport = Transport.valueOf(
                            t.asText().toUpperCase(Locale.ROOT).replace('-', '_'));
                    radioExplicit = true;
                } catch (IllegalArgumentException e) {
                    errors.add("model.transport: must be " + WireTransport.choices()
                            + " (or a radio profile: thread-mqttsn-qos0, thread-mqttsn-qos1, thread-mqtt-tcp-qos1,"
                            + " thread-mqttsn-dtls-qos0, thread-mqttsn-dtls-qos1, thread-mqtt-tls-qos1), found: "
                            + t.asText());
                }
            }
        }
        double start = number(node.get("battery_start"), "model.battery_start", d.batteryStart());
        double spread = number(node.get("capacity_spread"), "model.capacity_spread", d.capacitySpread());
        double bad = number(node.get("bad_batch_share"), "model.bad_batch_share", d.badBatchShare());
        try {
            return new DeviceModel(poll, transport, start, spread, bad);
        } catch (InvalidFleetSpecException e) {
            errors.add("model: " + e.getMessage());
            return d;
        }
    }

    private HostileRule rule(JsonNode node, String at) {
        if (!node.isObject()) {
            errors.add(at + ": must be a mapping, found: " + node);
            return null;
        }
        unknownKeys(node, RULE, at + ".");
        String name = node.path("behaviour").asText("");
        var behaviour = Behaviour.fromWireName(name);
        if (behaviour.isEmpty()) {
            errors.add(at + ".behaviour: must be one of " + Arrays.wireNames() + ", found: '" + name + "'");
            return null;
        }
        List<Integer> devices = new ArrayList<>();
        JsonNode list = node.get("devices");
        if (list != null) {
            if (!list.isArray()) {
                errors.add(at + ".devices: must be a list of device indices, found: " + list);
            } else {
                list.forEach(d -> {
                    if (d.canConvertToInt()) {
                        devices.add(d.asInt());
                    } else {
                        errors.add(at + ".devices: must be device indices, found: " + d);
                    }
                });
            }
        }
        try {
            return new HostileRule(
                    behaviour.get(),
                    number(node.get("share"), at + ".share", 0),
                    devices,
                    (int) number(node.get("every"), at + ".every", HostileRule.DEFAULT_EVERY),
                    (int) number(node.get("factor"), at + ".factor", HostileRule.DEFAULT_FACTOR),
                    duration(node.get("skew"), at + ".skew", HostileRule.DEFAULT_SKEW));
        } catch (InvalidFleetSpecException e) {
            errors.add(at + "." + e.field() + ": " + e.getMessage());
            return null;
        }
    }

    private void unknownKeys(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                errors.add(prefix + key + ": unknown key (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private double number(JsonNode v, String key, double fallback) {
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber()) {
            errors.add(key + ": must be a number, found: " + v);
            return fallback;
        }
        return v.asDouble();
    }

    private Duration duration(JsonNode v, String key, Duration fallback) {
        if (v == null) {
            return fallback;
        }
        String text = v.asText();
        try {
            return text.startsWith("-") ? Durations.parse(text.substring(1)).negated() : Durations.parse(text);
        } catch (IllegalArgumentException e) {
            errors.add(key + ": " + e.getMessage());
            return fallback;
        }
    }

    /** Behaviour wire names, for messages. */
    private static final class Arrays {
        static String wireNames() {
            return java.util.Arrays.stream(Behaviour.values())
                    .map(Behaviour::wireName)
                    .toList()
                    .toString();
        }
    }
}
