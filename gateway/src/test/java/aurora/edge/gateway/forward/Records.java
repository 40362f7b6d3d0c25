package aurora.edge.gateway.forward;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.outbox.OutboxRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;

/** Outbox records for sink tests: message id {@code dev-1:1:<seq>}, a small normalized-event JSON body. */
final class Records {
    static final Instant ACCEPTED_AT = Instant.parse("2026-11-26T10:15:30.123Z");

    private Records() {}

    static OutboxRecord record(long seq, Channel channel, Severity severity) {
        String id = channel == Channel.AUDIT ? "gw-audit:" + seq : "dev-1:1:" + seq;
        // As the gateway writes them: device events are mqtt/cps, its own audit events gateway/audit.
        String json = channel == Channel.AUDIT
                ? "{\"id\":\"" + id + "\",\"source\":\"gateway\",\"severity\":\"" + severity.wireName()
                        + "\",\"category\":\"audit\",\"title\":\"t" + seq + "\",\"device_id\":null}"
                : "{\"id\":\"" + id + "\",\"source\":\"mqtt\",\"severity\":\"" + severity.wireName()
                        + "\",\"category\":\"cps\",\"title\":\"t" + seq + "\",\"device_id\":\"dev-1\"}";
        return new OutboxRecord(
                seq,
                id,
                channel == Channel.AUDIT ? null : "dev-1",
                channel,
                severity,
                ACCEPTED_AT.plusMillis(seq),
                json.getBytes(StandardCharsets.UTF_8));
    }

    static OutboxRecord alert(long seq, Severity severity) {
        return record(seq, Channel.ALERT, severity);
    }

    static OutboxRecord telemetry(long seq) {
        return record(seq, Channel.TELEMETRY, Severity.INFO);
    }

    static OutboxRecord audit(long seq) {
        return record(seq, Channel.AUDIT, Severity.INFO);
    }

    static OutboxRecord attestation(long seq) {
        return record(seq, Channel.ATTESTATION, Severity.INFO);
    }

    /** Telemetry records {@code from..to} inclusive. */
    static List<OutboxRecord> telemetry(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(Records::telemetry).toList();
    }

    static String body(OutboxRecord r) {
        return new String(r.event(), StandardCharsets.UTF_8);
    }
}
