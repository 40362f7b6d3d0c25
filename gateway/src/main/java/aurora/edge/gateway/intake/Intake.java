package aurora.edge.gateway.intake;

import aurora.edge.gateway.attest.DeviceGate;
import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.audit.RejectionReporter;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.DeviceMessage;
import aurora.edge.gateway.device.DevicePosition;
import aurora.edge.gateway.device.DeviceTopic;
import aurora.edge.gateway.device.DeviceWatch;
import aurora.edge.gateway.device.Printable;
import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.device.RelayBindings;
import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.device.TraceEvent;
import aurora.edge.gateway.device.Trust;
import aurora.edge.gateway.outbox.NormalizedEvent;
import aurora.edge.gateway.outbox.Outbox;
import aurora.edge.gateway.outbox.PendingEvent;
import aurora.edge.gateway.outbox.StoreReceipt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The gate every device message passes: topic ownership, size, JSON object, registration and
 * trust ({@link DeviceGate}), sequence fields, then enrichment into the normalized event and a
 * non-blocking hand-off to the outbox. Rejections are reported and never throw, so one bad device
 * cannot stop or slow the others.
 *
 * <p>Data of a device that is not trusted enough to forward (quarantined, or waiting for approval)
 * is kept, flagged and counted: it goes to the outbox on the HELD channel (audit code
 * {@code UNTRUSTED_DATA}, so to {@code aurora:audit} and the local audit trail), never to the
 * trusted telemetry and alert streams, and never to the shared federation stream. Answers on the attestation channel always pass: that is how
 * a quarantined device gets out again.
 *
 * <p>Data of a device waiting for its first verdict, while attestation is on, is held (issue 11:
 * attestation is the trust boundary): stored and acknowledged, forwarded only once the device is
 * TRUSTED, at most {@code attest.hold_max_per_device} events per device (beyond that, kept as
 * {@code UNTRUSTED_DATA}). The gate's answer and the hand-off to the outbox are one step
 * ({@link DeviceGate#fenced}), so no verdict falls between them.
 *
 * <p>A relay (an aggregating gateway) may hand in a message of a device bound to it
 * ({@link #acceptRelayed}): the message is the child's in every respect (its topic, position,
 * registration, attestation), it carries {@code relay_id}, and it is at most as trusted as the relay.
 */
public final class Intake {
    private final Outbox outbox;
    private final BiConsumer<String, ObjectNode> commandAnswers;
    private final DeviceGate gate;
    private final RejectionReporter rejections;
    private final GatewayConfig.Identity identity;
    private final int maxPayloadBytes;
    private final RateLimiter rateLimiter;
    private final Map<Channel, Counter> accepted = new EnumMap<>(Channel.class);
    private final Counter unsequenced;
    private final Map<Trust, Counter> held = new EnumMap<>(Trust.class);
    private final int maxHeldPerDevice;
    private final Counter heldPending;
    private final Counter holdOverflow;
    private final DeviceWatch watch;
    private final Predicate<String> revoked;

    /**
     * @param commandAnswers told of each device answer to a SOC command once it is archived
     */
    public Intake(
            Outbox outbox,
            DeviceGate gate,
            RejectionReporter rejections,
            GatewayConfig.Identity identity,
            GatewayConfig.Intake config,
            int maxHeldPerDevice,
            BiConsumer<String, ObjectNode> commandAnswers,
            MeterRegistry registry) {
        this(
                outbox,
                gate,
                rejections,
                identity,
                config,
                maxHeldPerDevice,
                commandAnswers,
                registry,
                deviceId -> false,
                DeviceWatch.NONE);
    }

    /**
     * @param revoked whether a device is on the revoked-device list: its own sessions are closed by
     *     the listeners, but a relay could still speak for it, so a relayed message of it is refused here
     * @param watch told each device's battery reading, and what a traced device sent and what was decided
     */
    public Intake(
            Outbox outbox,
            DeviceGate gate,
            RejectionReporter rejections,
            GatewayConfig.Identity identity,
            GatewayConfig.Intake config,
            int maxHeldPerDevice,
            BiConsumer<String, ObjectNode> commandAnswers,
            MeterRegistry registry,
            Predicate<String> revoked,
            DeviceWatch watch) {
        this.watch = watch;
        this.revoked = revoked;
        this.commandAnswers = commandAnswers;
        this.outbox = outbox;
        this.gate = gate;
        this.rejections = rejections;
        this.identity = identity;
        this.maxPayloadBytes = config.maxPayloadBytes();
        this.rateLimiter = new RateLimiter(config.maxRatePerDevice(), config.maxBurstPerDevice(), System::nanoTime);
        for (Channel c : Channel.values()) {
            accepted.put(
                    c,
                    Counter.builder("aurora_intake_accepted")
                            .description("device messages handed to the outbox")
                            .tag("channel", c.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        this.maxHeldPerDevice = maxHeldPerDevice;
        this.heldPending = Counter.builder("aurora_intake_held_pending")
                .description("device messages held until their device's attestation verdict")
                .register(registry);
        this.holdOverflow = Counter.builder("aurora_intake_hold_overflow")
                .description(
                        "messages of a device already holding attest.hold_max_per_device events, kept as UNTRUSTED_DATA instead")
                .register(registry);
        this.unsequenced = Counter.builder("aurora_intake_unsequenced")
                .description("messages without boot/seq, accepted at-most-once")
                .register(registry);
        for (Trust t : Trust.values()) {
            if (!t.forwardable()) {
                held.put(
                        t,
                        Counter.builder("aurora_intake_untrusted_held")
                                .description("device messages kept but not forwarded as trusted")
                                .tag("trust", t.wireName())
                                .register(registry));
            }
        }
    }

    /** Device messages handed to the outbox since start, all channels (the counters {@code aurora_intake_accepted}). */
    public long acceptedTotal() {
        return (long) accepted.values().stream().mapToDouble(Counter::count).sum();
    }

    /**
     * @param clientId the authenticated client (= device id)
     * @param payload  the raw bytes as published
     */
    public IntakeResult accept(String clientId, String topic, byte[] payload, Instant receivedAt) {
        return accept(clientId, topic, payload, receivedAt, StoreReceipt.NONE);
    }

    /**
     * As {@link #accept(String, String, byte[], Instant)}; when the result is {@code Accepted},
     * {@code receipt} is told once whether the outbox stored the message (never told otherwise).
     */
    public IntakeResult accept(
            String clientId, String topic, byte[] payload, Instant receivedAt, StoreReceipt receipt) {
        gate.heard(clientId, receivedAt);
        IntakeResult result = decide(clientId, topic, payload, receivedAt, receipt);
        // Rejections reach the trace through the rejection reporter (with their detail); here only what was taken in.
        if (result instanceof IntakeResult.Accepted accepted && watch.tracing(clientId)) {
            watch.traced(
                    clientId,
                    TraceEvent.message(
                            receivedAt,
                            topic,
                            payload,
                            accepted.held() ? "held" : "accepted",
                            "trust=" + accepted.trust().wireName()));
        }
        return result;
    }

    /**
     * A message that relay {@code relayId} (authenticated) carried for device {@code childId}: on
     * MQTT a relay's PUBLISH on the child's topic, on MQTT-SN a forwarder-encapsulated packet. Refused
     * with {@link Rejection#RELAY_NOT_BOUND} (reported against the relay, nothing stored) unless the
     * child is bound to the relay now; otherwise as {@link #accept(String, String, byte[], Instant,
     * StoreReceipt)} for the child, with {@code relay_id} on the stored event and the relay's trust
     * bounding the child's ({@link DeviceGate#admitRelayed}).
     *
     * @param topic a device topic of {@code childId} ({@link DeviceTopic#parse})
     */
    public IntakeResult acceptRelayed(
            String relayId, String childId, String topic, byte[] payload, Instant receivedAt, StoreReceipt receipt) {
        gate.heard(relayId, receivedAt);
        if (!gate.relays().isBound(relayId, childId)) {
            return reject(Rejection.RELAY_NOT_BOUND, relayId, "child=" + Printable.of(childId));
        }
        if (revoked.test(childId)) {
            return reject(Rejection.CERT_REVOKED, childId, "relayed by " + relayId);
        }
        gate.heard(childId, receivedAt);
        IntakeResult result = decide(childId, relayId, topic, payload, receivedAt, receipt);
        if (result instanceof IntakeResult.Accepted accepted && watch.tracing(childId)) {
            watch.traced(
                    childId,
                    TraceEvent.message(
                            receivedAt,
                            topic,
                            payload,
                            accepted.held() ? "held" : "accepted",
                            "trust=" + accepted.trust().wireName() + " relay=" + relayId));
        }
        return result;
    }

    /** The relay bindings this intake enforces (the same the broker's topic policy asks). */
    public RelayBindings relays() {
        return gate.relays();
    }

    private IntakeResult decide(
            String clientId, String topic, byte[] payload, Instant receivedAt, StoreReceipt receipt) {
        return decide(clientId, null, topic, payload, receivedAt, receipt);
    }

    /** @param relayId the relay that carried it, or null when {@code clientId} sent it itself */
    private IntakeResult decide(
            String clientId,
            @Nullable String relayId,
            String topic,
            byte[] payload,
            Instant receivedAt,
            StoreReceipt receipt) {
        DeviceTopic parsed = DeviceTopic.parse(topic).orElse(null);
        if (parsed == null) {
            return reject(
                    Rejection.TOPIC_UNKNOWN, relayId == null ? clientId : relayId, "topic=" + Printable.of(topic));
        }
        if (!parsed.deviceId().equals(clientId)) {
            return reject(
                    Rejection.TOPIC_NOT_OWNED, relayId == null ? clientId : relayId, "topic=" + Printable.of(topic));
        }
        if (!rateLimiter.tryAcquire(clientId)) {
            return reject(Rejection.RATE_LIMITED, clientId, "topic=" + Printable.of(topic));
        }
        if (payload.length > maxPayloadBytes) {
            return reject(Rejection.PAYLOAD_TOO_LARGE, clientId, "bytes=" + payload.length + " max=" + maxPayloadBytes);
        }
        DeviceMessage.Parsed outcome = DeviceMessage.parse(parsed, payload);
        if (outcome instanceof DeviceMessage.Bad bad) {
            return reject(bad.rejection(), clientId, bad.detail());
        }
        DeviceMessage message = ((DeviceMessage.Ok) outcome).message();
        return gate.fenced(
                clientId, () -> admitAndQueue(clientId, relayId, parsed, message, payload, receivedAt, receipt));
    }

    private IntakeResult admitAndQueue(
            String clientId,
            @Nullable String relayId,
            DeviceTopic parsed,
            DeviceMessage message,
            byte[] payload,
            Instant receivedAt,
            StoreReceipt receipt) {
        DeviceGate.Admission admission =
                relayId == null ? gate.admit(message, receivedAt) : gate.admitRelayed(message, relayId, receivedAt);
        if (admission instanceof DeviceGate.Refused refused) {
            return reject(refused.rejection(), clientId, refused.detail());
        }
        DeviceGate.Admitted admitted = (DeviceGate.Admitted) admission;
        if (relayId != null
                && !admitted.held()
                && admitted.trust() == Trust.TRUSTED
                && message.channel() != Channel.ATTESTATION
                && outbox.heldBy(clientId) > 0
                && !outbox.releaseQueued(clientId)) {
            // The relay's verdict that releases this child's held data may not be queued yet (it is decided under the
            // relay's fence, then the child's): data behind held data waits with it, so order is kept. Once the release
            // is queued, data offered now lands behind it and must not be held: nothing would release it.
            admitted = new DeviceGate.Admitted(Trust.PENDING, true);
        }
        Trust trust = admitted.trust();
        if (message.channel() == Channel.ATTESTATION) {
            return acceptAnswer(message, relayId, payload, receivedAt, trust, receipt);
        }
        DevicePosition position = message.position();
        if (message.claimedId() != null && !clientId.equals(message.claimedId())) {
            if (position != null) {
                // Consumed so the watermark moves on; a spoofed message must not stall the honest stream.
                outbox.offer(PendingEvent.consumedOnly(clientId, position, receivedAt));
            }
            return reject(Rejection.DEVICE_ID_MISMATCH, clientId, "claimed=" + Printable.of(message.claimedId()));
        }
        Severity severity = message.severity();
        NormalizedEvent event = NormalizedEvent.fromDevice(
                        clientId,
                        parsed.category(),
                        severity,
                        parsed.messageType(),
                        identity.gatewayId(),
                        identity.siteId(),
                        receivedAt)
                .title(message.title())
                .description(message.fields().path("description").asText(""))
                .trust(trust.wireName())
                .relay(relayId)
                .payload(message.fields());
        if (!outbox.admits(parsed.channel())) {
            return reject(Rejection.OUTBOX_FULL, clientId, "channel=" + parsed.channel());
        }
        Channel storedAs = trust.forwardable() ? parsed.channel() : Channel.HELD;
        if (storedAs != Channel.TELEMETRY && !outbox.withinDeviceQuota(clientId)) {
            return reject(Rejection.DEVICE_QUOTA_EXCEEDED, clientId, "channel=" + parsed.channel());
        }
        PendingEvent.EventBody body =
                position == null ? event::render : precomputed(event, position.messageId(identity.siteId(), clientId));
        int digest = PendingEvent.digestOf(payload);
        // Held data keeps its device position, so acknowledgement and duplicate detection work as for trusted data.
        // A device's answer to a SOC command is archived as an audit record, never held for a verdict.
        boolean answer = parsed.isCommandResult() && trust.forwardable();
        boolean holding = !answer && admitted.held() && outbox.reserveHeld(clientId, maxHeldPerDevice);
        boolean overflow = !answer && admitted.held() && !holding;
        PendingEvent pending;
        if (answer) {
            pending = new PendingEvent(
                    clientId,
                    Channel.AUDIT,
                    severity,
                    position,
                    receivedAt,
                    AuditCode.COMMAND_RESULT.code(),
                    body,
                    digest);
        } else if (holding) {
            pending = PendingEvent.held(clientId, parsed.channel(), severity, position, receivedAt, body, digest);
        } else if (trust.forwardable() && !overflow) {
            pending = new PendingEvent(clientId, parsed.channel(), severity, position, receivedAt, null, body, digest);
        } else {
            pending = new PendingEvent(
                    clientId,
                    Channel.HELD,
                    severity,
                    position,
                    receivedAt,
                    AuditCode.UNTRUSTED_DATA.code(),
                    body,
                    digest);
        }
        if (!outbox.offer(pending.withReceipt(receipt))) {
            if (holding) {
                outbox.unreserveHeld(clientId);
            }
            return reject(Rejection.OVERLOADED, clientId, "channel=" + parsed.channel());
        }
        Objects.requireNonNull(accepted.get(parsed.channel())).increment();
        if (parsed.isCommandResult()) {
            // Applied whatever the trust: an isolated or quarantined device must still be able to confirm it.
            commandAnswers.accept(clientId, message.fields());
        }
        if (holding) {
            heldPending.increment();
        } else if (overflow) {
            holdOverflow.increment();
        } else if (!trust.forwardable()) {
            Objects.requireNonNull(held.get(trust)).increment();
        }
        if (position == null) {
            unsequenced.increment();
        }
        JsonNode battery = message.fields().get("battery_mv");
        if (battery != null
                && battery.isIntegralNumber()
                && battery.canConvertToInt()
                && battery.intValue() >= 0
                && battery.intValue() <= 100_000) {
            watch.battery(clientId, battery.intValue(), receivedAt);
        }
        return new IntakeResult.Accepted(
                clientId, position != null, trust, holding || overflow || (!answer && !trust.forwardable()));
    }

    /**
     * An attestation answer: archived in the outbox (not forwarded) and handed to attestation. It
     * carries no seq (its request id and nonce are its replay protection), so it has no position.
     */
    private IntakeResult acceptAnswer(
            DeviceMessage message,
            @Nullable String relayId,
            byte[] payload,
            Instant receivedAt,
            Trust trust,
            StoreReceipt receipt) {
        String deviceId = message.deviceId();
        if (!outbox.withinDeviceQuota(deviceId)) {
            return reject(Rejection.DEVICE_QUOTA_EXCEEDED, deviceId, "channel=" + message.channel());
        }
        NormalizedEvent event = NormalizedEvent.fromDevice(
                        deviceId,
                        Severity.INFO,
                        message.topic().messageType(),
                        identity.gatewayId(),
                        identity.siteId(),
                        receivedAt)
                .title(message.title())
                .trust(trust.wireName())
                .relay(relayId)
                .payload(message.fields());
        if (!outbox.offer(new PendingEvent(
                        deviceId,
                        Channel.ATTESTATION,
                        Severity.INFO,
                        null,
                        receivedAt,
                        null,
                        event::render,
                        PendingEvent.digestOf(payload))
                .withReceipt(receipt))) {
            return reject(Rejection.OVERLOADED, deviceId, "channel=" + message.channel());
        }
        gate.evidence(deviceId, payload, receivedAt);
        Objects.requireNonNull(accepted.get(Channel.ATTESTATION)).increment();
        return new IntakeResult.Accepted(deviceId, false, trust, false);
    }

    private IntakeResult reject(Rejection rejection, String clientId, String detail) {
        rejections.reject(rejection, clientId, detail);
        return IntakeResult.rejected(rejection);
    }

    /**
     * Renders on the intake thread for the id the message will almost always get, so the writer
     * thread only writes; the outbox settles on another id only for a rewound seq (a new epoch).
     */
    private static PendingEvent.EventBody precomputed(NormalizedEvent event, String expectedId) {
        byte[] bytes = event.render(expectedId);
        return id -> id.equals(expectedId) ? bytes : event.render(id);
    }
}
