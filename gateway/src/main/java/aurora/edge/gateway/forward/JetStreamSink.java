package aurora.edge.gateway.forward;

import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.config.NatsSettings;
import aurora.edge.gateway.config.Secrets;
import aurora.edge.gateway.config.StreamManagement;
import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.outbox.OutboxRecord;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards alerts (at or above a severity) and audit events to the federation stream
 * ({@code AURORA.alerts}, {@code AURORA.audit}) with {@code Nats-Msg-Id} = message id, so
 * JetStream's duplicate window makes retries effectively once. Telemetry, attestation and alerts
 * below the threshold are skipped.
 *
 * <p>jnats' hidden buffer is off ({@code reconnectBufferSize(0)}): a publish while disconnected
 * fails at once instead of being sent later. Reconnects never give up ({@code maxReconnects(-1)}).
 * Construction never blocks on NATS: the first connection is made on the sink's own thread and
 * retried until it succeeds. The stream is checked (created or updated) on connect and after every
 * reconnect, because the server may have lost its store. Records are stored in outbox order, within
 * the limit {@link #deliver} states.
 */
public final class JetStreamSink implements Sink {
    /** The sink's name: its cursor, metric tag and log key. */
    public static final String NAME = "nats";

    private static final Logger log = LoggerFactory.getLogger(JetStreamSink.class);
    private static final Duration RECONNECT_WAIT = Duration.ofSeconds(1);
    private static final Duration QUIET_LOG = Duration.ofSeconds(60);

    /**
     * How {@link JetStreamSink} reaches the federation.
     *
     * @param url                {@code nats://[user:password@]host:port} (also {@code tls://})
     * @param domain             JetStream domain to publish into and manage the stream in; null or empty: the
     *                           connected server's own JetStream
     * @param stream             stream name ({@code nats.stream})
     * @param subjectPrefix      subject prefix ({@code nats.subject_prefix}: {@code AURORA.alerts}, ...)
     * @param alertMinSeverity   alerts below this are not forwarded ({@code nats.alert_min_severity})
     * @param duplicateWindow    the stream's duplicate window ({@code nats.duplicate_window}, at most the stream's max age)
     * @param maxOutstandingAcks publishes awaiting their ack at any time ({@code nats.max_outstanding_acks})
     * @param publishAckTimeout  bound of one batch's acks (of each step's after a failure: {@link PublishSteps}),
     *                           of one connect attempt and of stream management requests
     *                           ({@code nats.timeout}); every value is checked with the {@link NatsSettings} rule of its key
     * @param streamManagement   what the sink may do to the stream ({@code nats.stream_management}; CREATE: create if missing, never change)
     */
    public record Settings(
            URI url,
            @Nullable String domain,
            String stream,
            String subjectPrefix,
            Severity alertMinSeverity,
            Duration duplicateWindow,
            int maxOutstandingAcks,
            Duration publishAckTimeout,
            StreamManagement streamManagement) {

        public Settings {
            // The same rules as the configuration file's nats.* keys: one model, so the two cannot disagree.
            Objects.requireNonNull(url, "url");
            NatsSettings.URL.require(url);
            NatsSettings.DOMAIN.require(domain == null ? "" : domain);
            NatsSettings.STREAM.require(stream);
            NatsSettings.SUBJECT_PREFIX.require(subjectPrefix);
            NatsSettings.ALERT_MIN_SEVERITY.require(alertMinSeverity);
            NatsSettings.DUPLICATE_WINDOW.require(duplicateWindow);
            NatsSettings.MAX_OUTSTANDING_ACKS.require(maxOutstandingAcks);
            NatsSettings.TIMEOUT.require(publishAckTimeout);
            NatsSettings.STREAM_MANAGEMENT.require(streamManagement);
        }

        /** The sink as the configuration file sets it up. */
        public static Settings of(GatewayConfig.Nats n) {
            return new Settings(
                    n.url(),
                    n.jetStreamDomain(),
                    n.stream(),
                    n.subjectPrefix(),
                    n.alertMinSeverity(),
                    n.duplicateWindow(),
                    n.maxOutstandingAcks(),
                    n.timeout(),
                    n.streamManagement());
        }

        /** The documented defaults, on the connected server's own JetStream. */
        public static Settings defaults(URI url) {
            return new Settings(
                    url,
                    null,
                    NatsSettings.STREAM.fallback(),
                    NatsSettings.SUBJECT_PREFIX.fallback(),
                    NatsSettings.ALERT_MIN_SEVERITY.fallback(),
                    NatsSettings.DUPLICATE_WINDOW.fallback(),
                    NatsSettings.MAX_OUTSTANDING_ACKS.fallback(),
                    NatsSettings.TIMEOUT.fallback(),
                    NatsSettings.STREAM_MANAGEMENT.fallback());
        }

        public boolean hasDomain() {
            return domain != null && !domain.isEmpty();
        }

        public Settings withDomain(String value) {
            return new Settings(
                    url,
                    value,
                    stream,
                    subjectPrefix,
                    alertMinSeverity,
                    duplicateWindow,
                    maxOutstandingAcks,
                    publishAckTimeout,
                    streamManagement);
        }

        public Settings withStream(String name, String prefix) {
            return new Settings(
                    url,
                    domain,
                    name,
                    prefix,
                    alertMinSeverity,
                    duplicateWindow,
                    maxOutstandingAcks,
                    publishAckTimeout,
                    streamManagement);
        }

        public Settings withAlertMinSeverity(Severity value) {
            return new Settings(
                    url,
                    domain,
                    stream,
                    subjectPrefix,
                    value,
                    duplicateWindow,
                    maxOutstandingAcks,
                    publishAckTimeout,
                    streamManagement);
        }

        public Settings withDuplicateWindow(Duration value) {
            return new Settings(
                    url,
                    domain,
                    stream,
                    subjectPrefix,
                    alertMinSeverity,
                    value,
                    maxOutstandingAcks,
                    publishAckTimeout,
                    streamManagement);
        }

        public Settings withMaxOutstandingAcks(int value) {
            return new Settings(
                    url,
                    domain,
                    stream,
                    subjectPrefix,
                    alertMinSeverity,
                    duplicateWindow,
                    value,
                    publishAckTimeout,
                    streamManagement);
        }

        public Settings withPublishAckTimeout(Duration value) {
            return new Settings(
                    url,
                    domain,
                    stream,
                    subjectPrefix,
                    alertMinSeverity,
                    duplicateWindow,
                    maxOutstandingAcks,
                    value,
                    streamManagement);
        }

        public Settings withStreamManagement(StreamManagement value) {
            return new Settings(
                    url,
                    domain,
                    stream,
                    subjectPrefix,
                    alertMinSeverity,
                    duplicateWindow,
                    maxOutstandingAcks,
                    publishAckTimeout,
                    value);
        }
    }

    private final Settings settings;
    private final String maskedUrl;
    private final AuroraStream stream;
    private final JetStreamRouting routing;
    private final Options options;
    private final JetStreamOptions jetStreamOptions;
    private final ScheduledExecutorService worker;
    private final Semaphore outstanding;
    private final AtomicLong duplicates = new AtomicLong();
    /**
     * The last batch was not stored whole (or none was yet): the next one probes each subject with a publish
     * alone ({@link PublishSteps}). Set by every failure of {@link #deliver}, cleared only by a batch stored
     * whole; guarded by {@code this} (deliver is synchronized, the worker thread never touches it).
     */
    private boolean recovering = true;

    private final AtomicLong generation = new AtomicLong();
    private final NatsEvents events;
    private final Object streamLock = new Object();
    private long streamCheckedGeneration = -1;
    private final StreamFindings findings;
    /** Subjects the existing stream does not capture (CREATE): their records are skipped, not retried for ever. */
    private volatile Set<String> uncaptured = Set.of();

    private final AtomicLong skippedUncaptured = new AtomicLong();
    private final AtomicLong storedAheadOfARefusal = new AtomicLong();
    private final LogThrottle overtakeLog = new LogThrottle(QUIET_LOG);
    private final LogThrottle skippedLog = new LogThrottle(QUIET_LOG);
    private volatile @Nullable Connection connection;
    private volatile @Nullable JetStream jetStream;
    private volatile @Nullable JetStreamManagement management;
    private volatile boolean closed;

    public JetStreamSink(Settings settings) {
        this(settings, new StreamFindings());
    }

    /** @param findings where what the stream check finds is reported ({@code /readyz}, {@code status}) */
    public JetStreamSink(Settings settings, StreamFindings findings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.findings = Objects.requireNonNull(findings, "findings");
        this.maskedUrl = Secrets.maskUserInfo(settings.url().toString());
        this.stream = new AuroraStream(
                settings.stream(), settings.subjectPrefix(), settings.duplicateWindow(), settings.domain());
        this.routing = new JetStreamRouting(settings);
        this.outstanding = new Semaphore(settings.maxOutstandingAcks());
        this.events = new NatsEvents(maskedUrl, QUIET_LOG, this::onConnected, () -> connection, () -> closed);
        this.options = Options.builder()
                .server(settings.url().toString())
                .connectionName("aurora-edge-jetstream-sink")
                .reconnectBufferSize(0)
                .maxReconnects(-1)
                .reconnectWait(RECONNECT_WAIT)
                .connectionTimeout(settings.publishAckTimeout())
                .connectionListener(events)
                .errorListener(events)
                .build();
        JetStreamOptions.Builder jso = JetStreamOptions.builder().requestTimeout(settings.publishAckTimeout());
        if (settings.hasDomain()) {
            jso.domain(settings.domain());
        }
        this.jetStreamOptions = jso.build();
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aurora-jetstream-sink");
            t.setDaemon(true);
            return t;
        });
        log.info(
                "jetstream sink starting url={} domain={} stream={} subjects={} alert_min_severity={} duplicate_window={} "
                        + "max_outstanding_acks={} ack_timeout={} stream_management={}",
                maskedUrl,
                settings.domain(),
                settings.stream(),
                stream.subjects(),
                settings.alertMinSeverity().wireName(),
                settings.duplicateWindow(),
                settings.maxOutstandingAcks(),
                settings.publishAckTimeout(),
                settings.streamManagement().name().toLowerCase(java.util.Locale.ROOT));
        worker.execute(this::connectAttempt);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Telemetry never goes to the shared stream ({@link JetStreamRouting}). */
    @Override
    public boolean takesNoTelemetry() {
        return true;
    }

    @Override
    public boolean isConnected() {
        return !closed && connection != null && events.isConnected();
    }

    /** Publishes JetStream acknowledged as duplicates (already stored within the duplicate window). */
    public long duplicates() {
        return duplicates.get();
    }

    /**
     * Publishes the batch in order and returns once JetStream has stored all of it, each record once
     * ({@code Nats-Msg-Id}), in outbox order: after any failure the next batch goes in {@link PublishSteps}
     * (each subject probed alone first), so a link that heals partially refuses the batch at its first refused
     * record and stores nothing after it. What was already in flight when a publish failed can still be stored
     * ahead of it:
     *
     * <ul>
     *   <li>a publish refused on a link that looked healthy cannot stop the rest of its step, already sent: those
     *       JetStream stores are ahead of it, and the retry stores it behind them ({@link #storedAheadOfARefusal});
     *   <li>publishes still queued in jnats when the connection drops are sent by jnats after it reconnects, before
     *       any retry, and can likewise be stored ahead of an earlier record lost with the old connection.
     * </ul>
     *
     * <p>Either exposes at most one step (a batch: {@code forward.batch_size}, {@code nats.max_outstanding_acks}).
     */
    @Override
    public synchronized void deliver(List<OutboxRecord> batch) throws SinkUnavailableException {
        if (closed) {
            throw new SinkUnavailableException("jetstream sink is closed");
        }
        List<JetStreamRouting.Publish> publishes = routing.route(batch);
        if (publishes.isEmpty()) {
            return;
        }
        try {
            publishInOrder(publishes);
        } catch (SinkUnavailableException | RuntimeException e) {
            recovering = true; // whatever ended it, part of the batch may be missing: the next one probes
            throw e;
        }
    }

    private void publishInOrder(List<JetStreamRouting.Publish> routed) throws SinkUnavailableException {
        JetStream js = jetStream;
        if (js == null || !isConnected()) {
            throw new SinkUnavailableException("nats not connected url=" + maskedUrl);
        }
        ensureStream();
        List<JetStreamRouting.Publish> publishes = withoutUncaptured(routed);
        if (publishes.isEmpty()) {
            return; // nothing sent: the link's state is what it was
        }
        // Each step is awaited whole before the next is sent, each within its own nats.timeout.
        for (List<JetStreamRouting.Publish> step : PublishSteps.of(publishes, recovering)) {
            long deadline = System.nanoTime() + settings.publishAckTimeout().toNanos();
            List<CompletableFuture<PublishAck>> acks = new ArrayList<>(step.size());
            for (JetStreamRouting.Publish p : step) {
                acks.add(publish(js, p, deadline));
            }
            awaitAcks(acks, step, deadline);
        }
        recovering = false;
    }

    private CompletableFuture<PublishAck> publish(JetStream js, JetStreamRouting.Publish p, long deadline)
            throws SinkUnavailableException {
        try {
            if (!outstanding.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new SinkUnavailableException("nats has " + settings.maxOutstandingAcks()
                        + " publishes unacknowledged after " + settings.publishAckTimeout() + " url=" + maskedUrl);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkUnavailableException("interrupted while waiting for a publish slot", e);
        }
        CompletableFuture<PublishAck> ack;
        try {
            PublishOptions opts = PublishOptions.builder()
                    .messageId(p.messageId())
                    .expectedStream(settings.stream())
                    .streamTimeout(settings.publishAckTimeout())
                    .build();
            ack = js.publishAsync(p.subject(), null, p.body(), opts);
        } catch (RuntimeException e) {
            outstanding.release();
            throw new SinkUnavailableException(
                    "nats publish refused url=" + maskedUrl + " subject=" + p.subject() + " seq=" + p.seq() + " error="
                            + e.getMessage(),
                    e);
        }
        ack.whenComplete((a, t) -> outstanding.release());
        return ack;
    }

    private void awaitAcks(
            List<CompletableFuture<PublishAck>> acks, List<JetStreamRouting.Publish> publishes, long deadline)
            throws SinkUnavailableException {
        long dup = 0;
        for (int i = 0; i < acks.size(); i++) {
            JetStreamRouting.Publish p = publishes.get(i);
            try {
                PublishAck ack = acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (ack.isDuplicate()) {
                    dup++;
                }
            } catch (ExecutionException e) {
                recheckStream(); // the server may have lost the stream (no responders, stream not found)
                watchForOvertakers(acks.subList(i + 1, acks.size()), p);
                throw new SinkUnavailableException(
                        "nats did not store a message url=" + maskedUrl + " subject=" + p.subject() + " seq=" + p.seq()
                                + " msg_id=" + p.messageId() + " error=" + e.getCause(),
                        e.getCause());
            } catch (TimeoutException | CancellationException e) {
                throw new SinkUnavailableException(
                        "nats did not acknowledge within " + settings.publishAckTimeout() + " url=" + maskedUrl
                                + " seq=" + p.seq(),
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SinkUnavailableException("interrupted while waiting for nats acks", e);
            }
        }
        if (dup > 0) {
            duplicates.addAndGet(dup);
            log.info("jetstream sink publishes acknowledged as duplicates count={} stream={}", dup, settings.stream());
        }
    }

    /**
     * The publishes sent after a refused one (JetStream did not store it) are already on the wire: those it
     * stores are ahead of the refused one in the stream, out of outbox order. Counted and logged, not prevented
     * ({@link #deliver}). A timeout is not watched: the timed-out publish may have been stored, in order.
     */
    private void watchForOvertakers(List<CompletableFuture<PublishAck>> later, JetStreamRouting.Publish refused) {
        for (CompletableFuture<PublishAck> ack : later) {
            ack.thenAccept(a -> {
                if (!a.isDuplicate()) {
                    long total = storedAheadOfARefusal.incrementAndGet();
                    overtakeLog.maybeLog(suppressed -> log.warn(
                            "jetstream sink: a publish was stored after an earlier one of its batch was refused, "
                                    + "the stream holds them out of outbox order stream={} refused_seq={} total={}",
                            settings.stream(),
                            refused.seq(),
                            total));
                }
            });
        }
    }

    /** Publishes JetStream stored after an earlier one of their batch was refused: out of outbox order in the stream. */
    public long storedAheadOfARefusal() {
        return storedAheadOfARefusal.get();
    }

    /** Publishes to subjects the existing stream does not capture cannot succeed: skipped and counted, so the rest flows. */
    private List<JetStreamRouting.Publish> withoutUncaptured(List<JetStreamRouting.Publish> publishes) {
        Set<String> missing = uncaptured;
        if (missing.isEmpty()) {
            return publishes;
        }
        List<JetStreamRouting.Publish> kept =
                publishes.stream().filter(p -> !missing.contains(p.subject())).toList();
        int skipped = publishes.size() - kept.size();
        if (skipped > 0) {
            long total = skippedUncaptured.addAndGet(skipped);
            skippedLog.maybeLog(suppressed -> log.warn(
                    "jetstream sink skipped records for subjects the stream does not capture "
                            + "stream={} subjects={} skipped_total={}",
                    settings.stream(),
                    missing,
                    total));
        }
        return kept;
    }

    /** Records skipped because the existing stream does not capture their subject (CREATE on a foreign stream). */
    public long skippedUncaptured() {
        return skippedUncaptured.get();
    }

    /**
     * Checks the stream once per (re)connect; deliver and the connect events both come here. Under
     * OFF nothing is asked. Under CREATE a check that fails (a user without stream-info rights, a
     * slow server) is reported and publishing goes on: the stream is the backend's. Under MANAGE
     * the sink waits until the stream is as configured, as it always did.
     */
    private void ensureStream() throws SinkUnavailableException {
        if (settings.streamManagement() == StreamManagement.OFF) {
            return;
        }
        JetStreamManagement jsm = management;
        synchronized (streamLock) {
            long current = generation.get();
            if (streamCheckedGeneration == current) {
                return;
            }
            if (jsm == null) {
                throw new SinkUnavailableException("jetstream stream " + settings.stream() + " not ready url="
                        + maskedUrl + " error=not connected");
            }
            try {
                AuroraStream.Check check = stream.ensure(jsm, settings.streamManagement());
                uncaptured = check.uncaptured();
                findings.replace(check.findings());
                streamCheckedGeneration = current;
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                if (settings.streamManagement() == StreamManagement.MANAGE) {
                    throw new SinkUnavailableException(
                            "jetstream stream " + settings.stream() + " not ready url=" + maskedUrl + " domain="
                                    + settings.domain() + " error=" + e,
                            e);
                }
                uncaptured = Set.of();
                findings.replace(List.of("stream " + settings.stream() + " could not be checked (" + e.getMessage()
                        + "); publishing without the check"));
                streamCheckedGeneration = current;
                log.warn(
                        "jetstream stream check failed, publishing anyway (nats.stream_management=create) stream={} domain={} error={}",
                        settings.stream(),
                        settings.domain(),
                        e.toString());
            }
        }
    }

    private void recheckStream() {
        synchronized (streamLock) {
            streamCheckedGeneration = -1;
        }
    }

    /** Connected or reconnected: the server may be a fresh one, so the stream is checked again. */
    private void onConnected() {
        generation.incrementAndGet();
        if (!closed) {
            worker.execute(() -> {
                try {
                    ensureStream();
                } catch (SinkUnavailableException e) {
                    log.warn(
                            "jetstream sink stream check failed, retried on the next deliver error={}", e.getMessage());
                }
            });
        }
    }

    /** The first connection; jnats handles every later reconnect itself. */
    private void connectAttempt() {
        if (closed) {
            return;
        }
        try {
            Connection nc = Nats.connect(options);
            management = nc.jetStreamManagement(jetStreamOptions);
            jetStream = nc.jetStream(jetStreamOptions);
            connection = nc;
            if (closed) {
                nc.close();
                return;
            }
            events.firstConnected(nc);
            log.info(
                    "jetstream sink connected url={} server={}",
                    maskedUrl,
                    nc.getServerInfo().getServerName());
            onConnected();
        } catch (IOException e) {
            events.connectFailed(e);
            if (!closed) {
                worker.schedule(this::connectAttempt, RECONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        Connection nc = connection;
        if (nc != null) {
            try {
                nc.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        log.info("jetstream sink closed url={} duplicates={}", maskedUrl, duplicates.get());
    }
}
