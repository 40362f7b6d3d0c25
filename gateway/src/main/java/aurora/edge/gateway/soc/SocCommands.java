package aurora.edge.gateway.soc;

import aurora.edge.attestation.Result;
import aurora.edge.attestation.keys.VerifyingKey;
import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.audit.AuditLog;
import aurora.edge.gateway.command.CommandSender;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.device.Printable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands from the SOC to devices (AuroraSOC's SOAR and agents acting on a device). Read from the
 * site bus ({@code aurora:cps:commands}, a consumer group per gateway), each signed by the pinned
 * SOC command key, checked, stored in {@code commands.db}, delivered when the (sleepy) device is
 * next listening, resent until it answers on {@code aurora/sensors/{id}/command_result} or the
 * command expires; every outcome is published on {@code aurora:cps:command_results} and audited.
 *
 * <p>Threads: one reads the stream (blocking reads on its own connection); one, the command
 * thread, owns the store and does everything else. Nothing here blocks intake or the broker.
 */
public final class SocCommands implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SocCommands.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final GatewayConfig.Identity identity;
    private final CommandBook book;
    private final CommandStore store;
    /** Null while SOC commands are off. */
    private final @Nullable SiteBus bus;

    private final CommandSender devices;
    private final BiPredicate<String, String> reaches;
    private final Reattestation reattest;
    private final IsolationRequests isolations;
    private final GatewayConfig.Commands settings;
    private final AuditLog audit;
    private final Clock clock;
    private final ScheduledExecutorService commandThread;
    private final Thread reader;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private volatile boolean running = true;

    /**
     * @param reaches  whether a device is listening on a topic now (connected and subscribed)
     * @param reattest carries out the {@code reattest} action
     */
    public SocCommands(
            GatewayConfig.Commands settings,
            GatewayConfig.Identity identity,
            GatewayConfig.Redis redis,
            Path dataDir,
            Predicate<String> registered,
            CommandSender devices,
            BiPredicate<String, String> reaches,
            Reattestation reattest,
            IsolationRequests isolations,
            AuditLog audit,
            MeterRegistry meters,
            Clock clock) {
        this.isolations = isolations;
        this.settings = settings;
        this.identity = identity;
        this.devices = devices;
        this.reaches = reaches;
        this.reattest = reattest;
        this.audit = audit;
        this.clock = clock;
        this.meters = meters;
        this.store = CommandStore.open(dataDir.resolve("commands.db"));
        this.book = new CommandBook(
                store, settings.enabled() ? socKey(settings.socKey()) : null, identity, settings, registered);
        // Without the SOC's key there is no command stream to read, nor a results stream to write.
        this.bus = settings.enabled() ? new SiteBus(redis, settings, identity.gatewayId()) : null;
        this.commandThread = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "soc-commands"));
        this.reader = new Thread(this::readLoop, "soc-command-reader");
        reader.setDaemon(true);
        io.micrometer.core.instrument.Gauge.builder("aurora_soc_commands_stored", store, CommandStore::count)
                .description("SOC commands in commands.db (open, and finished ones kept to recognise replays)")
                .register(meters);
    }

    public void start() {
        commandThread.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        if (settings.enabled()) {
            reader.start();
            log.info("soc commands listening stream={} group={}", settings.stream(), bus().group());
        } else {
            log.info("soc commands off: commands.soc_key is not set");
        }
    }

    /** The most commands one read returns: the console pages through a device's page, never its whole history. */
    public static final int MAX_LIST = 200;

    /**
     * A device's commands for the operator (open ones first, then newest), at most {@code limit}
     * ({@code 1..}{@link #MAX_LIST}). Read on the command thread, which owns the store, waiting at most
     * {@code wait}.
     *
     * @throws TimeoutException when the command thread does not answer in time
     */
    public DeviceCommand.Page commandsOf(String deviceId, int limit, Duration wait)
            throws InterruptedException, TimeoutException {
        if (limit < 1 || limit > MAX_LIST) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIST + ", found " + limit);
        }
        try {
            return commandThread
                    .submit(() -> store.ofDevice(deviceId, limit))
                    .get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading commands.db failed", e.getCause());
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new TimeoutException("the command thread has stopped");
        }
    }

    /** The device subscribed to something: deliver what waits for it now, not at the next tick. */
    public void deviceListening(String deviceId) {
        submit(() -> dispatch(deviceId));
    }

    /**
     * A device's answer on {@code aurora/sensors/{id}/command_result}:
     * {@code {"command_id","status":"done|failed|rejected","detail"}}.
     */
    public void deviceAnswered(String deviceId, ObjectNode answer) {
        String commandId = answer.path("command_id").asText("");
        Optional<CommandState> outcome = switch (answer.path("status").asText("")) {
            case "done", "ok" -> Optional.of(CommandState.DONE);
            case "failed", "error" -> Optional.of(CommandState.FAILED);
            case "rejected", "refused" -> Optional.of(CommandState.REJECTED);
            default -> Optional.empty();
        };
        String detail = Printable.of(answer.path("detail").asText(""));
        submit(() -> {
            if (outcome.isEmpty()) {
                log.warn(
                        "command answer without a known status device_id={} command_id={}",
                        deviceId,
                        Printable.of(commandId));
                return;
            }
            book.answer(deviceId, commandId, outcome.get(), detail, clock.instant())
                    .ifPresentOrElse(
                            row -> finished(row, outcome.get(), detail),
                            () -> log.info(
                                    "command answer ignored (not open, or not this device's) device_id={} command_id={}",
                                    deviceId,
                                    Printable.of(commandId)));
        });
    }

    private void readLoop() {
        Duration backoff = TICK;
        while (running) {
            try {
                for (SiteBus.Entry entry : bus().read()) {
                    commandThread.submit(() -> arrive(entry)).get();
                    bus().ack(entry.id());
                }
                backoff = TICK;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | ExecutionException e) {
                if (!running) {
                    return;
                }
                log.warn("soc command stream unavailable retry_in={} error={}", backoff, e.toString());
                bus().reset();
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void arrive(SiteBus.Entry entry) {
        Instant now = clock.instant();
        CommandBook.Arrival arrival = book.receive(entry.data(), entry.signature(), now);
        if (arrival instanceof CommandBook.Refused refused) {
            count(refused.refusal().name());
            log.warn(
                    "soc command refused code={} command_id={} device_id={} entry={} detail={}",
                    refused.refusal(),
                    Printable.of(refused.commandId()),
                    Printable.of(refused.deviceId()),
                    entry.id(),
                    refused.detail());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("command_id", String.valueOf(refused.commandId()));
            details.put("entry_id", entry.id());
            details.put("detail", refused.detail());
            audit.record(
                    refused.refusal(),
                    refused.deviceId(),
                    "SOC command refused: " + refused.refusal().description(),
                    details);
            try {
                // Best effort: the refusal is audited durably anyway, and the entry must not be re-read for it.
                publish(
                        entry.id(),
                        refused.commandId(),
                        refused.deviceId(),
                        null,
                        CommandState.REFUSED,
                        refused.refusal().name() + ": " + refused.detail(),
                        0);
            } catch (RuntimeException e) {
                log.warn(
                        "refusal not published command_id={} error={}",
                        Printable.of(refused.commandId()),
                        e.toString());
            }
            return;
        }
        SocCommand command = ((CommandBook.Accepted) arrival).command();
        count("accepted");
        log.info(
                "soc command accepted command_id={} device_id={} action={} expires_at={} requested_by={}",
                command.commandId(),
                command.deviceId(),
                command.action().wireName(),
                command.expiresAt(),
                command.requestedBy());
        audit.record(
                AuditCode.COMMAND_ACCEPTED,
                command.deviceId(),
                "SOC command accepted: " + command.action().wireName(),
                Map.of(
                        "command_id",
                        command.commandId(),
                        "action",
                        command.action().wireName(),
                        "requested_by",
                        command.requestedBy()));
        dispatch(command.deviceId());
    }

    private void tick() {
        try {
            Instant now = clock.instant();
            for (IsolationRequests.Request r : isolations.drain()) {
                isolate(r, now);
            }
            for (CommandStore.Row row : book.expire(now)) {
                finished(row, CommandState.EXPIRED, "no answer after " + row.attempts() + " sends");
            }
            dispatch(null);
            publishPending();
            book.prune(now);
        } catch (RuntimeException e) {
            log.warn("soc command tick failed error={}", e.toString());
        }
    }

    /** An isolation the gateway asks for itself after a quarantine ({@code attest.isolate_on_quarantine}). */
    private void isolate(IsolationRequests.Request request, Instant now) {
        book.local(request.deviceId(), CommandAction.ISOLATE, "gateway:quarantine:" + request.reason(), now)
                .ifPresentOrElse(
                        row -> {
                            count("accepted");
                            log.warn(
                                    "isolating quarantined device device_id={} command_id={} reason={}",
                                    row.deviceId(),
                                    row.commandId(),
                                    request.reason());
                            audit.record(
                                    AuditCode.COMMAND_ACCEPTED,
                                    row.deviceId(),
                                    "isolate sent after quarantine (" + request.reason() + ")",
                                    Map.of(
                                            "command_id",
                                            row.commandId(),
                                            "action",
                                            row.action(),
                                            "requested_by",
                                            row.requestedBy()));
                            dispatch(row.deviceId());
                        },
                        () -> log.warn(
                                "isolation not queued, device has too many open commands device_id={}",
                                request.deviceId()));
    }

    /** Sends what is due to devices that are listening (all devices when {@code deviceId} is null). */
    private void dispatch(@Nullable String deviceId) {
        Instant now = clock.instant();
        for (CommandStore.Row row :
                book.takeDue(deviceId, now, r -> r.topic().isEmpty() || reaches.test(r.deviceId(), r.topic()))) {
            if (row.topic().isEmpty()) {
                reattest.challenge(row.deviceId(), "soc:" + row.requestedBy())
                        .whenComplete((whyNot, error) -> submit(() -> {
                            CommandState outcome =
                                    error == null && whyNot.isEmpty() ? CommandState.DONE : CommandState.FAILED;
                            String detail = error != null ? error.toString() : whyNot.orElse("challenge sent");
                            book.answer(row.deviceId(), row.commandId(), outcome, detail, clock.instant())
                                    .ifPresent(r -> finished(r, outcome, detail));
                        }));
            } else if (!devices.publish(row.topic(), row.body())) {
                book.sendFailed(row.commandId(), now);
            } else {
                log.info(
                        "soc command sent command_id={} device_id={} attempt={}",
                        row.commandId(),
                        row.deviceId(),
                        row.attempts() + 1);
            }
        }
    }

    private void finished(CommandStore.Row row, CommandState outcome, String detail) {
        finishedLogged(row, outcome, detail);
        publishPending();
    }

    private void finishedLogged(CommandStore.Row row, CommandState outcome, String detail) {
        count(outcome.wireName());
        log.info(
                "soc command finished command_id={} device_id={} outcome={} detail={}",
                row.commandId(),
                row.deviceId(),
                outcome.wireName(),
                detail);
        audit.record(
                auditCode(outcome),
                row.deviceId(),
                "SOC command " + row.action() + ": " + outcome.wireName(),
                Map.of(
                        "command_id",
                        row.commandId(),
                        "action",
                        row.action(),
                        "detail",
                        detail,
                        "attempts",
                        row.attempts()));
    }

    private static AuditCode auditCode(CommandState outcome) {
        return switch (outcome) {
            case DONE -> AuditCode.COMMAND_DONE;
            case FAILED -> AuditCode.COMMAND_FAILED;
            case REJECTED -> AuditCode.COMMAND_REJECTED;
            case EXPIRED -> AuditCode.COMMAND_EXPIRED;
            case QUEUED, SENT, REFUSED ->
                throw new IllegalArgumentException("not an outcome of a delivered command: " + outcome);
        };
    }

    /** Publishes stored outcomes not yet on the results stream; what fails stays pending for the next tick. */
    private void publishPending() {
        for (CommandStore.Row row : book.unpublishedResults()) {
            if (bus == null) {
                book.published(row.commandId()); // audited already; with SOC commands off there is no results stream
                continue;
            }
            try {
                publish(
                        row.commandId(),
                        row.commandId(),
                        row.deviceId(),
                        row.action(),
                        row.state(),
                        row.detail(),
                        row.attempts());
                book.published(row.commandId());
            } catch (RuntimeException e) {
                log.warn("command result not published yet command_id={} error={}", row.commandId(), e.toString());
                return;
            }
        }
    }

    private void publish(
            String resultKey,
            @Nullable String commandId,
            @Nullable String deviceId,
            @Nullable String action,
            CommandState state,
            @Nullable String detail,
            int attempts) {
        ObjectNode data = JSON.createObjectNode()
                .put("command_id", commandId)
                .put("device_id", deviceId)
                .put("site_id", identity.siteId())
                .put("gateway_id", identity.gatewayId())
                .put("action", action)
                .put("status", state.wireName())
                .put("detail", detail)
                .put("attempts", attempts)
                .put("timestamp", clock.instant().toString());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("timestamp", clock.instant().toString());
        fields.put("data", data.toString());
        fields.put("status", state.wireName());
        fields.put("source", "gateway");
        fields.put("category", "cps");
        bus().publishResult(identity.gatewayId() + ":" + resultKey + ":" + state.wireName(), fields);
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(
                        outcome,
                        o -> Counter.builder("aurora_soc_commands")
                                .description("SOC commands by outcome or refusal code")
                                .tag("outcome", o)
                                .register(meters))
                .increment();
    }

    private void submit(Runnable task) {
        if (running) {
            commandThread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("soc command task failed error={}", e.toString());
                }
            });
        }
    }

    /** Only where SOC commands are on (the reader, the results): then there is a bus. */
    private SiteBus bus() {
        return Objects.requireNonNull(bus, "SOC commands are off: no site bus");
    }

    private static VerifyingKey socKey(Path file) {
        try {
            Result<VerifyingKey> key = VerifyingKey.fromPem(Files.readString(file, StandardCharsets.US_ASCII));
            if (key instanceof Result.Failed<VerifyingKey> failed) {
                throw new IllegalStateException("commands.soc_key: " + file + " is not a usable public key: " + failed);
            }
            return key.orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException("commands.soc_key: cannot read " + file, e);
        }
    }

    @Override
    public void close() {
        running = false;
        reader.interrupt();
        commandThread.shutdown();
        try {
            reader.join(3000);
            commandThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (bus != null) {
            bus.close();
        }
        store.close();
    }
}
