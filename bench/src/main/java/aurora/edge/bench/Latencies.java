package aurora.edge.bench;

import aurora.edge.sim.FleetReport;
import aurora.edge.testing.NatsProbe;
import aurora.edge.testing.RedisProbe;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What both benchmarks measure: the time from a device's {@code ts} to the sink storing the event.
 * Redis entry ids start with the server's millisecond clock at XADD; JetStream keeps the store time.
 */
final class Latencies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Latencies() {}

    /** Events of devices whose ids start with {@code prefix}, published at or after {@code from} and stored by {@code to}. */
    static Histogram redis(RedisProbe probe, String stream, String prefix, long from, long to) throws IOException {
        Histogram h = new Histogram(3_600_000, 3);
        for (RedisProbe.Entry e : probe.entries(stream)) {
            if (!deviceIdOf(e.fields().get("id")).startsWith(prefix)) {
                continue;
            }
            long xadd = Long.parseLong(e.id().substring(0, e.id().indexOf('-')));
            long ts = JSON.readTree(e.fields().get("data"))
                    .path("fields")
                    .path("ts")
                    .asLong();
            if (ts >= from && xadd <= to) {
                h.recordValue(Math.max(0, xadd - ts));
            }
        }
        return h;
    }

    /** A device message id is {@code site:device:boot:seq}: the part from the device on. */
    private static String deviceIdOf(String messageId) {
        return messageId.substring(messageId.indexOf(':') + 1);
    }

    /** Alerts on the JetStream alerts subject, published at or after {@code from}. */
    static Histogram jetStreamAlerts(NatsProbe probe, String prefix, long from) throws IOException {
        Histogram h = new Histogram(3_600_000, 3);
        for (NatsProbe.StoredMessage m : probe.messages("AURORA", "AURORA.alerts")) {
            if (m.msgId() == null || !deviceIdOf(m.msgId()).startsWith(prefix)) {
                continue;
            }
            long ts = JSON.readTree(m.data()).path("fields").path("ts").asLong();
            if (ts >= from) {
                h.recordValue(Math.max(0, m.storedAt().toEpochMilli() - ts));
            }
        }
        return h;
    }

    static void print(String label, Histogram h) {
        System.out.printf(
                Locale.ROOT,
                "%s: p50 %d ms  p99 %d ms  max %d ms (n=%d)%n",
                label,
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(99),
                h.getMaxValue(),
                h.getTotalCount());
    }

    /** The fleet's own measure: first publish → the gateway's durable-ack watermark covering the message. */
    static void print(String label, FleetReport.Latency l) {
        System.out.printf(
                Locale.ROOT,
                "%s: p50 %.0f ms  p99 %.0f ms  max %.0f ms (n=%d)%n",
                label,
                l.p50Ms(),
                l.p99Ms(),
                l.maxMs(),
                l.count());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
