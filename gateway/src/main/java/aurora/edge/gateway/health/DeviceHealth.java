package aurora.edge.gateway.health;

import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.audit.AuditLog;
import aurora.edge.gateway.audit.GatewayAlerts;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.device.Correlation;
import aurora.edge.gateway.device.Health;
import aurora.edge.gateway.registry.Device;
import aurora.edge.gateway.registry.DeviceRegistry;
import aurora.edge.gateway.registry.HealthMark;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device health, AuroraSOC's way: Online, Stale (one {@code DEVICE_STALE} alert, medium), Offline
 * (one {@code DEVICE_OFFLINE} alert, critical), and back Online (one {@code DEVICE_BACK_ONLINE}
 * event, info). One periodic pass on its own thread over the last-seen times the gateway already
 * keeps in memory; intake only stamps a time, so the check never slows it down, and there is no
 * timer per device. Each judgement is kept in the registry, so an alert is raised once per
 * transition, also across restarts.
 */
public final class DeviceHealth implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeviceHealth.class);
    /**
     * Transitions one pass reports at most (two events each). When a whole fleet goes quiet at once
     * (its radio gateway lost power) the rest are reported by the next passes, so the outbox queue
     * keeps room for live traffic and a pass stays short.
     */
    static final int MAX_TRANSITIONS_PER_PASS = 2_000;

    private static final Correlation SILENCE = new Correlation(Correlation.COMMUNICATION_ANOMALY, List.of());

    private final GatewayConfig.HealthCheck config;
    private final HealthRules rules;
    private final DeviceRegistry registry;
    private final Function<Device, Instant> lastHeard;
    private final AuditLog audit;
    private final GatewayAlerts alerts;
    private final Clock clock;
    private final Instant listeningSince;
    private final Timer passes;
    private final Map<Health, Counter> transitions = new EnumMap<>(Health.class);
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "device-health"));

    /**
     * @param lastHeard a device's last sign of life, from memory (the registry's last-seen time, or a newer one not yet saved)
     */
    public DeviceHealth(
            GatewayConfig.HealthCheck config,
            DeviceRegistry registry,
            Function<Device, Instant> lastHeard,
            AuditLog audit,
            GatewayAlerts alerts,
            Clock clock,
            MeterRegistry meters) {
        this.config = config;
        this.rules = new HealthRules(config.staleAfter(), config.offlineAfter());
        this.registry = registry;
        this.lastHeard = lastHeard;
        this.audit = audit;
        this.alerts = alerts;
        this.clock = clock;
        this.listeningSince = clock.instant();
        this.passes = Timer.builder("aurora_device_health_check")
                .description("one pass of the health check over the fleet")
                .register(meters);
        for (Health h : Health.values()) {
            transitions.put(
                    h,
                    Counter.builder("aurora_device_health_transitions")
                            .description("devices whose health changed, by new health")
                            .tag("health", h.wireName())
                            .register(meters));
        }
        FleetCounts.register(registry, meters);
    }

    /** Starts the periodic pass, every {@code devices.health_check_interval}. */
    public void start() {
        long every = config.interval().toMillis();
        thread.scheduleWithFixedDelay(this::checkGuarded, every, every, TimeUnit.MILLISECONDS);
    }

    private void checkGuarded() {
        try {
            check();
        } catch (RuntimeException e) {
            log.error("device health check failed error={}", e.toString(), e);
        }
    }

    /** One pass over the fleet: judges every device, reports and keeps what changed. */
    void check() {
        long started = System.nanoTime();
        Instant now = clock.instant();
        List<HealthMark> changed = new ArrayList<>();
        registry.forEach(d -> {
            if (changed.size() < MAX_TRANSITIONS_PER_PASS) {
                rules.next(
                                d.deviceId(),
                                registry.healthMark(d.deviceId()).orElse(null),
                                lastHeard.apply(d),
                                listeningSince,
                                now)
                        .ifPresent(changed::add);
            }
        });
        // Reported before it is kept: a crash in between repeats an alert rather than losing one.
        for (HealthMark mark : changed) {
            report(registry.health(mark.deviceId()), mark, now);
        }
        registry.saveHealth(changed);
        passes.record(Duration.ofNanos(System.nanoTime() - started));
    }

    private void report(Health before, HealthMark mark, Instant now) {
        Objects.requireNonNull(transitions.get(mark.health())).increment();
        Duration silent = Duration.between(mark.lastHeard(), now);
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("health", mark.health().wireName());
        details.put("previous_health", before.wireName());
        details.put("last_seen", mark.lastHeard().toString());
        details.put("silent_for_s", Math.max(0, silent.toSeconds()));
        AuditCode code;
        String title;
        switch (mark.health()) {
            case STALE -> {
                code = AuditCode.DEVICE_STALE;
                details.put("stale_after_s", config.staleAfter().toSeconds());
                title = "device not heard from for " + minutes(silent) + ": stale";
            }
            case OFFLINE -> {
                code = AuditCode.DEVICE_OFFLINE;
                details.put("offline_after_s", config.offlineAfter().toSeconds());
                title = "device not heard from for " + minutes(silent) + ": offline";
            }
            default -> {
                code = AuditCode.DEVICE_BACK_ONLINE;
                title = "device heard from again after being " + before.wireName() + ": online";
            }
        }
        log.info(
                "device health changed device_id={} health={} previous={} last_seen={}",
                mark.deviceId(),
                mark.health().wireName(),
                before.wireName(),
                mark.lastHeard());
        audit.record(code, mark.deviceId(), title, details);
        // A device gone quiet is what AuroraSOC correlates as a communication anomaly (as an unanswered challenge is).
        alerts.raise(
                code, mark.deviceId(), title, details, mark.health() == Health.ONLINE ? Correlation.NONE : SILENCE);
    }

    private static String minutes(Duration d) {
        return d.toMinutes() >= 1 ? d.toMinutes() + " min" : Math.max(0, d.toSeconds()) + " s";
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
