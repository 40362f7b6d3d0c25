package aurora.edge.bench.sidebyside;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void eachRowIsComparedWithBareMoquetteInTheSameScenarioAndAGeneratorBoundRowIsFlagged() {
        Map<String, Object> moquette = row("moquette", 80_000, 20.0, 0.2);
        Map<String, Object> gateway = row("aurora", 20_000, 30.0, 0.75);
        Map<String, Object> box = Map.of(
                "cores", 2, "loadavgAtStart", "1.0", "fsync", Map.of("p50Us", 200.0, "p99Us", 400.0, "tool", "fio"));

        String table = Table.render(box, List.of(Scenario.named("burst")), List.of(moquette, gateway));

        String gatewayLine =
                table.lines().filter(l -> l.startsWith("| aurora")).findFirst().orElseThrow();
        assertThat(gatewayLine)
                .contains("| 20,000 | 0.25 |") // msgs/s and its ratio to Moquette
                .contains("| 30.0 | 1.50 | 75 |") // CPU s, ratio, µs CPU per message
                .contains("generator > 70 %");
        assertThat(table.lines()
                        .filter(l -> l.startsWith("| moquette"))
                        .findFirst()
                        .orElseThrow())
                .doesNotContain("generator > 70 %");
    }

    private static Map<String, Object> row(String system, double rate, double cpu, double generatorShare) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("mode", "burst");
        g.put("measuredSeconds", 20);
        g.put("msgsPerSecond", rate);
        g.put("pubacksMeasured", rate * 20);
        g.put("puback", Map.of("p50Ms", 1.0, "p99Ms", 5.0, "p999Ms", 9.0));
        g.put("generatorCoreShare", generatorShare);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("systemKey", system);
        r.put("system", system);
        r.put("scenario", "burst");
        r.put("generator", g);
        r.put("cpuSecondsMeasured", Map.of(system, cpu));
        r.put("peakRssMb", Map.of(system, 100.0));
        r.put("sinks", Map.of());
        return r;
    }
}
