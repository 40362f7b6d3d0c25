package aurora.edge.gateway.audit;

import aurora.edge.gateway.device.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each rejection into a metric, an audit event and a log line. A misbehaving device must not
 * flood the audit trail: per device and code, the first rejection in a window is audited at once
 * and the rest are counted and reported with the first audit event of the next window.
 * Every single rejection is counted in the metric. Thread-safe and non-blocking.
 */
public final class RejectionReporter {
    private static final Logger log = LoggerFactory.getLogger(RejectionReporter.class);
    /** Caps the memory an attacker cycling through client ids can make us spend on windows. */
    private static final int MAX_TRACKED = 10_000;
    private static final String ANY_DEVICE = "*";

    private final AuditLog audit;
    private final Clock clock;
    private final long windowMillis;
    private final Map<Rejection, Counter> counters = new EnumMap<>(Rejection.class);
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public RejectionReporter(AuditLog audit, MeterRegistry registry, Clock clock, Duration window) {
        this.audit = audit;
        this.clock = clock;
        this.windowMillis = window.toMillis();
        for (Rejection r : Rejection.values()) {
            counters.put(r, Counter.builder("aurora_intake_rejected").description("messages and requests refused, by code")
                    .tag("code", r.code()).register(registry));
        }
    }

    /**
     * @param deviceId the device (or client id as given, when it is not a valid id: it is sanitised)
     * @param detail   ids, sizes, topic; never the payload
     */
    public void reject(Rejection rejection, String deviceId, String detail) {
        counters.get(rejection).increment();
        String device = sanitise(deviceId);
        String key = rejection.code() + '|' + (windows.size() >= MAX_TRACKED ? ANY_DEVICE : device);
        long now = clock.millis();
        long[] suppressedBefore = {-1};
        windows.compute(key, (k, old) -> {
            if (old == null || now - old.start >= windowMillis) {
                suppressedBefore[0] = old == null ? 0 : old.suppressed;
                return new Window(now, 0);
            }
            return new Window(old.start, old.suppressed + 1);
        });
        if (suppressedBefore[0] < 0) {
            return;
        }
        log.warn("rejected code={} device_id={} detail={} suppressed_since_last={}", rejection.code(), device, detail, suppressedBefore[0]);
        audit.record(rejection, device, rejection.description(),
                Map.of("detail", detail, "suppressed_since_last", suppressedBefore[0]));
        if (windows.size() >= MAX_TRACKED) {
            windows.entrySet().removeIf(e -> now - e.getValue().start >= windowMillis && e.getValue().suppressed == 0);
        }
    }

    public long count(Rejection rejection) {
        return (long) counters.get(rejection).count();
    }

    private static String sanitise(String id) {
        if (id == null || id.isEmpty()) {
            return "(none)";
        }
        String s = id.length() > 64 ? id.substring(0, 64) : id;
        return s.replaceAll("[^A-Za-z0-9_-]", "?");
    }

    private record Window(long start, long suppressed) {}
}
