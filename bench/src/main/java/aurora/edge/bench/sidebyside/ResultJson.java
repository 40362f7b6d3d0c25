package aurora.edge.bench.sidebyside;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Figures as JSON: the generator's result file and the bench's {@code sidebyside-*.json}. */
final class ResultJson {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final ObjectMapper COMPACT = new ObjectMapper();

    private ResultJson() {}

    /** Milliseconds, from a histogram of microseconds. */
    static Map<String, Object> percentiles(Histogram micros) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", micros.getTotalCount());
        m.put("p50Ms", micros.getValueAtPercentile(50) / 1000.0);
        m.put("p99Ms", micros.getValueAtPercentile(99) / 1000.0);
        m.put("p999Ms", micros.getValueAtPercentile(99.9) / 1000.0);
        m.put("maxMs", micros.getMaxValue() / 1000.0);
        return m;
    }

    static void write(Path file, Object value) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Map.class);
    }
}
