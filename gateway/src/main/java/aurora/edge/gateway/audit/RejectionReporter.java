package aurora.edge.gateway.audit;

import aurora.edge.gateway.device.DeviceWatch;
import aurora.edge.gateway.device.Printable;
import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.device.TraceEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each rejection into a metric, an audit event and a log line, without letting anyone flood
 * the audit trail. For an authenticated device, per device and code, the first rejection in a
 * window is audited at once and the rest are counted and reported with the first audit event of
 * the next window. For a stranger (before authentication, where the client id is the attacker's
 * choice) the window is per code and source address, with a global cap and one summary per window:
 * see {@link StrangerRejections}. Every single rejection is counted in the metric. Every string a
 * client chose is cut to {@link Printable#MAX_CHARS} and escaped before it reaches a log or an event.
 * Thread-safe and non-blocking.
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
    private final Map<Rejection, StrangerRejections> strangers = new EnumMap<>(Rejection.class);

    private final DeviceWatch watch;

    public RejectionReporter(AuditLog audit, MeterRegistry registry, Clock clock, Duration window) {
        this(audit, registry, clock, window, DeviceWatch.NONE);
    }

    /** @param watch told every rejection of a device an operator traces (before any audit window folds it) */
    public RejectionReporter(AuditLog audit, MeterRegistry registry, Clock clock, Duration window, DeviceWatch watch) {
        this.watch = watch;
        this.audit = audit;
        this.clock = clock;
        this.windowMillis = window.toMillis();
        for (Rejection r : Rejection.values()) {
            counters.put(
                    r,
                    Counter.builder("aurora_intake_rejected")
                            .description("messages and requests refused, by code")
                            .tag("code", r.code())
                            .register(registry));
        }
    }

    /**
     * A rejection of an authenticated device (its id is known to be its own).
     *
     * @param deviceId the device (sanitised all the same)
     * @param detail   ids, sizes, topic; never the payload (escaped and cut here)
     */
    public void reject(Rejection rejection, @Nullable String deviceId, String detail) {
        Objects.requireNonNull(counters.get(rejection)).increment();
        if (deviceId != null && watch.tracing(deviceId)) {
            watch.traced(deviceId, TraceEvent.rejection(clock.instant(), rejection.code(), Printable.of(detail)));
        }
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
        String safeDetail = Printable.of(detail);
        log.warn(
                "rejected code={} device_id={} detail={} suppressed_since_last={}",
                rejection.code(),
                device,
                Printable.quoted(detail),
                suppressedBefore[0]);
        audit.record(
                rejection,
                device,
                rejection.description(),
                Map.of("detail", safeDetail, "suppressed_since_last", suppressedBefore[0]));
        if (windows.size() >= MAX_TRACKED) {
            windows.entrySet().removeIf(e -> now - e.getValue().start >= windowMillis && e.getValue().suppressed == 0);
        }
    }

    /**
     * A rejection before authentication: the client id is whatever the stranger wrote, so it is
     * neither a key nor a device id here, only a (cut, escaped) detail.
     */
    public void rejectStranger(Rejection rejection, InetAddress source, String claimedClientId, String detail) {
        Objects.requireNonNull(counters.get(rejection)).increment();
        long now = clock.millis();
        boolean individually;
        StrangerRejections.Summary ended = null;
        synchronized (strangers) {
            StrangerRejections window = strangers.computeIfAbsent(rejection, r -> new StrangerRejections(r, now));
            if (window.expired(now, windowMillis)) {
                ended = window.close(now);
            }
            individually = window.record(source);
        }
        if (ended != null) {
            summarise(ended);
        }
        if (!individually) {
            return;
        }
        String claimed = Printable.of(claimedClientId);
        String safeDetail = Printable.of(detail);
        log.warn(
                "rejected before authentication code={} remote={} claimed_client_id={} detail={}",
                rejection.code(),
                source.getHostAddress(),
                Printable.quoted(claimedClientId),
                Printable.quoted(detail));
        audit.record(
                rejection,
                null,
                rejection.description(),
                Map.of("remote", source.getHostAddress(), "claimed_client_id", claimed, "detail", safeDetail));
    }

    /** Closes the stranger windows that have run their time, auditing one summary per code; called on a timer. */
    public void flush() {
        long now = clock.millis();
        List<StrangerRejections.Summary> ended = new ArrayList<>();
        synchronized (strangers) {
            for (StrangerRejections window : strangers.values()) {
                if (window.expired(now, windowMillis)) {
                    StrangerRejections.Summary s = window.close(now);
                    if (s != null) {
                        ended.add(s);
                    }
                }
            }
        }
        ended.forEach(this::summarise);
    }

    private void summarise(StrangerRejections.Summary s) {
        log.warn(
                "rejected before authentication code={} suppressed={} addresses={} window_ms={}",
                s.rejection().code(),
                s.suppressed(),
                s.addresses(),
                s.windowMillis());
        audit.record(
                s.rejection(),
                null,
                s.title(),
                Map.of("suppressed", s.suppressed(), "addresses", s.addresses(), "window_ms", s.windowMillis()));
    }

    public long count(Rejection rejection) {
        return (long) Objects.requireNonNull(counters.get(rejection)).count();
    }

    /** Every rejection since start, all codes. */
    public long total() {
        return (long) counters.values().stream().mapToDouble(Counter::count).sum();
    }

    private static String sanitise(@Nullable String id) {
        if (id == null || id.isEmpty()) {
            return "(none)";
        }
        String s = id.length() > 64 ? id.substring(0, 64) : id;
        return s.replaceAll("[^A-Za-z0-9_-]", "?");
    }

    private record Window(long start, long suppressed) {}
}
