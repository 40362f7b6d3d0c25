package aurora.edge.gateway.federation;

import aurora.edge.attestation.keys.VerifyingKey;
import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.config.Secrets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens to the federation: a durable pull consumer, named after the gateway, on
 * {@code <prefix>.ioc_sharing} of the {@code AURORA} stream. Each IOC is acknowledged once it is
 * applied (or found not to concern the gateway), nak'ed with a delay when applying it failed in
 * a way worth retrying, and terminated when it is poison, unsigned or badly signed while
 * {@code federation.ioc_key} is set ({@link IocSignature}), or refused by a full table (reported,
 * never redelivered). Being durable, it resumes where it left off after a restart or an outage of
 * the leaf node.
 */
public final class FederationConsumer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FederationConsumer.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration RETRY_MIN = Duration.ofSeconds(1);
    private static final Duration RETRY_MAX = Duration.ofSeconds(30);

    /**
     * @param domain       JetStream domain of the stream; null or empty for the connected server's own
     * @param durableName  the consumer's durable name (one per gateway)
     * @param nakDelay     how long a failed IOC waits before it is redelivered
     * @param iocKey       the pinned key every IOC must be signed with, or null to take unsigned IOCs
     */
    public record Settings(
            URI url,
            @Nullable String domain,
            String stream,
            String subjectPrefix,
            String durableName,
            Duration nakDelay,
            @Nullable VerifyingKey iocKey) {
        public Settings {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(subjectPrefix, "subjectPrefix");
            Objects.requireNonNull(durableName, "durableName");
            if (nakDelay == null || nakDelay.isNegative() || nakDelay.isZero()) {
                throw new IllegalArgumentException("nakDelay must be > 0, found " + nakDelay);
            }
        }

        /** Without a pinned key: unsigned IOCs are taken. */
        public Settings(
                URI url,
                @Nullable String domain,
                String stream,
                String subjectPrefix,
                String durableName,
                Duration nakDelay) {
            this(url, domain, stream, subjectPrefix, durableName, nakDelay, null);
        }

        /**
         * The consumer as the configuration file sets it up: on the same NATS server and domain as the
         * JetStream sink, with the pinned IOC key read from {@code federation.ioc_key} (checked by the
         * configuration loader already, so a failure here is unexpected).
         */
        public static Settings of(GatewayConfig.Nats n, GatewayConfig.Federation f) {
            return new Settings(
                    n.url(),
                    n.jetStreamDomain(),
                    n.stream(),
                    n.subjectPrefix(),
                    f.consumerName(),
                    f.nakDelay(),
                    iocKey(f.iocKey()));
        }

        private static @Nullable VerifyingKey iocKey(@Nullable Path file) {
            if (file == null) {
                return null;
            }
            try {
                return VerifyingKey.fromPem(Files.readString(file, StandardCharsets.US_ASCII))
                        .orElseThrow();
            } catch (IOException e) {
                throw new UncheckedIOException("federation.ioc_key " + file + " cannot be read", e);
            }
        }

        String subject() {
            return subjectPrefix + ".ioc_sharing";
        }
    }

    private final Settings settings;
    private final IocHandler handler;
    private final Refusals refusals;
    private final IocParser parser = new IocParser();
    private final IocSignature signature;
    private final Thread thread;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Counter applied;
    private final Counter replayed;
    private final Counter ignored;
    private final Counter retried;
    private final Counter poison;
    private final Counter badSignature;
    private final Counter awaiting;
    private final Counter withdrawn;
    private final Counter expired;
    private final Counter refused;
    private volatile @Nullable Connection connection;
    private volatile boolean listening;

    /** Told about every message refused without being applied, for the audit trail. */
    @FunctionalInterface
    public interface Refusals {
        /**
         * @param code   {@link AuditCode#IOC_POISON} or {@link AuditCode#IOC_SIGNATURE_INVALID}
         * @param reason why, in words of ours (never the message's own text)
         * @param where  subject and stream sequence
         */
        void refused(AuditCode code, String reason, String where);
    }

    public FederationConsumer(Settings settings, IocHandler handler, Refusals refusals, MeterRegistry registry) {
        this.settings = settings;
        this.handler = handler;
        this.refusals = refusals;
        this.signature = new IocSignature(settings.iocKey());
        this.badSignature = outcome(registry, "signature_invalid");
        this.awaiting = outcome(registry, "awaiting_confirmation");
        this.withdrawn = outcome(registry, "withdrawn");
        this.expired = outcome(registry, "expired");
        this.refused = outcome(registry, "refused");
        this.applied = outcome(registry, "applied");
        this.replayed = outcome(registry, "replayed");
        this.ignored = outcome(registry, "ignored");
        this.retried = outcome(registry, "retried");
        this.poison = outcome(registry, "poison");
        this.thread = new Thread(this::run, "federation-consumer");
        Gauge.builder("aurora_federation_listening", this, c -> c.listening ? 1 : 0)
                .description("1 while the durable IOC consumer is set up and pulling")
                .register(registry);
    }

    /** Whether the durable consumer is set up and pulling right now. */
    public boolean listening() {
        return listening;
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder("aurora_federation_iocs")
                .tag("outcome", outcome)
                .description("IOCs taken from the federation, by outcome")
                .register(registry);
    }

    public void start() {
        if (!signature.required()) {
            log.warn("federation.ioc_key is empty: IOCs from the federation are taken unsigned");
        }
        thread.start();
    }

    private void run() {
        Duration retry = RETRY_MIN;
        while (stop.getCount() > 0) {
            try {
                ConsumerContext consumer = consumer();
                listening = true;
                retry = RETRY_MIN;
                while (stop.getCount() > 0) {
                    Message message = consumer.next(POLL);
                    if (message != null) {
                        handle(message);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                listening = false;
                log.warn(
                        "federation consumer unavailable url={} retry_in={} error={}",
                        Secrets.maskUserInfo(settings.url().toString()),
                        retry,
                        Secrets.maskUserInfo(e.toString()));
                closeConnection();
                try {
                    if (stop.await(retry.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                retry = retry.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : retry.multipliedBy(2);
            }
        }
    }

    private ConsumerContext consumer() throws Exception {
        if (connection == null) {
            connection = Nats.connect(new Options.Builder()
                    .server(settings.url().toString())
                    .connectionName("aurora-edge-federation")
                    .maxReconnects(-1)
                    .reconnectBufferSize(0)
                    .build());
        }
        JetStreamOptions options =
                settings.domain() == null || settings.domain().isEmpty()
                        ? JetStreamOptions.DEFAULT_JS_OPTIONS
                        : JetStreamOptions.builder().domain(settings.domain()).build();
        ConsumerContext consumer = connection
                .getStreamContext(settings.stream(), options)
                .createOrUpdateConsumer(ConsumerConfiguration.builder()
                        .durable(settings.durableName())
                        .filterSubject(settings.subject())
                        .ackPolicy(AckPolicy.Explicit)
                        .ackWait(Duration.ofSeconds(30))
                        .deliverPolicy(DeliverPolicy.All)
                        .build());
        log.info(
                "federation consumer ready stream={} subject={} durable={}",
                settings.stream(),
                settings.subject(),
                settings.durableName());
        return consumer;
    }

    private void handle(Message message) {
        String where = message.getSubject()
                + (message.isJetStream() ? " stream_seq=" + message.metaData().streamSequence() : "");
        byte[] data = message.getData() == null ? new byte[0] : message.getData();
        var unsigned = signature.problem(message.getHeaders(), data);
        if (unsigned.isPresent()) {
            message.term();
            badSignature.increment();
            log.warn("ioc refused, signature invalid where={} reason={}", where, unsigned.get());
            refusals.refused(AuditCode.IOC_SIGNATURE_INVALID, unsigned.get(), where);
            return;
        }
        IocParser.Parsed parsed = parser.parse(data);
        if (parsed instanceof IocParser.Parsed.Actionable a) {
            apply(message, a.ioc());
        } else if (parsed instanceof IocParser.Parsed.Poison p) {
            message.term();
            poison.increment();
            log.warn("poison IOC terminated where={} reason={}", where, p.reason());
            refusals.refused(AuditCode.IOC_POISON, p.reason(), where);
        } else {
            message.ack();
            ignored.increment();
        }
    }

    private void apply(Message message, Ioc ioc) {
        IocHandler.Outcome outcome;
        try {
            outcome = handler.apply(ioc);
        } catch (IocHandler.IocHandlingException | RuntimeException e) {
            message.nakWithDelay(settings.nakDelay());
            retried.increment();
            log.warn("ioc not applied, redelivery in {} id={} error={}", settings.nakDelay(), ioc.id(), e.toString());
            return;
        }
        if (outcome == IocHandler.Outcome.REFUSED) {
            message.term();
        } else {
            message.ack();
        }
        (switch (outcome) {
                    case APPLIED -> applied;
                    case REPLAY -> replayed;
                    case AWAITING_CONFIRMATION -> awaiting;
                    case WITHDRAWN -> withdrawn;
                    case EXPIRED -> expired;
                    case REFUSED -> refused;
                })
                .increment();
        log.info(
                "ioc taken id={} kind={} value={} revoked={} valid_until={} outcome={}",
                ioc.id(),
                ioc.kind(),
                ioc.value(),
                ioc.revoked(),
                ioc.validUntil(),
                outcome);
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop.countDown();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
    }
}
