package aurora.edge.gateway.soc;

import aurora.edge.attestation.keys.VerifyingKey;
import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.config.GatewayConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The rules for SOC commands, without threads or I/O of its own: which commands are accepted, when
 * each is (re)sent, how a device's answer or the clock ends it. Every call comes from the command
 * thread; the store is the memory, so a restart loses nothing.
 */
final class CommandBook {
    /** What became of a command entry read from the site bus. */
    sealed interface Arrival permits Accepted, Refused {}

    record Accepted(SocCommand command) implements Arrival {}

    /** @param commandId the id if the entry had a readable one, else null */
    record Refused(
            AuditCode refusal,
            @Nullable String commandId,
            @Nullable String deviceId,
            String detail) implements Arrival {}

    private final CommandStore store;
    /** Null when SOC commands are off: then only the gateway's own commands are stored. */
    private final @Nullable VerifyingKey socKey;

    private final GatewayConfig.Identity identity;
    private final GatewayConfig.Commands settings;
    private final Predicate<String> registered;

    CommandBook(
            CommandStore store,
            @Nullable VerifyingKey socKey,
            GatewayConfig.Identity identity,
            GatewayConfig.Commands settings,
            Predicate<String> registered) {
        this.store = store;
        this.socKey = socKey;
        this.identity = identity;
        this.settings = settings;
        this.registered = registered;
    }

    /** Checks a command entry; a signed one is stored (accepted ones wait for delivery, refused ones are kept so a replay is recognised). */
    Arrival receive(byte[] data, byte[] signature, Instant now) {
        SocCommand.Parsed parsed = SocCommand.parse(data);
        if (parsed instanceof SocCommand.Bad bad) {
            return new Refused(bad.refusal(), null, null, bad.detail());
        }
        SocCommand command = ((SocCommand.Ok) parsed).command();
        // The signature comes first: only a command the SOC really signed may claim an id, so a
        // forged entry cannot burn the id of a real command that arrives after it.
        if (signature == null || signature.length == 0) {
            return new Refused(
                    AuditCode.COMMAND_UNSIGNED, command.commandId(), command.deviceId(), "no signature field");
        }
        // Commands arrive only when SOC commands are on, and then the key is configured (SocCommands).
        VerifyingKey key = Objects.requireNonNull(socKey, "commands.soc_key");
        if (!key.verifies(data, signature)) {
            return new Refused(
                    AuditCode.COMMAND_SIGNATURE_INVALID,
                    command.commandId(),
                    command.deviceId(),
                    "key " + key.keyHash().hex().substring(0, 16));
        }
        if (store.known(command.commandId())) {
            return new Refused(
                    AuditCode.COMMAND_REPLAYED, command.commandId(), command.deviceId(), "command_id seen before");
        }
        Optional<Refused> refused = check(command, now);
        if (refused.isPresent()) {
            store.insert(
                    row(command, CommandState.REFUSED, refused.get().refusal().name()), now, false);
            return refused.get();
        }
        store.insert(row(command, CommandState.QUEUED, null), now, false);
        return new Accepted(command);
    }

    private Optional<Refused> check(SocCommand c, Instant now) {
        if (!c.siteId().equals(identity.siteId())) {
            return refuse(AuditCode.COMMAND_FOREIGN_SITE, c, "site_id=" + c.siteId());
        }
        if (!c.expiresAt().isAfter(now) || Duration.between(now, c.expiresAt()).compareTo(settings.maxTtl()) > 0) {
            return refuse(AuditCode.COMMAND_EXPIRED, c, "expires_at=" + c.expiresAt());
        }
        if (!registered.test(c.deviceId())) {
            return refuse(AuditCode.COMMAND_UNKNOWN_DEVICE, c, "not registered here");
        }
        if (store.openFor(c.deviceId()) >= settings.maxPendingPerDevice()) {
            return refuse(AuditCode.COMMAND_QUEUE_FULL, c, "open=" + settings.maxPendingPerDevice());
        }
        return Optional.empty();
    }

    private static Optional<Refused> refuse(AuditCode refusal, SocCommand c, String detail) {
        return Optional.of(new Refused(refusal, c.commandId(), c.deviceId(), detail));
    }

    private static CommandStore.Row row(SocCommand c, CommandState state, @Nullable String detail) {
        return new CommandStore.Row(
                c.commandId(),
                c.deviceId(),
                c.action().wireName(),
                c.action().topic(c.deviceId()),
                c.deviceMessage(),
                state,
                0,
                c.expiresAt(),
                Instant.EPOCH,
                detail,
                c.requestedBy());
    }

    /**
     * A command the gateway gives itself (an isolation after a quarantine): stored like an accepted
     * SOC command, living {@code commands.max_ttl}; empty when the device's open commands are at their bound.
     */
    Optional<CommandStore.Row> local(String deviceId, CommandAction action, String requestedBy, Instant now) {
        if (store.openFor(deviceId) >= settings.maxPendingPerDevice()) {
            return Optional.empty();
        }
        String commandId = identity.gatewayId() + ":" + action.wireName() + ":" + deviceId + ":" + now.toEpochMilli();
        SocCommand command = new SocCommand(
                commandId,
                identity.siteId(),
                identity.gatewayId(),
                deviceId,
                action,
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
                now,
                now.plus(settings.maxTtl()),
                requestedBy);
        if (store.known(commandId)) {
            return Optional.empty();
        }
        CommandStore.Row row = row(command, CommandState.QUEUED, null);
        store.insert(row, now, false);
        return Optional.of(row);
    }

    /**
     * Open commands due now that can go out ({@code deliverable}: the device is listening), for one
     * device or all; each returned command counts as sent once.
     */
    List<CommandStore.Row> takeDue(@Nullable String deviceId, Instant now, Predicate<CommandStore.Row> deliverable) {
        List<CommandStore.Row> due = store.due(deviceId, now).stream()
                .filter(r -> r.expiresAt().isAfter(now) && deliverable.test(r))
                .toList();
        for (CommandStore.Row r : due) {
            store.sent(r.commandId(), now, now.plus(settings.retryInterval()));
        }
        return due;
    }

    /** A send that did not go out (the broker refused it): try again at the next chance. */
    void sendFailed(String commandId, Instant now) {
        store.sent(commandId, now, now);
    }

    /** Ends open commands whose time is up. */
    List<CommandStore.Row> expire(Instant now) {
        List<CommandStore.Row> expired = store.expired(now);
        for (CommandStore.Row r : expired) {
            store.finish(r.commandId(), CommandState.EXPIRED, "no answer after " + r.attempts() + " sends", now);
        }
        return expired;
    }

    /**
     * The device's answer. Only the device the command was for can end it, and only while it is open;
     * anything else is ignored (and returned empty).
     */
    Optional<CommandStore.Row> answer(
            String deviceId, String commandId, CommandState outcome, String detail, Instant now) {
        Optional<CommandStore.Row> row = store.find(commandId)
                .filter(r -> r.deviceId().equals(deviceId) && r.state().open());
        row.ifPresent(r -> store.finish(commandId, outcome, detail, now));
        return row;
    }

    List<CommandStore.Row> unpublishedResults() {
        return store.unpublishedResults();
    }

    void published(String commandId) {
        store.published(commandId);
    }

    int prune(Instant now) {
        return store.prune(now);
    }
}
