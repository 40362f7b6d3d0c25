package aurora.edge.gateway.soc;

import aurora.edge.gateway.attest.QuarantineHook;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code attest.isolate_on_quarantine}: each automatic quarantine asks for an {@code isolate} sent to
 * the device like a SOC command (stored, delivered when it listens, resent until it answers). The
 * attestation thread only drops the request here; the command thread takes it within a second.
 * Bounded: what does not fit is counted, the quarantine itself stands either way.
 */
public final class IsolationRequests implements QuarantineHook {
    private static final int CAPACITY = 10_000;

    /** One request: the device and why it was quarantined. */
    record Request(String deviceId, String reason) {}

    private final BlockingQueue<Request> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong overflow = new AtomicLong();

    @Override
    public void quarantined(String deviceId, String reason) {
        if (!queue.offer(new Request(deviceId, reason))) {
            overflow.incrementAndGet();
        }
    }

    List<Request> drain() {
        List<Request> out = new ArrayList<>();
        queue.drainTo(out);
        return out;
    }

    long overflow() {
        return overflow.get();
    }
}
