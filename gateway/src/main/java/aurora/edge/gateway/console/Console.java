package aurora.edge.gateway.console;

import aurora.edge.gateway.config.EffectiveSetting;
import aurora.edge.gateway.device.DeviceWatch;
import aurora.edge.gateway.device.TraceEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device trust console's state in the gateway, and its front door: the static pages served at
 * {@code /} on the ops port, the in-memory data only the console needs (latest battery per device,
 * live per-device traces, 15 minutes of pipeline samples) and their JSON. The ops endpoints serve
 * all of it; the pages read nothing the JSON endpoints do not also give the command line.
 */
public final class Console implements DeviceWatch {
    private static final Logger log = LoggerFactory.getLogger(Console.class);
    /** How often the pipeline is sampled for the charts. */
    public static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(5);
    /** How long a live trace runs once an operator starts it. */
    public static final Duration TRACE_DURATION = DeviceTraces.DURATION;

    /** A static file of the console. */
    public record Asset(String contentType, byte[] bytes) {}

    /**
     * @param writes           {@code http.console_writes}: whether the pages may send operator commands
     * @param outboxMaxBytes   {@code store.outbox_max_bytes}, drawn as the outbox's soft cap
     * @param outboxHardBytes  {@code store.outbox_hard_max_bytes}
     * @param settings         the effective configuration, secrets masked
     */
    public record Settings(boolean writes, long outboxMaxBytes, long outboxHardBytes, List<EffectiveSetting> settings) {
        public Settings {
            settings = List.copyOf(settings);
        }
    }

    /** The outcome of starting a trace: the trace as JSON, or why not. */
    public sealed interface TraceStart {
        record Started(Map<String, Object> trace) implements TraceStart {}

        record Refused(String message) implements TraceStart {}
    }

    private final Settings settings;
    private final Supplier<Optional<PipelineSample>> sampler;
    private final ConsoleAssets assets = new ConsoleAssets();
    private final DeviceTraces traces;
    private final Batteries batteries = new Batteries();
    private final PipelineHistory history = new PipelineHistory();

    /** @param sampler the pipeline now; empty until the gateway has built it */
    public Console(Settings settings, Supplier<Optional<PipelineSample>> sampler, Clock clock) {
        this.settings = settings;
        this.sampler = sampler;
        this.traces = new DeviceTraces(clock);
    }

    public boolean writesEnabled() {
        return settings.writes();
    }

    public Optional<Asset> asset(String path) {
        return assets.find(path);
    }

    /** Takes one pipeline sample; the gateway's scheduler calls it every {@link #SAMPLE_INTERVAL}. */
    public void sample() {
        try {
            sampler.get().ifPresent(history::add);
        } catch (RuntimeException e) {
            // A failed sample leaves a gap in the charts; it must not end the scheduled sampling.
            log.warn("pipeline sample failed error={}", e.toString());
        }
    }

    // ---- DeviceWatch: called by intake and the rejection reporter ----

    @Override
    public void battery(String deviceId, int millivolts, Instant at) {
        batteries.put(deviceId, millivolts, at);
    }

    @Override
    public boolean tracing(String deviceId) {
        return traces.tracing(deviceId);
    }

    @Override
    public void traced(String deviceId, TraceEvent event) {
        traces.record(deviceId, event);
    }

    // ---- JSON ----

    /** The fields the console adds to a device's JSON view: its latest battery reading, when it sent one. */
    public void addLive(Map<String, Object> deviceView, String deviceId) {
        batteries.of(deviceId).ifPresent(r -> {
            deviceView.put("battery_mv", r.millivolts());
            deviceView.put("battery_at", r.at().toString());
        });
    }

    public TraceStart startTrace(String deviceId, String operator) {
        DeviceTraces.Start start = traces.start(deviceId, operator);
        if (start instanceof DeviceTraces.Start.Full full) {
            return new TraceStart.Refused(
                    full.max() + " devices are traced already; try again when one of their traces ends");
        }
        return new TraceStart.Started(traceJson(((DeviceTraces.Start.Started) start).trace()));
    }

    /** The device's trace, newest event first; a device never traced has an inactive, empty one. */
    public Map<String, Object> trace(String deviceId) {
        return traces.find(deviceId).map(this::traceJson).orElseGet(() -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("device_id", deviceId);
            m.put("active", false);
            m.put("recorded", 0L);
            m.put("events", List.of());
            return m;
        });
    }

    private Map<String, Object> traceJson(DeviceTraces.Trace t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device_id", t.deviceId);
        m.put("active", traces.active(t));
        m.put("started_at", t.startedAt.toString());
        m.put("until", t.until.toString());
        m.put("started_by", t.operator);
        m.put("recorded", t.recorded());
        m.put("kept", DeviceTraces.RING);
        m.put("events", t.newestFirst().stream().map(Console::event).toList());
        return m;
    }

    private static Map<String, Object> event(TraceEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", e.at().toString());
        m.put("topic", e.topic());
        m.put("payload", e.payload());
        m.put("decision", e.decision());
        m.put("why", e.why());
        return m;
    }

    /** The last 15 minutes of pipeline samples, oldest first, and the outbox's caps. */
    public Map<String, Object> pipeline() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("interval_seconds", SAMPLE_INTERVAL.toSeconds());
        m.put("window_seconds", SAMPLE_INTERVAL.toSeconds() * PipelineHistory.WINDOW_SAMPLES);
        List<PipelineHistory.Point> points = history.points();
        m.put(
                "samples",
                points.stream()
                        .map(p -> {
                            Map<String, Object> s = new LinkedHashMap<>();
                            s.put(
                                    "at",
                                    Instant.ofEpochMilli(p.sample().atMillis()).toString());
                            s.put("ingest_per_second", Math.round(p.ingestPerSecond() * 10) / 10.0);
                            s.put("backlog", new java.util.TreeMap<>(p.sample().backlogBySink()));
                            s.put(
                                    "ack_p99_ms",
                                    new java.util.TreeMap<>(p.sample().ackP99Millis()));
                            s.put("outbox_bytes", p.sample().outboxBytes());
                            return s;
                        })
                        .toList());
        Map<String, Object> outbox = new LinkedHashMap<>();
        outbox.put(
                "stored_bytes",
                points.isEmpty() ? 0L : points.get(points.size() - 1).sample().outboxBytes());
        outbox.put("max_bytes", settings.outboxMaxBytes());
        outbox.put("hard_max_bytes", settings.outboxHardBytes());
        m.put("outbox", outbox);
        return m;
    }

    /** The effective configuration, secrets masked, as {@code check-config} prints it. */
    public List<Map<String, Object>> config() {
        return settings.settings().stream()
                .map(s -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("key", s.key());
                    m.put("value", s.value());
                    m.put("default", s.defaultText());
                    m.put("unit", s.unit());
                    m.put("from_default", s.fromDefault());
                    m.put("description", s.description());
                    return m;
                })
                .toList();
    }
}
