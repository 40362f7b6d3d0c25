package aurora.edge.gateway.ops;

import aurora.edge.gateway.attest.IocEnforcement;
import aurora.edge.gateway.registry.FederationIoc;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /iocs} (the federation indicators kept, with their state) and
 * {@code POST /iocs/{id}/confirm}: an operator confirms an indicator that waits because it would
 * quarantine more of the fleet than {@code federation.max_fleet_share} allows. The write passes
 * the same {@link OperatorGuard} as the device commands; the operator is named in the audit event.
 */
final class IocEndpoints {
    private static final Logger log = LoggerFactory.getLogger(IocEndpoints.class);
    private static final Pattern IOC_ID = Pattern.compile("indicator--[A-Za-z0-9._-]{1,128}");

    private final IocEnforcement iocs;
    private final OperatorGuard guard;

    IocEndpoints(IocEnforcement iocs, OperatorGuard guard) {
        this.iocs = iocs;
        this.guard = guard;
    }

    void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String[] parts = ex.getRequestURI().getPath().split("/", -1);
            // "", "iocs", [id], ["confirm"]
            if (!"iocs".equals(parts[1])
                    || parts.length > 4
                    || (parts.length >= 3
                            && !parts[2].isEmpty()
                            && !IOC_ID.matcher(parts[2]).matches())) {
                OpsResponses.json(ex, 404, Map.of("error", "no such path"));
                return;
            }
            if (!guard.admitRead(ex)) {
                OpsResponses.refuse(ex, OperatorGuard.Refusal.WRONG_HOST);
                return;
            }
            if (parts.length <= 3) {
                if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                    OpsResponses.json(ex, 405, Map.of("error", "GET only"));
                    return;
                }
                OpsResponses.json(
                        ex, 200, iocs.list().stream().map(IocEndpoints::view).toList());
                return;
            }
            if (!"confirm".equals(parts[3])) {
                OpsResponses.json(ex, 404, Map.of("error", "no such action " + parts[3] + " (confirm)"));
                return;
            }
            if (!"POST".equals(ex.getRequestMethod())) {
                OpsResponses.json(ex, 405, Map.of("error", "POST only"));
                return;
            }
            confirm(ex, parts[2]);
        } catch (RuntimeException e) {
            log.warn("ioc request failed error={}", e.toString());
        }
    }

    private void confirm(HttpExchange ex, String iocId) throws IOException {
        OperatorGuard.Decision decision = guard.check(ex);
        if (decision instanceof OperatorGuard.Decision.Refused refused) {
            OpsResponses.refuse(ex, refused.refusal());
            return;
        }
        String operator = ((OperatorGuard.Decision.Admitted) decision).operator();
        IocEnforcement.Confirmation result;
        try {
            result = iocs.confirm(iocId, operator).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            OpsResponses.json(ex, 503, Map.of("error", "the attestation thread did not answer: " + e));
            return;
        }
        if (result instanceof IocEnforcement.Confirmation.Confirmed c) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("result", "confirmed");
            body.put("message", "confirmed; " + c.devicesQuarantined() + " device(s) quarantined");
            body.put("ioc", view(c.ioc()));
            OpsResponses.json(ex, 200, body);
        } else if (result instanceof IocEnforcement.Confirmation.NotAwaiting n) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("result", "no_change");
            body.put("message", "not awaiting confirmation (" + n.ioc().state() + ")");
            body.put("ioc", view(n.ioc()));
            OpsResponses.json(ex, 409, body);
        } else {
            OpsResponses.json(ex, 404, Map.of("error", "unknown indicator " + iocId));
        }
    }

    static Map<String, Object> view(FederationIoc ioc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ioc_id", ioc.iocId());
        m.put("kind", ioc.kind().name());
        m.put("value", ioc.value());
        m.put("state", ioc.state().name());
        m.put("valid_until", text(ioc.validUntil()));
        m.put("applied_at", text(ioc.appliedAt()));
        m.put("changed_at", text(ioc.changedAt()));
        return m;
    }

    private static @Nullable String text(@Nullable Instant at) {
        return at == null ? null : at.toString();
    }
}
