package aurora.edge.gateway.command;

import aurora.edge.gateway.device.DeviceTopic;
import aurora.edge.gateway.outbox.Watermark;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
    private final Supplier<? extends CommandSender> broker;
    private final Counter sent;
    private final Counter failed;
    private final ScheduledFuture<?> flushing;

    /** @param broker supplies the broker once it is started (the outbox, and so acks, start before it). */
    public AckPublisher(
            Supplier<? extends CommandSender> broker,
            ScheduledExecutorService scheduler,
            Duration interval,
            MeterRegistry registry) {
        this.broker = broker;
        this.sent = Counter.builder("aurora_acks_sent")
                .description("cumulative acks published to devices")
                .register(registry);
        this.failed = Counter.builder("aurora_acks_failed")
                .description("acks a full session queue refused (retried)")
                .register(registry);
        this.flushing = scheduler.scheduleWithFixedDelay(
                this::flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Called on the outbox writer thread after a commit: only records, never publishes. */
    public void acknowledge(Iterable<Watermark> watermarks) {
        for (Watermark w : watermarks) {
            due.merge(
                    w.deviceId(),
                    w,
                    (old, neu) -> neu.boot() > old.boot() || (neu.boot() == old.boot() && neu.seq() >= old.seq())
                            ? neu
                            : old);
        }
    }

    /**
     * One pass over the devices with a watermark due. A watermark the broker refuses stays due for
     * the next pass; the pass walks a snapshot of the keys, so a refused one put back is not met
     * again in the same pass (a stopped broker refuses everything, and a live iterator would then
     * go round for ever).
     */
    void flush() {
        CommandSender b = broker.get();
        if (b == null) {
            return;
        }
        try {
            for (String deviceId : List.copyOf(due.keySet())) {
                Watermark w = due.get(deviceId);
                if (w == null || !due.remove(deviceId, w)) {
                    continue; // a newer watermark arrived meanwhile; it is sent on the next pass
                }
                byte[] body =
                        ("{\"boot\":" + w.boot() + ",\"seq\":" + w.seq() + "}").getBytes(StandardCharsets.US_ASCII);
                if (b.publish(DeviceTopic.ackTopic(w.deviceId()), body)) {
                    sent.increment();
                } else {
                    failed.increment();
                    acknowledge(List.of(w));
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
