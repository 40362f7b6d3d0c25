package aurora.edge.gateway.attest;

import java.util.function.Supplier;

/**
 * Makes "how far is this device trusted" and "queue its data in the outbox" one step for intake,
 * and "change the device's trust" and "queue the decision about its held data" one step for
 * attestation. Without it a message read as PENDING just before a TRUSTED verdict could be queued
 * after the verdict's release and stay held, or data read as TRUSTED could overtake the held data
 * it follows. Locks are striped by device id, so devices rarely wait for one another; attestation
 * holds one only for a verdict's registry write (a few milliseconds, a few times a day per device).
 */
final class TrustFence {
    private static final int STRIPES = 64;
    private final Object[] locks = new Object[STRIPES];

    TrustFence() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    <T> T locked(String deviceId, Supplier<T> work) {
        synchronized (locks[Math.floorMod(deviceId.hashCode(), STRIPES)]) {
            return work.get();
        }
    }

    void locked(String deviceId, Runnable work) {
        locked(deviceId, () -> {
            work.run();
            return null;
        });
    }
}
