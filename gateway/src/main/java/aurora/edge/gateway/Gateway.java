package aurora.edge.gateway;

import aurora.edge.gateway.attest.AttestationService;
import aurora.edge.gateway.attest.IocEnforcement;
import aurora.edge.gateway.attest.QuarantineHook;
import aurora.edge.gateway.audit.AuditLog;
import aurora.edge.gateway.audit.AuditSummaries;
import aurora.edge.gateway.audit.GatewayAlerts;
import aurora.edge.gateway.audit.RejectionReporter;
import aurora.edge.gateway.broker.DeviceCredentials;
import aurora.edge.gateway.broker.DeviceSessions;
import aurora.edge.gateway.broker.EmbeddedBroker;
import aurora.edge.gateway.broker.SiteKey;
import aurora.edge.gateway.command.AckPublisher;
import aurora.edge.gateway.command.DeferredSender;
import aurora.edge.gateway.command.FanOutSender;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.console.Console;
import aurora.edge.gateway.console.PipelineSample;
import aurora.edge.gateway.federation.FederationConsumer;
import aurora.edge.gateway.federation.IocApplier;
import aurora.edge.gateway.federation.PoisonAudit;
import aurora.edge.gateway.forward.Forwarder;
import aurora.edge.gateway.forward.JetStreamSink;
import aurora.edge.gateway.forward.RedisStreamSink;
import aurora.edge.gateway.forward.Sink;
import aurora.edge.gateway.forward.StallAlarm;
import aurora.edge.gateway.forward.StreamFindings;
import aurora.edge.gateway.health.DeviceHealth;
import aurora.edge.gateway.intake.Intake;
import aurora.edge.gateway.intake.IntakeResult;
import aurora.edge.gateway.mqttsn.DtlsListener;
import aurora.edge.gateway.mqttsn.PlainUdpTransport;
import aurora.edge.gateway.mqttsn.RelayedIntake;
import aurora.edge.gateway.mqttsn.SnGateway;
import aurora.edge.gateway.mqttsn.SnTransport;
import aurora.edge.gateway.ops.GatewayMetrics;
import aurora.edge.gateway.ops.HttpEndpoints;
import aurora.edge.gateway.ops.OpsToken;
import aurora.edge.gateway.ops.StatusReport;
import aurora.edge.gateway.outbox.CommitListener;
import aurora.edge.gateway.outbox.Outbox;
import aurora.edge.gateway.outbox.StoreReceipt;
import aurora.edge.gateway.registry.DeviceRegistry;
import aurora.edge.gateway.soc.IsolationRequests;
import aurora.edge.gateway.soc.SocCommands;
import aurora.edge.gateway.store.Database;
import aurora.edge.gateway.tls.RevokedDeviceWatch;
import aurora.edge.gateway.tls.RevokedDevices;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
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
    /** How often the revoked-device list is checked for the DTLS listener (a revocation takes effect within a second). */
    private static final Duration REVOCATION_CHECK = Duration.ofMillis(250);
    /** Per device and rejection code, at most one audit event in this window (the rest are counted into the next). */
    /** How long events may wait in the outbox queue with nothing committed before the pipeline counts as stuck. */
    static final Duration STALL_BOUND = Duration.ofSeconds(30);

    private final Clock clock;
    private final StallWatch stallWatch;
    private final Deque<AutoCloseable> closeInReverse = new ArrayDeque<>();
    private final GatewayMetrics metrics;
    private final Outbox outbox;
    private final EmbeddedBroker broker;
    private final List<Forwarder> forwarders = new ArrayList<>();
    private final HttpEndpoints http;
    private final @Nullable SnTransport mqttSn;
    private final DeviceRegistry devices;
    private final GatewayStatus status;
    /** What the JetStream sink's check of the shared stream found; survives the sink being rebuilt after a stall. */
    private final StreamFindings streamFindings = new StreamFindings();

    private Gateway(GatewayConfig config, Clock clock) throws IOException {
        this.clock = clock;
        log.info(
                "gateway starting gateway_id={} site_id={} config={}",
                config.identity().gatewayId(),
                config.identity().siteId(),
                config.effectiveMasked());
        try {
            // 1. Metrics, the shared scheduler, the state directory and the site key.
            metrics = own(new GatewayMetrics(
                    config.identity().gatewayId(), config.identity().siteId()));
            var registry = metrics.registry();
            ScheduledExecutorService scheduler =
                    Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "gateway-scheduler"));
            own(scheduler::shutdownNow);
            Database database = Database.open(config.store().databaseFile());
            SiteKey siteKey = SiteKey.loadOrCreate(config.store().deviceKeyFile());

            // 2. The outbox, with what follows each commit (device acks, seq-gap and eviction audits), and the
            // gateway's own events.
            DeferredSender toDevices = new DeferredSender();
            AckPublisher acks =
                    new AckPublisher(() -> toDevices, scheduler, config.mqtt().ackInterval(), registry);
            AtomicReference<AuditLog> auditRef = new AtomicReference<>();
            AtomicReference<RejectionReporter> rejectionsRef = new AtomicReference<>();
            CommitListener afterCommit = new AfterCommit(acks, auditRef::get, rejectionsRef::get);
            outbox = own(new Outbox(
                    database,
                    config.identity().gatewayId(),
                    config.identity().siteId(),
                    List.of(RedisStreamSink.NAME, JetStreamSink.NAME),
                    config.intake().queueCapacity(),
                    config.store().commitMaxRows(),
                    config.store().commitMaxDelay(),
                    config.store().outboxLimits(),
                    afterCommit,
                    registry,
                    clock));
            AuditLog audit = new AuditLog(outbox, config.identity(), config.auditVolume(), clock, registry);
            auditRef.set(audit);
            GatewayAlerts alerts = new GatewayAlerts(outbox, config.identity(), clock, registry);
            own(acks);

            // 3. Sinks: one forwarder each, connecting on its own thread; a stalled sink is audited and alerted.
            String epoch = outbox.epoch();
            List<Supplier<Sink>> sinks = List.of(
                    () -> new RedisStreamSink(RedisStreamSink.Settings.of(
                            config.redis(), config.identity().gatewayId(), epoch)),
                    () -> new JetStreamSink(JetStreamSink.Settings.of(config.nats()), streamFindings));
            for (Supplier<Sink> connect : sinks) {
                Forwarder forwarder = own(new Forwarder(
                        outbox, connect, config.forward(), clock, registry, new StallAlarm(audit, alerts)));
                forwarders.add(forwarder);
                forwarder.start();
            }
            own(() -> outbox.flush(STOP_DRAIN_BOUND));

            // The console's in-memory state (battery readings, live traces, pipeline samples) is told about devices
            // from here on.
            AtomicReference<Supplier<PipelineSample>> pipeline = new AtomicReference<>();
            Console console = new Console(
                    new Console.Settings(
                            config.http().consoleWrites(),
                            config.store().outboxMaxBytes(),
                            config.store().outboxHardMaxBytes(),
                            config.settings()),
                    () -> Optional.ofNullable(pipeline.get()).map(Supplier::get),
                    clock);
            Duration auditWindow = config.auditVolume().summaryWindow();
            RejectionReporter rejections = new RejectionReporter(audit, registry, clock, auditWindow, console);
            DeviceCredentials credentials = new DeviceCredentials(siteKey);
            rejectionsRef.set(rejections);
            scheduler.scheduleAtFixedRate(
                    new AuditSummaries(rejections, audit),
                    auditWindow.toMillis(),
                    auditWindow.toMillis(),
                    TimeUnit.MILLISECONDS);

            // 4. Devices: the registry, and attestation, which owns every registry change on its own thread.
            devices = own(new DeviceRegistry(
                    DeviceRegistry.openDatabase(config.store().registryFile())));
            var f = config.federation();
            IsolationRequests isolations = new IsolationRequests();
            AttestationService attestation = own(new AttestationService(
                    config.attest(),
                    devices,
                    alerts,
                    audit,
                    rejections,
                    toDevices,
                    outbox,
                    clock,
                    registry,
                    new IocEnforcement.Policy(f.maxFleetShare(), f.maxIocs(), f.iocRetention()),
                    config.attest().isolateOnQuarantine() ? isolations : QuarantineHook.NONE));

            // Device health (Online, Stale, Offline) from the last-seen times attestation keeps; a pass on its own
            // thread.
            DeviceHealth health = own(new DeviceHealth(
                    config.healthCheck(), devices, attestation::lastSeen, audit, alerts, clock, registry));

            // 5. The ways in: intake behind the embedded MQTT broker; commands to devices (from the SOC,
            // and isolations after a quarantine) wait in commands.db until their device listens; then
            // attestation and the commands may talk to devices.
            DeviceSessions sessions = new DeviceSessions();
            // MQTT-SN devices are reached through the MQTT-SN gateway, which starts after the broker.
            AtomicReference<BiPredicate<String, String>> snReaches = new AtomicReference<>((d, t) -> false);
            SocCommands commands = own(new SocCommands(
                    config.commands(),
                    config.identity(),
                    config.redis(),
                    config.store().dataDir(),
                    devices::knows,
                    toDevices,
                    (deviceId, topic) -> sessions.reaches(deviceId, topic)
                            || Objects.requireNonNull(snReaches.get()).test(deviceId, topic),
                    attestation::challenge,
                    isolations,
                    audit,
                    registry,
                    clock));
            // `devices revoke` writes this list; every listener refuses what is on it and closes what newly is,
            // and intake refuses a revoked device's messages that a relay carries.
            RevokedDeviceWatch revokedDevices = own(
                    RevokedDeviceWatch.start(RevokedDevices.file(config.store().dataDir()), REVOCATION_CHECK));
            Intake intake = new Intake(
                    outbox,
                    attestation.gate(config.attest()),
                    rejections,
                    config.identity(),
                    config.intake(),
                    config.attest().holdMaxPerDevice(),
                    commands::deviceAnswered,
                    registry,
                    revokedDevices::revoked,
                    console);
            broker = own(new EmbeddedBroker(
                    config.mqtt(),
                    config.store().dataDir(),
                    credentials,
                    intake,
                    rejections,
                    audit,
                    sessions,
                    commands::deviceListening,
                    revokedDevices,
                    clock,
                    registry));
            if (config.mqttsn().enabled()) {
                // MQTT-SN: the same intake, rejections and revocations as MQTT. Messages to devices go out both
                // ways, each delivering only to its own devices.
                SnGateway sn = own(new SnGateway(
                        config.mqttsn(),
                        config.store().dataDir(),
                        new SnGateway.Wiring(
                                intake::accept,
                                relayedIntake(intake),
                                rejections,
                                broker::deviceRevoked,
                                commands::deviceListening,
                                config.mqtt().maxConnectsPerMinute()),
                        clock,
                        registry));
                mqttSn = own(mqttSnTransport(config, credentials, rejections, revokedDevices)
                        .start(
                                config.mqtt().host(),
                                config.mqttsn().port(),
                                config.mqttsn().maxPacketBytes(),
                                sn));
                // After the DTLS listener's own hook, which closes the association and counts CERT_REVOKED.
                revokedDevices.onNewlyRevoked(ids -> ids.forEach(sn::revoked));
                snReaches.set(sn::reaches);
                toDevices.attach(new FanOutSender(List.of(broker, sn)));
            } else {
                mqttSn = null;
                toDevices.attach(broker);
            }
            attestation.start();
            health.start();
            commands.start();
            // 6. Federation IOCs, then the ops endpoints.
            if (config.federation().enabled()) {
                own(new FederationConsumer(
                                FederationConsumer.Settings.of(config.nats(), config.federation()),
                                new IocApplier(attestation.iocs(), IOC_APPLY_TIMEOUT),
                                new PoisonAudit(audit),
                                registry))
                        .start();
            }
            status = new GatewayStatus(
                    config,
                    broker,
                    intake,
                    rejections,
                    outbox,
                    forwarders,
                    devices,
                    streamFindings,
                    attestation::manifestStatus);
            pipeline.set(() -> pipelineSample(intake));
            long sampleMillis = Console.SAMPLE_INTERVAL.toMillis();
            scheduler.scheduleAtFixedRate(console::sample, 0, sampleMillis, TimeUnit.MILLISECONDS);
            http = own(new HttpEndpoints(
                    config.http(),
                    OpsToken.loadOrCreate(config.http().tokenFile()),
                    metrics,
                    status::report,
                    devices,
                    attestation,
                    attestation.iocs(),
                    console,
                    commands,
                    audit));
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        stallWatch = new StallWatch(STALL_BOUND);
        log.info(
                "gateway ready mqtt_port={} mqtt_tls_port={} mqttsn_port={} http_port={}",
                broker.port(),
                broker.tlsPort(),
                mqttSnPort(),
                http.port());
    }

    /** What the console's pipeline charts keep of this moment. */
    private PipelineSample pipelineSample(Intake intake) {
        Map<String, Long> backlog = new LinkedHashMap<>();
        Map<String, Double> p99 = new LinkedHashMap<>();
        for (Forwarder f : forwarders) {
            backlog.put(f.sinkName(), f.backlog());
            p99.put(f.sinkName(), f.ackLatencyP99Millis());
        }
        return new PipelineSample(clock.millis(), intake.acceptedTotal(), backlog, p99, outbox.storedBytes());
    }

    /** MQTT-SN forwarder encapsulation enters intake as a relay's MQTT PUBLISH for a bound child does. */
    private static RelayedIntake relayedIntake(Intake intake) {
        return new RelayedIntake() {
            @Override
            public IntakeResult accept(
                    String relayId,
                    String childId,
                    String topic,
                    byte[] payload,
                    java.time.Instant receivedAt,
                    StoreReceipt receipt) {
                return intake.acceptRelayed(relayId, childId, topic, payload, receivedAt, receipt);
            }

            @Override
            public boolean isBound(String relayId, String childId) {
                return intake.relays().isBound(relayId, childId);
            }
        };
    }

    /**
     * How MQTT-SN datagrams arrive: plain UDP with {@code mqttsn.allow_plaintext} (a lab), else DTLS 1.2
     * with per-device PSKs (identity = device id, key = its derived secret). A device newly on the
     * revoked-device list has its association closed within a second and its next handshake refused.
     */
    private SnTransport.Factory mqttSnTransport(
            GatewayConfig config,
            DeviceCredentials credentials,
            RejectionReporter rejections,
            RevokedDeviceWatch revoked) {
        if (config.mqttsn().allowPlaintext()) {
            return PlainUdpTransport::start;
        }
        return (host, port, maxPacketBytes, handler) -> {
            DtlsListener dtls = DtlsListener.start(
                    host,
                    port,
                    config.dtls(),
                    credentials::pskFor,
                    revoked::revoked,
                    rejections,
                    handler,
                    maxPacketBytes,
                    metrics.registry());
            revoked.onNewlyRevoked(ids -> ids.forEach(dtls::revoked));
            return dtls;
        };
    }

    /** Builds and starts a gateway; on failure everything already started is closed again. */
    public static Gateway start(GatewayConfig config, Clock clock) throws IOException {
        return new Gateway(config, clock);
    }

    private <T extends AutoCloseable> T own(T part) {
        closeInReverse.push(part);
        return part;
    }

    public int mqttPort() {
        return broker.port();
    }

    /** The MQTT over TLS port, -1 when there is no TLS listener. */
    public int mqttTlsPort() {
        return broker.tlsPort();
    }

    /** The MQTT-SN UDP port, -1 when the MQTT-SN gateway is off. */
    public int mqttSnPort() {
        return mqttSn == null ? GatewayConfig.OFF : mqttSn.port();
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
        return stallWatch.check(outbox.lastCommittedSeq(), outbox.queueDepth(), clock.millis());
    }

    /** What {@code /status} and {@code /readyz} report. */
    public StatusReport status() {
        return status.report();
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
                f.awaitCaughtUp(STOP_DRAIN_BOUND);
            }
            try {
                part.close();
            } catch (Exception e) {
                log.warn(
                        "stopping a part failed part={} error={}",
                        part.getClass().getSimpleName(),
                        e.toString());
            }
        }
        log.info("gateway stopped");
    }
}
