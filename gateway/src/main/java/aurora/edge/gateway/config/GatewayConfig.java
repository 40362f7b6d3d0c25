package aurora.edge.gateway.config;

import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.outbox.OutboxLimits;
import aurora.edge.gateway.registry.RegistrationPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The whole, validated configuration of one gateway. Built only by {@link ConfigLoader}; every
 * key, its unit, default and range is modelled as a {@link Setting} (in the {@code *Settings} classes)
 * and documented in the README's configuration table, which is generated from them.
 *
 * @param settings every key with its effective value (secrets masked), default and meaning, in the
 *                 docs' order: what a configuration view shows
 */
public record GatewayConfig(
        Identity identity,
        Mqtt mqtt,
        Http http,
        Store store,
        Intake intake,
        Redis redis,
        Nats nats,
        Forward forward,
        Attest attest,
        Federation federation,
        AuditVolume auditVolume,
        HealthCheck healthCheck,
        Commands commands,
        MqttSn mqttsn,
        Dtls dtls,
        List<EffectiveSetting> settings) {

    public GatewayConfig {
        settings = List.copyOf(settings);
    }

    /** Key → effective value, secrets masked: the start-up log and {@code check-config}. */
    public Map<String, String> effectiveMasked() {
        Map<String, String> out = new LinkedHashMap<>();
        settings.forEach(s -> out.put(s.key(), s.value()));
        return out;
    }

    /** {@code gateway.id}, {@code site.id}: stamped on every event and used to name the JetStream consumer. */
    public record Identity(String gatewayId, String siteId) {}

    /**
     * The embedded broker. Port 0 binds any free port (reported at start), -1 turns the plaintext
     * listener off. A device may connect {@code maxConnectsPerMinute} times a minute (in a burst as
     * well); more is a connection storm. {@code tls}: the MQTT over TLS listener.
     */
    public record Mqtt(
            String host,
            int port,
            int maxMessageBytes,
            int sessionQueueSize,
            Duration ackInterval,
            int maxConnectsPerMinute,
            Strangers strangers,
            Tls tls,
            boolean pubackAfterCommit) {
        /** Whether the plaintext listener is on ({@code mqtt.port} is not -1). */
        public boolean plaintext() {
            return port != OFF;
        }
    }

    /**
     * The MQTT-SN 1.2 gateway ({@code mqttsn.*}), on {@code mqtt.host}: sessions in all and per source
     * address, the largest datagram, the sleeping queue per device, the keep-alive bounds and the QoS 1
     * retry interval towards awake devices.
     */
    public record MqttSn(
            boolean enabled,
            int port,
            boolean allowPlaintext,
            int maxSessions,
            int maxSessionsPerAddress,
            int maxPacketBytes,
            int sleepQueueMax,
            Duration minKeepAlive,
            Duration maxKeepAlive,
            Duration retryInterval) {}

    /** The port value that turns a listener off. */
    public static final int OFF = -1;

    /**
     * The MQTT over TLS listener ({@code mqtt.tls_port}, {@code mqtt.tls.*}): on when a server
     * certificate is configured and the port is not -1. {@code cert}/{@code key}: the server's own
     * PEM certificate chain and private key; {@code ca}: the PEM bundle device certificates must
     * chain to; {@code crl}: an optional PEM CRL; all four are re-read when they change on disk, every
     * {@code reloadInterval}. {@code requireClientCert}: a handshake without a device certificate is
     * refused (otherwise such a device authenticates with its password).
     */
    public record Tls(
            int port, Path cert, Path key, Path ca, Path crl, boolean requireClientCert, Duration reloadInterval) {
        public boolean enabled() {
            return cert != null && port != OFF;
        }
    }

    /**
     * What a client may cost the gateway before it authenticates, and the bounds on the broker's
     * internal queues: {@code mqtt.max_connections} in all, {@code mqtt.max_pending_per_address}
     * unauthenticated connections per source address, {@code mqtt.connect_timeout} to authenticate,
     * {@code mqtt.max_connect_bytes} for the CONNECT packet, {@code mqtt.max_interceptor_backlog}
     * broker events waiting for intake before publishes are refused.
     */
    public record Strangers(
            int maxConnections,
            int maxPendingPerAddress,
            Duration connectTimeout,
            int maxConnectBytes,
            int maxInterceptorBacklog) {}

    /**
     * How many audit events the gateway itself may write ({@code audit.max_events_per_minute}; what
     * is over the budget is counted and summarised, CRITICAL events are never held back) and the
     * window in which repeated events are folded into one ({@code audit.summary_window}).
     */
    public record AuditVolume(int maxEventsPerMinute, Duration summaryWindow) {}

    /**
     * Device health, AuroraSOC's way: a device not heard from for {@code staleAfter} is Stale, for
     * {@code offlineAfter} Offline; one pass over the fleet every {@code interval} notices it.
     */
    public record HealthCheck(Duration staleAfter, Duration offlineAfter, Duration interval) {}

    /**
     * The DTLS 1.2 PSK transport of MQTT-SN ({@code mqttsn.dtls.*}): at most {@code maxAssociations}
     * established associations and {@code maxHandshakes} handshakes in progress, at most
     * {@code maxHandshakesPerAddress} of them from one source address, each source address starting at
     * most {@code handshakesPerMinutePerAddress} a minute; at most {@code helloVerifyPerSecond}
     * cookie replies (HelloVerifyRequest) are sent a second in all; a handshake is abandoned after
     * {@code handshakeTimeout}, an association closed after {@code idleTimeout} without a datagram
     * from the device; {@code workers} threads process the records of established associations.
     */
    public record Dtls(
            int maxAssociations,
            int maxHandshakes,
            int maxHandshakesPerAddress,
            int handshakesPerMinutePerAddress,
            int helloVerifyPerSecond,
            Duration handshakeTimeout,
            Duration idleTimeout,
            int workers) {
        public Dtls {
            if (maxAssociations < 1
                    || maxHandshakes < 1
                    || maxHandshakesPerAddress < 1
                    || handshakesPerMinutePerAddress < 1
                    || helloVerifyPerSecond < 1
                    || workers < 1) {
                throw new IllegalArgumentException("dtls limits must be >= 1");
            }
            if (handshakeTimeout.isNegative()
                    || handshakeTimeout.isZero()
                    || idleTimeout.isNegative()
                    || idleTimeout.isZero()) {
                throw new IllegalArgumentException("dtls timeouts must be > 0");
            }
        }
    }

    /**
     * Ops endpoints ({@code /healthz}, {@code /readyz}, {@code /metrics}, the registry and the
     * operator commands); loopback by default. {@code tokenFile} ({@code ops.token_file}): the
     * bearer token every operator write must carry, created 0600 at first start. {@code consoleWrites}
     * ({@code http.console_writes}): whether the browser console may send operator commands.
     */
    public record Http(String host, int port, Path tokenFile, boolean consoleWrites) {}

    /**
     * Where the gateway keeps its state (the SQLite database and the site device key), how it
     * commits, and how much the outbox may hold (see {@code OutboxLimits}).
     */
    public record Store(
            Path dataDir,
            Path deviceKeyFile,
            int commitMaxRows,
            Duration commitMaxDelay,
            long outboxMaxBytes,
            long outboxHardMaxBytes,
            long minFreeDiskBytes,
            Duration auditRetention,
            long auditMaxRows,
            long auditMaxBytes,
            long deviceQuotaBytes,
            int resendWindow,
            Duration gapTimeout) {
        /** The outbox's capacity, per-device quota, acknowledgement-gap rule and local audit trail bounds. */
        public OutboxLimits outboxLimits() {
            return new OutboxLimits(
                    outboxMaxBytes,
                    outboxHardMaxBytes,
                    minFreeDiskBytes,
                    auditRetention,
                    auditMaxRows,
                    auditMaxBytes,
                    deviceQuotaBytes,
                    resendWindow,
                    gapTimeout);
        }

        public Path databaseFile() {
            return dataDir.resolve("aurora-edge.db");
        }

        /** The device registry: its own file, so its writes never wait on the outbox writer's open transaction. */
        public Path registryFile() {
            return dataDir.resolve("registry.db");
        }
    }

    /**
     * Checks every device message passes before it is accepted. A device may send
     * {@code maxRatePerDevice} messages a second on average, in bursts of up to {@code maxBurstPerDevice}.
     */
    public record Intake(int maxPayloadBytes, int queueCapacity, int maxRatePerDevice, int maxBurstPerDevice) {}

    /** The site bus. */
    public record Redis(
            URI url, String alertsStream, String telemetryStream, String auditStream, long maxLen, Duration timeout) {}

    /**
     * The federation leaf node. An empty domain means the connected server's own JetStream.
     * {@code streamManagement}: what the gateway may do to the stream it shares with the backend.
     */
    public record Nats(
            URI url,
            String domain,
            String stream,
            String subjectPrefix,
            Severity alertMinSeverity,
            Duration duplicateWindow,
            int maxOutstandingAcks,
            Duration timeout,
            StreamManagement streamManagement) {

        /** The JetStream domain for a client, or null for the connected server's own (the key left empty). */
        public @Nullable String jetStreamDomain() {
            return domain.isEmpty() ? null : domain;
        }
    }

    /**
     * How forwarders drain the outbox. {@code readyMaxBacklogAge}: {@code /readyz} reports not
     * ready while a sink's oldest undelivered event is older than this. {@code stallTimeout}: a sink
     * connected but not advancing for this long is reconnected and reported. {@code drainMaxRate}:
     * events per second a sink is fed while it drains a backlog (0 = as fast as it acknowledges);
     * alerts, attestation and audit on the priority lane are never held back.
     */
    public record Forward(
            int batchSize,
            Duration backoffMin,
            Duration backoffMax,
            Duration readyMaxBacklogAge,
            Duration stallTimeout,
            int drainMaxRate) {}

    /**
     * The federation listener ({@code federation.*}): a durable pull consumer named
     * {@code consumerName} on {@code <nats.subject_prefix>.ioc_sharing} of {@code nats.stream}, through
     * the same NATS server and JetStream domain as the sink. {@code nakDelay}: how long an IOC that
     * could not be applied waits before it is redelivered. {@code maxFleetShare}: the share of the
     * registered fleet one IOC may quarantine before it waits for an operator's confirmation (one
     * device is always allowed). {@code iocKey}: the pinned public key IOCs must be signed with, or
     * null to take them unsigned. {@code maxIocs}: the most indicators kept (active, awaiting
     * confirmation and withdrawn). {@code iocRetention}: how long a withdrawn or expired indicator
     * is remembered, so a redelivered copy is not applied again.
     */
    public record Federation(
            boolean enabled,
            String consumerName,
            Duration nakDelay,
            double maxFleetShare,
            Path iocKey,
            int maxIocs,
            Duration iocRetention) {}

    /**
     * Commands from the SOC ({@code commands.*}): read from {@code stream} on the site Redis as the
     * consumer group {@code group} (empty: {@code aurora-edge-<gateway.id>}), each signed by the key in
     * {@code socKey} (PEM public key; null: commands are off). A command is resent every
     * {@code retryInterval} while its device listens, until it answers or expires; one may not live
     * longer than {@code maxTtl}; a device has at most {@code maxPendingPerDevice} open ones.
     */
    public record Commands(
            Path socKey,
            String stream,
            String group,
            String resultsStream,
            long resultsMaxLen,
            Duration retryInterval,
            Duration maxTtl,
            int maxPendingPerDevice) {
        public boolean enabled() {
            return socKey != null;
        }
    }

    /**
     * Device registration and attestation ({@code devices.registration_policy}, {@code attest.*}).
     * Paths are null when not configured; without a manifest no challenge is sent and devices stay
     * PENDING; without an endorsement list no device has a key (and none may register under
     * {@code endorsed}). With {@code holdPending} (and a manifest) data of a device without a TRUSTED
     * verdict is held in the outbox, at most {@code holdMaxPerDevice} events per device.
     */
    public record Attest(
            RegistrationPolicy policy,
            @Nullable Path manifest,
            @Nullable Path manifestSignature,
            @Nullable Path vendorKey,
            @Nullable Path endorsements,
            @Nullable Path endorsementsSignature,
            Duration interval,
            Duration intervalJitter,
            Duration challengeTtl,
            int maxAttempts,
            Duration retryBackoffMin,
            Duration retryBackoffMax,
            boolean holdPending,
            int holdMaxPerDevice,
            boolean isolateOnQuarantine) {

        public boolean enabled() {
            return manifest != null;
        }

        /** Whether data of devices without a TRUSTED verdict is held in the outbox: only while attestation is on. */
        public boolean holds() {
            return holdPending && enabled();
        }
    }
}
