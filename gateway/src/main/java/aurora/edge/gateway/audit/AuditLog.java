package aurora.edge.gateway.audit;

import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.Correlation;
import aurora.edge.gateway.device.EventCode;
import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.outbox.Outbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the gateway's audit events. Each one goes through the outbox (so it reaches
 * {@code aurora:audit} and {@code AURORA.audit} even after an outage) and into the local audit
 * trail. Never blocks the caller: when the outbox queue is full the event is counted and logged.
 *
 * <p>The gateway's own audit volume is bounded, because it shares the site's audit stream and the
 * federation's 100k-message stream with unread IOCs and alerts: codes that one device can raise
 * over and over ({@code SEQ_GAP}) are audited once per device and window, the rest folded into
 * the next event's {@code suppressed_since_last}; and all events together stay within
 * {@code audit.max_events_per_minute}, what is over it counted ({@code aurora_audit_suppressed})
 * and summarised in one {@code AUDIT_SUPPRESSED} event per window. CRITICAL events are never held back.
 */
public final class AuditLog {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    /** Codes a single device can raise at any rate; throttled per device. */
    private static final Set<EventCode> PER_DEVICE = Set.of(AuditCode.SEQ_GAP, AuditCode.UNTRUSTED_DATA);

    private static final int MAX_TRACKED_DEVICES = 10_000;

    private final GatewayEvents events;
    private final Clock clock;
    private final Counter dropped;
    private final MeterRegistry registry;
    private final AuditBudget budget;
    private final long windowMillis;
    private final Map<String, DeviceWindow> deviceWindows = new ConcurrentHashMap<>();
    private final AtomicLong suppressedInWindow = new AtomicLong();

    public AuditLog(
            Outbox outbox,
            GatewayConfig.Identity identity,
            GatewayConfig.AuditVolume volume,
            Clock clock,
            MeterRegistry registry) {
        this.events = new GatewayEvents(outbox, identity, clock);
        this.clock = clock;
        this.registry = registry;
        this.budget = new AuditBudget(volume.maxEventsPerMinute(), clock);
        this.windowMillis = volume.summaryWindow().toMillis();
        this.dropped = Counter.builder("aurora_audit_dropped")
                .description("audit events refused by a full outbox queue")
                .register(registry);
    }

    /**
     * @param code     a catalogued code ({@link AuditCode} or a {@link aurora.edge.gateway.device.Rejection});
     *                 the event carries its stable code and severity
     * @param deviceId the device concerned, or null
     * @param title    one line for a human
     * @param details  extra fields (ids and counts; never payloads or secrets)
     */
    public void record(EventCode code, @Nullable String deviceId, String title, Map<String, ?> details) {
        Map<String, ?> fields = details;
        if (deviceId != null && PER_DEVICE.contains(code)) {
            long folded = admitForDevice(code, deviceId);
            if (folded < 0) {
                suppressed(code);
                return;
            }
            Map<String, Object> withCount = new HashMap<>(details);
            withCount.put("suppressed_since_last", folded);
            fields = withCount;
        }
        if (code.severity() != Severity.CRITICAL && !budget.tryAcquire()) {
            suppressed(code);
            return;
        }
        offer(code, deviceId, title, fields);
    }

    /** Audits how many events the budget held back since the last call, if any; called once per window on a timer. */
    public void flush() {
        long n = suppressedInWindow.getAndSet(0);
        if (n > 0) {
            log.warn("audit events suppressed over budget count={}", n);
            offer(
                    AuditCode.AUDIT_SUPPRESSED,
                    null,
                    n + " audit events held back by the audit budget or per-device throttling",
                    Map.of("suppressed", n, "window_ms", windowMillis));
        }
        long now = clock.millis();
        deviceWindows
                .entrySet()
                .removeIf(e -> now - e.getValue().start >= windowMillis && e.getValue().suppressed == 0);
    }

    private void offer(EventCode code, @Nullable String deviceId, String title, Map<String, ?> details) {
        if (!events.offer(
                Channel.AUDIT,
                "audit",
                "audit",
                code.severity(),
                code.code(),
                deviceId,
                title,
                details,
                code.code(),
                Correlation.NONE)) {
            dropped.increment();
            log.warn("audit event dropped, outbox queue full code={} device_id={}", code.code(), deviceId);
        }
    }

    private void suppressed(EventCode code) {
        suppressedInWindow.incrementAndGet();
        Counter.builder("aurora_audit_suppressed")
                .description("audit events held back by the audit budget or per-device throttling, by code")
                .tag("code", code.code())
                .register(registry)
                .increment();
    }

    /** @return how many were folded since the last audited one, or -1 when this one is folded into the next */
    private long admitForDevice(EventCode code, String deviceId) {
        long now = clock.millis();
        String key = code.code() + '|' + (deviceWindows.size() >= MAX_TRACKED_DEVICES ? "*" : deviceId);
        long[] folded = {-1};
        deviceWindows.compute(key, (k, old) -> {
            if (old == null || now - old.start >= windowMillis) {
                folded[0] = old == null ? 0 : old.suppressed;
                return new DeviceWindow(now, 0);
            }
            return new DeviceWindow(old.start, old.suppressed + 1);
        });
        return folded[0];
    }

    private record DeviceWindow(long start, long suppressed) {}
}
