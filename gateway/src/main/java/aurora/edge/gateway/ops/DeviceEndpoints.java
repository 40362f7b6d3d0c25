package aurora.edge.gateway.ops;

import aurora.edge.attestation.DeviceId;
import aurora.edge.gateway.attest.AttestationService;
import aurora.edge.gateway.attest.BindingOutcome;
import aurora.edge.gateway.attest.OperatorResult;
import aurora.edge.gateway.audit.AuditCode;
import aurora.edge.gateway.audit.AuditLog;
import aurora.edge.gateway.console.Console;
import aurora.edge.gateway.registry.Device;
import aurora.edge.gateway.registry.DeviceRegistry;
import aurora.edge.gateway.registry.DeviceView;
import aurora.edge.gateway.registry.FleetQuery;
import aurora.edge.gateway.registry.OpenChallenge;
import aurora.edge.gateway.registry.VerdictRecord;
import aurora.edge.gateway.soc.DeviceCommand;
import aurora.edge.gateway.soc.SocCommands;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /devices} (every device; with any of {@code ?state=&health=&q=&page=&size=} one
 * {@link FleetPage}, quarantined first: the console's fleet page), {@code GET /devices/{id}}
 * (read-only JSON, no nonces; with the latest battery reading), the live trace
 * {@code GET|POST /devices/{id}/trace} (POST starts it for ten minutes, as an operator command, and is audited),
 * the device's SOC commands {@code GET /devices/{id}/commands?limit=} (open first, then newest; at most
 * {@link SocCommands#MAX_LIST}, never their bodies), the operator
 * commands {@code POST /devices/{id}/approve|quarantine|release|attest}, and the relay bindings
 * {@code POST /devices/{child}/bind?relay={relay}} and {@code POST /devices/{child}/unbind}. Every request must name
 * this box in {@code Host} (421 otherwise: DNS rebinding); a POST must also pass the
 * {@link OperatorGuard} (loopback, the ops token, the operator's name, no body), and the operator's
 * name is written into the audit event of what it changed.
 */
final class DeviceEndpoints {
    private static final Logger log = LoggerFactory.getLogger(DeviceEndpoints.class);
    private static final java.time.Duration COMMAND_READ_WAIT = java.time.Duration.ofSeconds(5);
    private static final Set<String> ACTIONS = Set.of("approve", "quarantine", "release", "attest", "bind", "unbind");

    private final DeviceRegistry registry;
    private final AttestationService attestation;
    private final OperatorGuard guard;
    private final Console console;
    private final SocCommands commands;
    private final AuditLog audit;

    DeviceEndpoints(
            DeviceRegistry registry,
            AttestationService attestation,
            OperatorGuard guard,
            Console console,
            SocCommands commands,
            AuditLog audit) {
        this.console = console;
        this.commands = commands;
        this.audit = audit;
        this.registry = registry;
        this.attestation = attestation;
        this.guard = guard;
    }

    void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String[] parts = ex.getRequestURI().getPath().split("/", -1);
            // "", "devices", [id], [action]
            String method = ex.getRequestMethod();
            if (!"devices".equals(parts[1])) {
                send(ex, 404, Map.of("error", "no such path"));
                return;
            }
            if (!guard.admitRead(ex)) {
                OpsResponses.refuse(ex, OperatorGuard.Refusal.WRONG_HOST);
                return;
            }
            if (parts.length == 2 || (parts.length == 3 && parts[2].isEmpty())) {
                if (!isRead(method)) {
                    send(ex, 405, Map.of("error", "GET only"));
                    return;
                }
                String query = ex.getRequestURI().getRawQuery();
                if (query == null) {
                    send(ex, 200, registry.all().stream().map(registry::view).toList());
                    return;
                }
                FleetQuery fleetQuery;
                try {
                    fleetQuery = FleetQuery.of(QueryString.parse(query));
                } catch (IllegalArgumentException e) {
                    send(ex, 400, Map.of("error", e.getMessage()));
                    return;
                }
                send(ex, 200, fleetQuery.run(registry.all(), this::view));
                return;
            }
            String id = parts[2];
            if (!DeviceId.isValid(id) || parts.length > 4) {
                send(ex, 404, Map.of("error", "no such path"));
                return;
            }
            if (parts.length == 3) {
                if (!isRead(method)) {
                    send(ex, 405, Map.of("error", "GET only"));
                    return;
                }
                var device = registry.find(id);
                if (device.isEmpty()) {
                    send(ex, 404, Map.of("error", "unknown device " + id));
                    return;
                }
                send(ex, 200, detail(device.get()));
                return;
            }
            if (parts[3].equals("trace")) {
                trace(ex, id);
                return;
            }
            if (parts[3].equals("commands")) {
                commands(ex, id);
                return;
            }
            operator(ex, id, parts[3]);
        } catch (RuntimeException e) {
            log.warn(
                    "device request failed path={} error={}", ex.getRequestURI().getPath(), e.toString());
        }
    }

    private Map<String, Object> view(Device d) {
        Map<String, Object> m = registry.view(d);
        console.addLive(m, d.deviceId());
        return m;
    }

    /** GET: the device's live trace; POST: (re)start it for ten minutes, an operator command like the others. */
    private void trace(HttpExchange ex, String id) throws IOException {
        if (registry.find(id).isEmpty()) {
            send(ex, 404, Map.of("error", "unknown device " + id));
            return;
        }
        if (isRead(ex.getRequestMethod())) {
            send(ex, 200, console.trace(id));
            return;
        }
        if (!"POST".equals(ex.getRequestMethod())) {
            send(ex, 405, Map.of("error", "GET or POST only"));
            return;
        }
        OperatorGuard.Decision decision = guard.check(ex);
        if (decision instanceof OperatorGuard.Decision.Refused refused) {
            OpsResponses.refuse(ex, refused.refusal());
            return;
        }
        String operator = ((OperatorGuard.Decision.Admitted) decision).operator();
        Console.TraceStart start = console.startTrace(id, operator);
        if (start instanceof Console.TraceStart.Refused full) {
            send(ex, 429, Map.of("error", full.message()));
            return;
        }
        Map<String, Object> trace = ((Console.TraceStart.Started) start).trace();
        log.info("device trace started device_id={} operator={}", id, operator);
        // What a trace records (payloads included) is read by whoever looks at the console: who looked, and for how
        // long, belongs in the audit trail like any other operator command.
        audit.record(
                AuditCode.DEVICE_TRACE_STARTED,
                id,
                "live trace started by " + operator,
                Map.of(
                        "operator",
                        operator,
                        "duration_s",
                        Console.TRACE_DURATION.toSeconds(),
                        "until",
                        String.valueOf(trace.get("until"))));
        send(ex, 200, trace);
    }

    /** GET: the device's SOC commands, open first then newest, bounded by {@code ?limit=} (default 50). */
    private void commands(HttpExchange ex, String id) throws IOException {
        if (!isRead(ex.getRequestMethod())) {
            send(ex, 405, Map.of("error", "GET only"));
            return;
        }
        if (registry.find(id).isEmpty()) {
            send(ex, 404, Map.of("error", "unknown device " + id));
            return;
        }
        int limit;
        try {
            String raw = QueryString.parse(ex.getRequestURI().getRawQuery()).getOrDefault("limit", "50");
            limit = Integer.parseInt(raw);
            if (limit < 1 || limit > SocCommands.MAX_LIST) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            send(ex, 400, Map.of("error", "limit must be a whole number 1.." + SocCommands.MAX_LIST));
            return;
        }
        DeviceCommand.Page page;
        try {
            page = commands.commandsOf(id, limit, COMMAND_READ_WAIT);
        } catch (TimeoutException e) {
            send(ex, 503, Map.of("error", "the command thread did not answer"));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(ex, 503, Map.of("error", "interrupted"));
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device_id", id);
        m.put("total", page.total());
        m.put("open", page.open());
        m.put("limit", limit);
        m.put("commands", page.commands().stream().map(DeviceEndpoints::command).toList());
        send(ex, 200, m);
    }

    private static Map<String, Object> command(DeviceCommand c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command_id", c.commandId());
        m.put("action", c.action());
        m.put("state", c.state().wireName());
        m.put("attempts", c.attempts());
        m.put("requested_at", DeviceView.text(c.requestedAt()));
        m.put("updated_at", DeviceView.text(c.updatedAt()));
        m.put("expires_at", DeviceView.text(c.expiresAt()));
        m.put("requested_by", c.requestedBy());
        m.put("detail", c.detail());
        return m;
    }

    private void operator(HttpExchange ex, String id, String action) throws IOException {
        if (!ACTIONS.contains(action)) {
            send(
                    ex,
                    404,
                    Map.of("error", "no such action " + action + " (approve|quarantine|release|attest|bind|unbind)"));
            return;
        }
        if (!"POST".equals(ex.getRequestMethod())) {
            send(ex, 405, Map.of("error", "POST only"));
            return;
        }
        OperatorGuard.Decision decision = guard.check(ex);
        if (decision instanceof OperatorGuard.Decision.Refused refused) {
            OpsResponses.refuse(ex, refused.refusal());
            return;
        }
        String operator = ((OperatorGuard.Decision.Admitted) decision).operator();
        if (action.equals("bind") || action.equals("unbind")) {
            binding(ex, id, action, operator);
            return;
        }
        CompletableFuture<OperatorResult> future = switch (action) {
            case "approve" -> attestation.approve(id, operator);
            case "quarantine" -> attestation.quarantine(id, operator);
            case "release" -> attestation.release(id, operator);
            default -> attestation.attest(id, operator);
        };
        OperatorResult result;
        try {
            result = future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            send(ex, 503, Map.of("error", "the attestation thread did not answer: " + e));
            return;
        }
        log.info(
                "operator command action={} device_id={} operator={} result={}",
                action,
                id,
                operator,
                result.getClass().getSimpleName());
        if (result instanceof OperatorResult.Done done) {
            send(ex, 200, outcome("done", done.message(), done.device()));
        } else if (result instanceof OperatorResult.NoChange same) {
            send(ex, 200, outcome("no_change", same.message(), same.device()));
        } else if (result instanceof OperatorResult.Refused refused) {
            send(ex, 409, outcome("refused", refused.message(), refused.device()));
        } else {
            send(ex, 404, Map.of("error", "unknown device " + id));
        }
    }

    /** {@code bind?relay=R} or {@code unbind}: the relay named in the query, as the ops writes carry no body. */
    private void binding(HttpExchange ex, String child, String action, String operator) throws IOException {
        CompletableFuture<BindingOutcome> future;
        String relay = null;
        if (action.equals("bind")) {
            String query = ex.getRequestURI().getRawQuery();
            try {
                relay = query == null ? null : QueryString.parse(query).get("relay");
            } catch (IllegalArgumentException e) {
                relay = null;
            }
            if (relay == null || !DeviceId.isValid(relay)) {
                send(ex, 400, Map.of("error", "bind needs ?relay=RELAY, a device id [A-Za-z0-9_-]{1,64}"));
                return;
            }
            future = attestation.bind(child, relay, operator);
        } else {
            future = attestation.unbind(child, operator);
        }
        BindingOutcome outcome;
        try {
            outcome = future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            send(ex, 503, Map.of("error", "the attestation thread did not answer: " + e));
            return;
        }
        log.info(
                "operator command action={} device_id={} relay_id={} operator={} result={}",
                action,
                child,
                relay,
                operator,
                outcome.kind());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", outcome.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("message", outcome.message());
        m.put("device_id", child);
        m.put("relay_id", attestation.relays().relayOf(child).orElse(null));
        send(ex, outcome.kind() == BindingOutcome.Kind.REFUSED ? 409 : 200, m);
    }

    private static boolean isRead(String method) {
        return "GET".equals(method) || "HEAD".equals(method);
    }

    private Map<String, Object> outcome(String result, String message, Device device) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", result);
        m.put("message", message);
        m.put("device", registry.view(device));
        return m;
    }

    private Map<String, Object> detail(Device d) {
        Map<String, Object> m = view(d);
        registry.openChallengeOf(d.deviceId()).ifPresent(c -> m.put("open_challenge", challenge(c)));
        attestation.relays().relayOf(d.deviceId()).ifPresent(r -> m.put("relay_id", r));
        if (attestation.relays().isRelay(d.deviceId())) {
            m.put("role", "relay");
        }
        List<Map<String, Object>> history = registry.history(d.deviceId(), 20).stream()
                .map(DeviceEndpoints::verdict)
                .toList();
        m.put("history", history);
        return m;
    }

    private static Map<String, Object> challenge(OpenChallenge c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("request_id", c.requestId());
        m.put("trigger", c.trigger());
        m.put("issued_at", DeviceView.text(c.issuedAt()));
        m.put("expires_at", DeviceView.text(c.challenge().expiresAt()));
        return m;
    }

    private static Map<String, Object> verdict(VerdictRecord v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", DeviceView.text(v.at()));
        m.put("status", v.status());
        m.put("reason", v.reason());
        m.put("detail", v.detail());
        m.put("request_id", v.requestId());
        return m;
    }

    private static void send(HttpExchange ex, int code, Object body) throws IOException {
        OpsResponses.json(ex, code, body);
    }
}
