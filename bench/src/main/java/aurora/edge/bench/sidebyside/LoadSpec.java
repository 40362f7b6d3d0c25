package aurora.edge.bench.sidebyside;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one load-generator run does. {@code BURST}: every client keeps {@code window} QoS 1
 * publishes in flight; {@code FLEET}: every client publishes at {@code rateHz} with a random phase;
 * {@code IDLE}: clients connect and stay silent. Load lasts {@code warmupSeconds + seconds}; only
 * the last {@code seconds} are measured.
 */
record LoadSpec(
        String host,
        int port,
        Mode mode,
        int devices,
        int window,
        double rateHz,
        int warmupSeconds,
        int seconds,
        String idPrefix,
        String siteKeyFile,
        boolean credentials,
        boolean subscribeAcks,
        int connectConcurrency,
        String resultFile) {

    enum Mode {
        BURST,
        FLEET,
        IDLE
    }

    LoadSpec {
        if (port <= 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1..65535, found: " + port);
        }
        if (devices < 1 || window < 1 || window > 30_000 || seconds < 1 || warmupSeconds < 0) {
            throw new IllegalArgumentException("devices, window, seconds must be positive, warmup not negative");
        }
        if (mode == Mode.FLEET && !(rateHz > 0)) {
            throw new IllegalArgumentException("a fleet needs rateHz > 0, found: " + rateHz);
        }
        if (!idPrefix.matches("[A-Za-z0-9_-]{1,20}")) {
            throw new IllegalArgumentException("idPrefix must match [A-Za-z0-9_-]{1,20}, found: " + idPrefix);
        }
    }

    /** As command-line arguments {@code key=value}, the form {@link #parse} reads. */
    String[] toArgs() {
        Map<String, String> m = new TreeMap<>();
        m.put("host", host);
        m.put("port", String.valueOf(port));
        m.put("mode", mode.name());
        m.put("devices", String.valueOf(devices));
        m.put("window", String.valueOf(window));
        m.put("rateHz", String.valueOf(rateHz));
        m.put("warmupSeconds", String.valueOf(warmupSeconds));
        m.put("seconds", String.valueOf(seconds));
        m.put("idPrefix", idPrefix);
        m.put("siteKeyFile", siteKeyFile);
        m.put("credentials", String.valueOf(credentials));
        m.put("subscribeAcks", String.valueOf(subscribeAcks));
        m.put("connectConcurrency", String.valueOf(connectConcurrency));
        m.put("resultFile", resultFile);
        return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    static LoadSpec parse(String[] args) {
        Map<String, String> m = new TreeMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("arguments are key=value, found: " + a);
            }
            m.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return new LoadSpec(
                m.getOrDefault("host", "127.0.0.1"),
                Integer.parseInt(require(m, "port")),
                Mode.valueOf(m.getOrDefault("mode", "BURST").toUpperCase(Locale.ROOT)),
                Integer.parseInt(m.getOrDefault("devices", "16")),
                Integer.parseInt(m.getOrDefault("window", "32")),
                Double.parseDouble(m.getOrDefault("rateHz", "1")),
                Integer.parseInt(m.getOrDefault("warmupSeconds", "5")),
                Integer.parseInt(m.getOrDefault("seconds", "20")),
                m.getOrDefault("idPrefix", "b"),
                m.getOrDefault("siteKeyFile", ""),
                Boolean.parseBoolean(m.getOrDefault("credentials", "false")),
                Boolean.parseBoolean(m.getOrDefault("subscribeAcks", "false")),
                Integer.parseInt(m.getOrDefault("connectConcurrency", "32")),
                m.getOrDefault("resultFile", ""));
    }

    private static String require(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing argument " + key + "=...");
        }
        return v;
    }
}
