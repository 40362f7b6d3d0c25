package aurora.edge.gateway;

import aurora.edge.gateway.attest.AttestationService;
import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.audit.AuditLog;
import aurora.edge.gateway.audit.GatewayAlerts;
import aurora.edge.gateway.broker.DeviceCredentials;
import aurora.edge.gateway.broker.DeviceSessions;
import aurora.edge.gateway.broker.EmbeddedBroker;
import aurora.edge.gateway.broker.SiteKey;
import aurora.edge.gateway.command.AckPublisher;
import aurora.edge.gateway.command.DeferredSender;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.federation.FederationConsumer;
import aurora.edge.gateway.federation.IocApplier;
import aurora.edge.gateway.forward.Forwarder;
import aurora.edge.gateway.forward.JetStreamSink;
import aurora.edge.gateway.forward.RedisStreamSink;
import aurora.edge.gateway.forward.Sink;
import aurora.edge.gateway.intake.Intake;
import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.audit.RejectionReporter;
import aurora.edge.gateway.ops.GatewayMetrics;
import aurora.edge.gateway.ops.HttpEndpoints;
import aurora.edge.gateway.ops.StatusReport;
import aurora.edge.gateway.outbox.CommitListener;
import aurora.edge.gateway.outbox.Outbox;
import aurora.edge.gateway.outbox.OutboxLimits;
import aurora.edge.gateway.registry.DeviceRegistry;
import aurora.edge.gateway.soc.SocCommands;
import aurora.edge.gateway.store.Database;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part of the gateway by hand, in dependency order, starts
 * them, and closes them in reverse. Read this file first to see how the gateway fits together.
 *
 * <pre>
 * device → broker (auth, ACL) → intake → outbox (SQLite, group commit) → forwarder[redis] → Redis Streams
 *                                              │                        → forwarder[nats]  → JetStream
 *                                              └→ ack publisher → aurora/command/{id}/ack
 *                    intake → device gate → registry ←→ attestation (challenges on aurora/command/{id}/action)
 *                                                      ↑
 *                         federation consumer (IOCs from AURORA.ioc_sharing: revoked hashes, compromised devices)
 * </pre>
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    private static final Duration STOP_DRAIN_BOUND = Duration.ofSeconds(5);
    /** How long the federation consumer waits for the attestation thread to apply an IOC before it naks it. */
    private static final Duration IOC_APPLY_TIMEOUT = Duration.ofSeconds(10);
    /** How long events may wait in the outbox queue with nothing committed before the pipeline counts as stuck. */
    static final Duration STALL_BOUND = Duration.ofSeconds(30);

    private final GatewayConfig config;
    private final Clock clock;
    private final StallWatch stallWatch;
    private final Deque<AutoCloseable> closeInReverse = new ArrayDeque<>();
    private final GatewayMetrics metrics;
    private final Outbox outbox;
    private final EmbeddedBroker broker;
    private final List<Forwarder> forwarders = new ArrayList<>();
    private final HttpEndpoints http;
    private final DeviceRegistry devices;

    private Gateway(GatewayConfig config, Clock clock) throws IOException {
        this.config = config;
        this.clock = clock;
        log.info("gateway starting gateway_id={} site_id={} config={}", config.identity().gatewayId(), config.identity().siteId(),
                config.effectiveMasked());
        try {
            metrics = own(new GatewayMetrics(config.identity().gatewayId(), config.identity().siteId()));
            var registry = metrics.registry();
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "gateway-scheduler"));
            own(scheduler::shutdownNow);
            Database database = Database.open(config.store().databaseFile());
            SiteKey siteKey = SiteKey.loadOrCreate(config.store().deviceKeyFile());

            DeferredSender toDevices = new DeferredSender();
            AckPublisher acks = new AckPublisher(() -> toDevices, scheduler, config.mqtt().ackInterval(), registry);
            AtomicReference<AuditLog> auditRef = new AtomicReference<>();
            CommitListener afterCommit = new AfterCommit(acks, auditRef::get);
            outbox = own(new Outbox(database, config.identity().gatewayId(), List.of(RedisStreamSink.NAME, JetStreamSink.NAME), config.intake().queueCapacity(),
                    config.store().commitMaxRows(), config.store().commitMaxDelay(), outboxLimits(config.store()), afterCommit, registry, clock));
            AuditLog audit = new AuditLog(outbox, config.identity(), clock, registry);
            auditRef.set(audit);
            GatewayAlerts alerts = new GatewayAlerts(outbox, config.identity(), clock, registry);
            own(acks);

            String epoch = outbox.epoch();
            for (Supplier<Sink> connect : List.<Supplier<Sink>>of(() -> redisSink(epoch), this::natsSink)) {
                Forwarder forwarder = own(new Forwarder(outbox, connect, config.forward(), clock, registry, stalled -> {
                    String title = "sink " + stalled.sink() + " stopped advancing and was reconnected";
                    Map<String, Object> details = Map.of("sink", stalled.sink(), "reason", stalled.reason());
                    audit.record(AuditCode.SINK_STALLED, null, title, details);
                    alerts.raise(AuditCode.SINK_STALLED, null, title, details);
                }));
                forwarders.add(forwarder);
                forwarder.start();
            }
            own(() -> outbox.flush(STOP_DRAIN_BOUND));

            RejectionReporter rejections = new RejectionReporter(audit, registry, clock, Duration.ofSeconds(10));

            // Devices: the registry, and attestation, which owns every registry change on its own thread.
            devices = own(new DeviceRegistry(DeviceRegistry.openDatabase(config.store().registryFile())));
            AttestationService attestation = own(new AttestationService(config.attest(), devices, alerts, audit,
                    rejections, toDevices, clock, registry));

            // Commands from the SOC wait in commands.db until their device listens.
            DeviceSessions sessions = new DeviceSessions();
            Optional<SocCommands> soc = Optional.ofNullable(config.commands().enabled()
                    ? own(new SocCommands(config.commands(), config.identity(), config.redis(), config.store().dataDir(),
                            id -> devices.find(id).isPresent(), toDevices, sessions::reaches, attestation::challenge, audit, registry, clock))
                    : null);

            Intake intake = new Intake(outbox, attestation.gate(config.attest()), rejections, config.identity(), config.intake(),
                    (id, answer) -> soc.ifPresent(s -> s.deviceAnswered(id, answer)), registry);
            broker = own(new EmbeddedBroker(config.mqtt(), config.store().dataDir(), new DeviceCredentials(siteKey), intake, rejections,
                    sessions, id -> soc.ifPresent(s -> s.deviceListening(id)), clock));
            toDevices.attach(broker);
            attestation.start();
            soc.ifPresent(SocCommands::start);
            if (config.federation().enabled()) {
                own(federationConsumer(attestation, audit, registry)).start();
            }
            http = own(new HttpEndpoints(config.http().host(), config.http().port(), metrics, this::status, devices, attestation));
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        stallWatch = new StallWatch(STALL_BOUND);
        log.info("gateway ready mqtt_port={} http_port={}", broker.port(), http.port());
    }

    /** Builds and starts a gateway; on failure everything already started is closed again. */
    public static Gateway start(GatewayConfig config, Clock clock) throws IOException {
        return new Gateway(config, clock);
    }

    private static OutboxLimits outboxLimits(GatewayConfig.Store store) {
        return new OutboxLimits(store.outboxMaxBytes(), store.outboxHardMaxBytes(), store.minFreeDiskBytes(), store.auditRetention(),
                store.auditMaxRows());
    }

    private Sink redisSink(String outboxEpoch) {
        var r = config.redis();
        return new RedisStreamSink(new RedisStreamSink.Settings(r.url(), r.alertsStream(), r.telemetryStream(), r.auditStream(), r.maxLen(),
                r.timeout(), config.identity().gatewayId(), outboxEpoch));
    }

    private Sink natsSink() {
        var n = config.nats();
        return new JetStreamSink(new JetStreamSink.Settings(n.url(), n.jetStreamDomain(), n.stream(),
                n.subjectPrefix(), n.alertMinSeverity(), n.duplicateWindow(), n.maxOutstandingAcks(), n.timeout()));
    }

    /** The durable consumer of federation IOCs, on the same NATS server and domain as the JetStream sink. */
    private FederationConsumer federationConsumer(AttestationService attestation, AuditLog audit, MeterRegistry registry) {
        var n = config.nats();
        var f = config.federation();
        var settings = new FederationConsumer.Settings(n.url(), n.jetStreamDomain(), n.stream(), n.subjectPrefix(),
                f.consumerName(), f.nakDelay());
        return new FederationConsumer(settings, new IocApplier(attestation, IOC_APPLY_TIMEOUT),
                (reason, where) -> audit.record(AuditCode.IOC_POISON, null, "federation message terminated: not a usable indicator",
                        Map.of("reason", reason, "where", where)), registry);
    }

    private <T extends AutoCloseable> T own(T part) {
        closeInReverse.push(part);
        return part;
    }

    public int mqttPort() {
        return broker.port();
    }

    public int httpPort() {
        return http.port();
    }

    public Outbox outbox() {
        return outbox;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public DeviceRegistry devices() {
        return devices;
    }

    /**
     * Why the pipeline is stuck, if it is: events wait in the outbox queue but nothing was committed
     * for {@link #STALL_BOUND}. A sink being down is not a stall (the outbox buffers). Feeds the
     * systemd watchdog.
     */
    public Optional<String> stallReason() {
        double waiting = metrics.registry().get("aurora_outbox_queue_depth").gauge().value();
        return stallWatch.check(outbox.lastCommittedSeq(), (long) waiting, clock.millis());
    }

    /** What {@code /status} and {@code /readyz} report. */
    public StatusReport status() {
        List<StatusReport.SinkStatus> sinks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Forwarder f : forwarders) {
            Duration age = f.oldestPendingAge();
            sinks.add(new StatusReport.SinkStatus(f.sinkName(), f.sinkConnected(), f.healthy(), f.stalled(), f.backlog(),
                    age.toMillis() / 1000.0, (long) counter("aurora_forward_delivered", "sink", f.sinkName()), f.drainRatePerSecond(),
                    f.estimatedTimeToEmpty().map(Duration::toSeconds).orElse(-1L)));
            if (f.stalled()) {
                problems.add("sink " + f.sinkName() + ": stalled, connected but no progress for more than "
                        + config.forward().stallTimeout().toSeconds() + "s (forward.stall_timeout); reconnecting");
            }
            if (age.compareTo(config.forward().readyMaxBacklogAge()) > 0) {
                problems.add("sink " + f.sinkName() + ": oldest undelivered event is " + age.toSeconds()
                        + "s old (forward.ready_max_backlog_age " + config.forward().readyMaxBacklogAge().toSeconds() + "s)");
            }
        }
        long rejected = 0;
        for (Rejection r : Rejection.values()) {
            rejected += (long) counter("aurora_intake_rejected", "code", r.code());
        }
        Map<String, Long> byState = new java.util.LinkedHashMap<>();
        devices.countsByState().forEach((state, n) -> byState.put(state.name(), n));
        return new StatusReport(config.identity().gatewayId(), config.identity().siteId(), broker.port(), broker.connectedClients(),
                (long) Search.in(metrics.registry()).name("aurora_intake_accepted").counters().stream().mapToDouble(Counter::count).sum(),
                rejected, outbox.lastCommittedSeq(), sinks, problems, new StatusReport.Devices(devices.size(), devices.quarantinedCount(), byState));
    }

    private double counter(String name, String tag, String value) {
        Counter c = metrics.registry().find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }

    /**
     * Graceful stop: the broker stops accepting (queued intake work completes), the outbox commits
     * what is queued, each sink gets a bounded time to catch up, then everything closes in reverse.
     */
    @Override
    public void close() {
        log.info("gateway stopping");
        while (!closeInReverse.isEmpty()) {
            AutoCloseable part = closeInReverse.pop();
            if (part instanceof Forwarder f) {
                awaitCaughtUp(f);
            }
            try {
                part.close();
            } catch (Exception e) {
                log.warn("stopping a part failed part={} error={}", part.getClass().getSimpleName(), e.toString());
            }
        }
        log.info("gateway stopped");
    }

    private static void awaitCaughtUp(Forwarder f) {
        long deadline = System.nanoTime() + STOP_DRAIN_BOUND.toNanos();
        while (f.backlog() > 0 && f.sinkConnected() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
