package aurora.edge.bench.sidebyside;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The side-by-side figures as one Markdown table, with ratios to bare Moquette in the same scenario. */
final class Table {
    private static final double GENERATOR_LIMIT = 0.70;

    private Table() {}

    static String render(Map<String, Object> box, List<Scenario> scenarios, List<Map<String, Object>> rows) {
        StringBuilder b = new StringBuilder();
        @SuppressWarnings("unchecked")
        Map<String, Object> fsync = (Map<String, Object>) box.get("fsync");
        b.append(String.format(
                Locale.ROOT,
                "box: %s cores, load average at start %s; fsync p50 %.0f µs / p99 %.0f µs (%s)%n",
                box.get("cores"),
                box.get("loadavgAtStart"),
                num(fsync.get("p50Us")),
                num(fsync.get("p99Us")),
                fsync.get("tool")));
        b.append("versions: ").append(box.get("versions")).append(System.lineSeparator());
        for (Scenario s : scenarios) {
            b.append("scenario ")
                    .append(s.name())
                    .append(": ")
                    .append(s.describe())
                    .append(System.lineSeparator());
        }
        b.append(System.lineSeparator());
        b.append("| system | scenario | msgs/s | × Moquette | PUBACK p50 / p99 / p99.9 ms | durable ack p99 ms"
                + " | → Redis p99 ms | CPU s | × Moquette | µs CPU/msg | % of a core | sinks CPU s | peak RSS MB"
                + " | generator % core | notes |");
        b.append(System.lineSeparator());
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
                .append(System.lineSeparator());
        for (Map<String, Object> row : rows) {
            b.append(line(row, baseline(rows, (String) row.get("scenario")))).append(System.lineSeparator());
        }
        return b.toString();
    }

    private static Map<String, Object> baseline(List<Map<String, Object>> rows, String scenario) {
        for (Map<String, Object> r : rows) {
            if ("moquette".equals(r.get("systemKey"))
                    && scenario.equals(r.get("scenario"))
                    && !r.containsKey("error")) {
                return r;
            }
        }
        return Map.of();
    }

    @SuppressWarnings("unchecked")
    private static String line(Map<String, Object> row, Map<String, Object> base) {
        if (row.containsKey("error")) {
            return String.format(
                    Locale.ROOT,
                    "| %s | %s | failed | | | | | | | | | | | | %s |",
                    row.get("system"),
                    row.get("scenario"),
                    row.get("error"));
        }
        Map<String, Object> g = (Map<String, Object>) row.get("generator");
        Map<String, Object> cpu = (Map<String, Object>) row.get("cpuSecondsMeasured");
        Map<String, Object> rss = (Map<String, Object>) row.get("peakRssMb");
        Map<String, Object> sinks = (Map<String, Object>) row.get("sinks");
        boolean idle = "idle".equals(g.get("mode"));
        double seconds = num(g.get("measuredSeconds"));
        double rate = num(g.get("msgsPerSecond"));
        double mainCpu = first(cpu);
        double measured = num(g.get("pubacksMeasured"));
        double sinkCpu = rest(cpu);
        Map<String, Object> puback = (Map<String, Object>) g.get("puback");
        Map<String, Object> durable = (Map<String, Object>) g.get("durableAck");
        List<String> notes = new ArrayList<>();
        double genShare = num(g.get("generatorCoreShare"));
        if (genShare > GENERATOR_LIMIT) {
            notes.add("**generator > 70 % of a core: generator-bound**");
        }
        Map<String, Object> jit = (Map<String, Object>) row.getOrDefault("jitCpuSecondsMeasured", Map.of());
        if (!jit.isEmpty() && first(jit) > 0 && mainCpu > 0) {
            // JIT compiler threads: warm-up, not per-message cost (separated so the two are not confused)
            notes.add(String.format(
                    Locale.ROOT, "of which JIT %.1f CPU-s (%.0f %%)", first(jit), 100 * first(jit) / mainCpu));
        }
        note(notes, g, "refused", "refused");
        note(notes, g, "disconnected", "disconnected");
        note(notes, g, "unackedAtEnd", "unacked at end");
        note(notes, g, "bufferFull", "sends skipped (client buffer full)");
        note(notes, g, "durableMissingAtEnd", "not durably acked at end");
        note(
                notes,
                sinks,
                "redisMissing",
                "PUBACKed, not yet in Redis when the bench stopped waiting (forwarding behind)");
        if (sinks.containsKey("redisCaughtUpSeconds") && !idle) {
            notes.add(String.format(
                    Locale.ROOT,
                    "all in Redis, the last %.1f s after the load stopped",
                    num(sinks.get("redisCaughtUpSeconds"))));
        }
        if (sinks.containsKey("streamMessagesTotal")) {
            notes.add("stream holds " + sinks.get("streamMessagesTotal") + " (all scenarios so far)");
        }
        Map<String, Object> baseGen = base.isEmpty() ? Map.of() : (Map<String, Object>) base.get("generator");
        double baseRate = baseGen.isEmpty() ? 0 : num(baseGen.get("msgsPerSecond"));
        double baseCpu = base.isEmpty() ? 0 : first((Map<String, Object>) base.get("cpuSecondsMeasured"));
        return String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s | %s | %s | %.1f | %s | %s | %.1f | %s | %.0f | %.0f | %s |",
                row.get("system"),
                row.get("scenario"),
                idle ? "—" : String.format(Locale.ROOT, "%,.0f", rate),
                idle || baseRate <= 0 ? "—" : String.format(Locale.ROOT, "%.2f", rate / baseRate),
                idle
                        ? "—"
                        : String.format(
                                Locale.ROOT,
                                "%.2f / %.1f / %.1f",
                                num(puback.get("p50Ms")),
                                num(puback.get("p99Ms")),
                                num(puback.get("p999Ms"))),
                durable == null || idle ? "—" : String.format(Locale.ROOT, "%.1f", num(durable.get("p99Ms"))),
                sinks.containsKey("publishToRedisP99Ms") && !idle
                        ? String.format(Locale.ROOT, "%.0f", num(sinks.get("publishToRedisP99Ms")))
                        : "—",
                mainCpu,
                baseCpu <= 0 ? "—" : String.format(Locale.ROOT, "%.2f", mainCpu / baseCpu),
                idle || measured <= 0 ? "—" : String.format(Locale.ROOT, "%.0f", mainCpu * 1e6 / measured),
                100 * mainCpu / seconds,
                cpu.size() > 1 ? String.format(Locale.ROOT, "%.1f", sinkCpu) : "—",
                first(rss),
                100 * genShare,
                String.join("; ", notes));
    }

    private static void note(List<String> notes, Map<String, Object> m, String key, String what) {
        if (m.containsKey(key) && num(m.get(key)) > 0) {
            notes.add(String.format(Locale.ROOT, "%,.0f %s", num(m.get(key)), what));
        }
    }

    private static double first(Map<String, Object> m) {
        Iterator<Object> it = m.values().iterator();
        return it.hasNext() ? num(it.next()) : 0;
    }

    private static double rest(Map<String, Object> m) {
        double sum = 0;
        Iterator<Object> it = m.values().iterator();
        if (it.hasNext()) {
            it.next();
        }
        while (it.hasNext()) {
            sum += num(it.next());
        }
        return sum;
    }

    static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }
}
