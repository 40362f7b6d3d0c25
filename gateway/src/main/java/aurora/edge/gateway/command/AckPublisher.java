package aurora.edge.gateway.command;

import aurora.edge.gateway.broker.EmbeddedBroker;
import aurora.edge.gateway.intake.DeviceTopic;
import aurora.edge.gateway.outbox.Watermark;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each device its cumulative application-level acknowledgement, {@code {"boot":b,"seq":n}}
 * on {@code aurora/command/{id}/ack}, after the outbox has committed. Watermarks are coalesced
 * per device and flushed every interval, so a busy device gets one ack per interval, not one per
 * message. This, not Moquette's PUBACK (sent before any interceptor runs), is what tells a
 * device a message is on disk.
 */
public final class AckPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AckPublisher.class);

    private final Map<String, Watermark> due = new ConcurrentHashMap<>();
    private final Supplier<EmbeddedBroker> broker;
    private final Counter sent;
    private final Counter failed;
    private final ScheduledFuture<?> flushing;

    /** @param broker supplies the broker once it is started (the outbox, and so acks, start before it). */
    public AckPublisher(Supplier<EmbeddedBroker> broker, ScheduledExecutorService scheduler, Duration interval, MeterRegistry registry) {
        this.broker = broker;
        this.sent = Counter.builder("aurora_acks_sent").description("cumulative acks published to devices").register(registry);
        this.failed = Counter.builder("aurora_acks_failed").description("acks a full session queue refused (retried)").register(registry);
        this.flushing = scheduler.scheduleWithFixedDelay(this::flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Called on the outbox writer thread after a commit: only records, never publishes. */
    public void acknowledge(Iterable<Watermark> watermarks) {
        for (Watermark w : watermarks) {
            due.merge(w.deviceId(), w, (old, neu) -> neu.boot() > old.boot() || (neu.boot() == old.boot() && neu.seq() >= old.seq()) ? neu : old);
        }
    }

    void flush() {
        EmbeddedBroker b = broker.get();
        if (b == null) {
            return;
        }
        try {
            for (Iterator<Map.Entry<String, Watermark>> it = due.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Watermark> e = it.next();
                Watermark w = e.getValue();
                if (!due.remove(e.getKey(), w)) {
                    continue; // a newer watermark arrived meanwhile; it is sent on this or the next pass
                }
                byte[] body = ("{\"boot\":" + w.boot() + ",\"seq\":" + w.seq() + "}").getBytes(StandardCharsets.US_ASCII);
                if (b.publish(DeviceTopic.ackTopic(w.deviceId()), body)) {
                    sent.increment();
                } else {
                    failed.increment();
                    due.putIfAbsent(w.deviceId(), w);
                }
            }
        } catch (RuntimeException e) {
            log.warn("ack flush failed error={}", e.toString());
        }
    }

    /** Sends what is still due, then stops. */
    @Override
    public void close() {
        flushing.cancel(false);
        flush();
    }
}
