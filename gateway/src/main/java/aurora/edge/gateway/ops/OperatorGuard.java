package aurora.edge.gateway.ops;

import com.sun.net.httpserver.HttpExchange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a request may change state (an operator command). In order: the {@code Host}
 * header must name this box (a loopback name or the configured {@code http.host}; a page loaded
 * from an attacker's domain that re-resolves to 127.0.0.1 still sends its own name: 421); the
 * request must not come from a browser page unless {@code http.console_writes} allows the console to
 * write, and then only from the console's own origin (403: a page of another site, or any page while
 * the console is read-only; browsers always send {@code Origin} or {@code Sec-Fetch-Site} on such a
 * request, the command line sends neither); the
 * peer must be on loopback (403); {@code Authorization: Bearer} must carry the ops token (none:
 * 401, wrong: 403, compared in constant time); {@code X-Aurora-Operator} must name the operator
 * (400), for the audit trail; and the request must carry no body (413), so nothing is read from a
 * client beyond its headers.
 */
final class OperatorGuard {
    private static final Logger log = LoggerFactory.getLogger(OperatorGuard.class);
    static final String OPERATOR_HEADER = "X-Aurora-Operator";
    /** Who the operator says they are: a login name, perhaps with a domain; anything else is refused rather than escaped. */
    static final Pattern OPERATOR_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
    private static final long REFUSAL_LOG_EVERY_MILLIS = 10_000;

    /** Why a request was refused; each has one status code and one metric tag. */
    enum Refusal {
        WRONG_HOST(421, "the Host header does not name this gateway (loopback or http.host)"),
        CONSOLE_READ_ONLY(403, "the console is read-only (http.console_writes: false); use the command line"),
        CROSS_ORIGIN(403, "operator commands from a browser are accepted only from the console's own page"),
        NOT_LOOPBACK(403, "operator commands are accepted only from this box (loopback)"),
        NO_TOKEN(401, "no ops token: send Authorization: Bearer <the token in ops.token_file>"),
        WRONG_TOKEN(403, "the ops token is wrong"),
        NO_OPERATOR(400, "the " + OPERATOR_HEADER + " header must name the operator ([A-Za-z0-9._@-]{1,64})"),
        HAS_BODY(413, "operator commands take no request body");

        final int status;
        final String message;

        Refusal(int status, String message) {
            this.status = status;
            this.message = message;
        }
    }

    /** The outcome: the operator's name, or why not. */
    sealed interface Decision {
        record Admitted(String operator) implements Decision {}

        record Refused(Refusal refusal) implements Decision {}
    }

    private final OpsToken token;
    private final Set<String> hosts;
    private final boolean browserWrites;
    private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);
    private final AtomicLong lastLogged = new AtomicLong();

    /** @param configuredHost {@code http.host}; accepted in {@code Host} beside the loopback names unless it is a wildcard */
    OperatorGuard(OpsToken token, String configuredHost, MeterRegistry meters) {
        this(token, configuredHost, false, meters);
    }

    /** @param browserWrites {@code http.console_writes}: whether the console's own page may send operator commands */
    OperatorGuard(OpsToken token, String configuredHost, boolean browserWrites, MeterRegistry meters) {
        this.token = token;
        this.browserWrites = browserWrites;
        this.hosts = hostNames(configuredHost);
        for (Refusal r : Refusal.values()) {
            refused.put(
                    r,
                    Counter.builder("aurora_ops_refused")
                            .description("operator requests refused on the ops port, by reason")
                            .tag("reason", r.name().toLowerCase(Locale.ROOT))
                            .register(meters));
        }
    }

    private static Set<String> hostNames(String configured) {
        if (configured.equals("0.0.0.0") || configured.equals("::") || configured.isEmpty()) {
            return LOOPBACK_HOSTS;
        }
        Set<String> names = new HashSet<>(LOOPBACK_HOSTS);
        names.add(
                configured.contains(":")
                        ? "[" + configured.toLowerCase(Locale.ROOT) + "]"
                        : configured.toLowerCase(Locale.ROOT));
        return Set.copyOf(names);
    }

    /**
     * Whether a read may be answered: the {@code Host} header must name this box (a page reached
     * through DNS rebinding could read the registry as well). A refusal is counted like a write's.
     */
    boolean admitRead(HttpExchange ex) {
        if (hostAllowed(ex)) {
            return true;
        }
        refused(ex, Refusal.WRONG_HOST);
        return false;
    }

    private boolean hostAllowed(HttpExchange ex) {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null) {
            return false;
        }
        String name = host.trim().toLowerCase(Locale.ROOT).replaceFirst(":\\d{1,5}$", "");
        return hosts.contains(name);
    }

    /** {@code Origin} names the host and port the request was sent to ({@code Host}, already checked to be this box). */
    private static boolean sameOrigin(String origin, HttpExchange ex) {
        String host = ex.getRequestHeaders().getFirst("Host");
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return host != null
                && (o.equals("http://" + host.trim().toLowerCase(Locale.ROOT))
                        || o.equals("https://" + host.trim().toLowerCase(Locale.ROOT)));
    }

    Decision check(HttpExchange ex) {
        Decision d = decide(ex);
        if (d instanceof Decision.Refused r) {
            refused(ex, r.refusal());
        }
        return d;
    }

    private void refused(HttpExchange ex, Refusal refusal) {
        Objects.requireNonNull(refused.get(refusal)).increment();
        long now = System.currentTimeMillis();
        long last = lastLogged.get();
        // A local flood of bad requests must not flood the log: one line per interval, the metric counts them all.
        if (now - last >= REFUSAL_LOG_EVERY_MILLIS && lastLogged.compareAndSet(last, now)) {
            log.warn(
                    "ops request refused reason={} remote={} path={}",
                    refusal,
                    ex.getRemoteAddress(),
                    ex.getRequestURI().getRawPath().length() > 128
                            ? "(long)"
                            : ex.getRequestURI().getRawPath());
        }
    }

    private Decision decide(HttpExchange ex) {
        if (!hostAllowed(ex)) {
            return new Decision.Refused(Refusal.WRONG_HOST);
        }
        String origin = ex.getRequestHeaders().getFirst("Origin");
        String fetchSite = ex.getRequestHeaders().getFirst("Sec-Fetch-Site");
        if (origin != null || fetchSite != null) {
            if (!browserWrites) {
                return new Decision.Refused(Refusal.CONSOLE_READ_ONLY);
            }
            if ((fetchSite != null && !fetchSite.equals("same-origin"))
                    || (origin != null && !sameOrigin(origin, ex))) {
                return new Decision.Refused(Refusal.CROSS_ORIGIN);
            }
        }
        InetSocketAddress remote = ex.getRemoteAddress();
        if (remote == null
                || remote.getAddress() == null
                || !remote.getAddress().isLoopbackAddress()) {
            return new Decision.Refused(Refusal.NOT_LOOPBACK);
        }
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Decision.Refused(Refusal.NO_TOKEN);
        }
        if (!token.matches(authorization.substring(7).trim())) {
            return new Decision.Refused(Refusal.WRONG_TOKEN);
        }
        String operator = ex.getRequestHeaders().getFirst(OPERATOR_HEADER);
        if (operator == null || !OPERATOR_NAME.matcher(operator).matches()) {
            return new Decision.Refused(Refusal.NO_OPERATOR);
        }
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (ex.getRequestHeaders().containsKey("Transfer-Encoding")
                || (length != null && !length.trim().equals("0"))) {
            return new Decision.Refused(Refusal.HAS_BODY);
        }
        return new Decision.Admitted(operator);
    }
}
