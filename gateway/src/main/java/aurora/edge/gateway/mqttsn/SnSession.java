package aurora.edge.gateway.mqttsn;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One MQTT-SN device's session: where it is, whether it is awake or asleep, its keep-alive, the
 * message ids it sent lately (duplicates), and what the gateway sent it and waits a PUBACK for.
 * Used by the gateway's thread only.
 */
final class SnSession {
    enum State {
        AWAKE,
        ASLEEP
    }

    /** How many of a device's recent QoS 1 message ids are remembered to recognise a resend. */
    static final int DUPLICATE_WINDOW = 32;

    /** A QoS 1 message to the device that has no PUBACK yet. */
    static final class InFlight {
        final byte[] packet;
        final long rowId;
        int attempts;
        long sentAtMillis;

        InFlight(byte[] packet, long rowId, long sentAtMillis) {
            this.packet = packet;
            this.rowId = rowId;
            this.attempts = 1;
            this.sentAtMillis = sentAtMillis;
        }
    }

    final String deviceId;
    SnPeer peer;
    State state = State.AWAKE;
    long keepAliveMillis;
    long lastHeardMillis;
    int sleepSeconds;
    /** A queued message went unacknowledged after its retries: it waits for the next wake (or route). */
    boolean waitsForWake;
    /** For a session restored from mqttsn.db: the address it slept from, until it wakes. */
    String sleptFrom;

    private int nextMsgId;
    /** Message id → true once PUBACKed (stored), false while its commit is awaited. */
    private final Map<Integer, Boolean> recent = new LinkedHashMap<>(DUPLICATE_WINDOW, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
            return size() > DUPLICATE_WINDOW;
        }
    };

    final Map<Integer, InFlight> inFlight = new HashMap<>();

    /**
     * Predefined gateway → device topic id → the QoS granted by its SUBSCRIBE. A topic the device did not
     * subscribe to is still delivered (predefined ids need no subscription), at the gateway's QoS for it.
     */
    final Map<Integer, Integer> grantedQos = new HashMap<>(4);

    SnSession(String deviceId, SnPeer peer, String sleptFrom, long keepAliveMillis, long nowMillis) {
        this.deviceId = deviceId;
        this.peer = peer;
        this.sleptFrom = sleptFrom;
        this.keepAliveMillis = keepAliveMillis;
        this.lastHeardMillis = nowMillis;
    }

    static String addressText(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    int nextMsgId() {
        nextMsgId = nextMsgId % 0xffff + 1;
        return nextMsgId;
    }

    /** Null for a message id not seen lately; else whether that message was stored (PUBACKed). */
    @Nullable
    Boolean seen(int msgId) {
        return recent.get(msgId);
    }

    void pending(int msgId) {
        recent.put(msgId, false);
    }

    void stored(int msgId) {
        recent.replace(msgId, true);
    }

    void forgetMsgId(int msgId) {
        recent.remove(msgId);
    }

    /** Whether the keep-alive ran out: 1.5 times its duration without a packet. */
    boolean expired(long nowMillis) {
        return state == State.AWAKE && nowMillis - lastHeardMillis > keepAliveMillis * 3 / 2;
    }
}
