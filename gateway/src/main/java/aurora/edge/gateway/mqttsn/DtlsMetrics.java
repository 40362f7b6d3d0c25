package aurora.edge.gateway.mqttsn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The DTLS listener's meters: {@code aurora_mqttsn_dtls_handshakes{outcome}},
 * {@code aurora_mqttsn_dtls_dropped{reason}}, {@code aurora_mqttsn_dtls_hello_verify_sent} and the
 * gauges {@code aurora_mqttsn_dtls_associations} and {@code aurora_mqttsn_dtls_handshakes_in_progress}.
 * Tags come from closed enums, never from what a peer sent.
 */
final class DtlsMetrics {
    /** How a handshake that got past the cookie exchange ended (or that it was never started). */
    enum Outcome {
        ESTABLISHED,
        /** the PSK identity is no device id, or the device is revoked */
        REFUSED,
        /** not finished within mqttsn.dtls.handshake_timeout: a wrong key looks like this */
        TIMEOUT,
        /** a fatal alert or another error */
        FAILED,
        /** refused by a handshake or association limit before it started */
        LIMITED
    }

    /** Why a datagram was dropped unanswered (or a reply not sent). */
    enum Drop {
        /** no association or handshake at its address, and no ClientHello */
        NO_ASSOCIATION,
        /** the association's inbound queue was full */
        QUEUE_FULL,
        /** longer than mqttsn.max_packet_bytes (encrypted or decrypted) */
        OVERSIZED,
        /** a HelloVerifyRequest not sent: mqttsn.dtls.hello_verify_per_second spent */
        HELLO_VERIFY_LIMITED,
        /** a HelloVerifyRequest not sent: it would have been larger than the ClientHello */
        REPLY_TOO_LARGE,
        /** a ClientHello with a valid cookie refused by a handshake limit */
        HANDSHAKE_LIMITED
    }

    private final Map<Outcome, Counter> handshakes = new EnumMap<>(Outcome.class);
    private final Map<Drop, Counter> dropped = new EnumMap<>(Drop.class);
    private final Counter helloVerifySent;

    DtlsMetrics(MeterRegistry registry, Supplier<Number> associations, Supplier<Number> handshakesInProgress) {
        for (Outcome o : Outcome.values()) {
            handshakes.put(
                    o,
                    Counter.builder("aurora_mqttsn_dtls_handshakes")
                            .description("MQTT-SN DTLS handshakes past the cookie exchange, by outcome")
                            .tag("outcome", tag(o))
                            .register(registry));
        }
        for (Drop d : Drop.values()) {
            dropped.put(
                    d,
                    Counter.builder("aurora_mqttsn_dtls_dropped")
                            .description("datagrams the MQTT-SN DTLS listener dropped unanswered, by reason")
                            .tag("reason", tag(d))
                            .register(registry));
        }
        helloVerifySent = Counter.builder("aurora_mqttsn_dtls_hello_verify_sent")
                .description("HelloVerifyRequests (cookie replies) sent")
                .register(registry);
        Gauge.builder("aurora_mqttsn_dtls_associations", associations)
                .description("established MQTT-SN DTLS associations")
                .register(registry);
        Gauge.builder("aurora_mqttsn_dtls_handshakes_in_progress", handshakesInProgress)
                .description("MQTT-SN DTLS handshakes in progress")
                .register(registry);
    }

    void handshake(Outcome outcome) {
        Objects.requireNonNull(handshakes.get(outcome)).increment();
    }

    void dropped(Drop reason) {
        Objects.requireNonNull(dropped.get(reason)).increment();
    }

    void helloVerifySent() {
        helloVerifySent.increment();
    }

    /** All datagrams dropped, whatever the reason. */
    long droppedTotal() {
        return (long) dropped.values().stream().mapToDouble(Counter::count).sum();
    }

    private static String tag(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
