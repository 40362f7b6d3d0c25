package aurora.edge.gateway.mqttsn;

import java.time.Clock;
import java.util.Iterator;
import java.util.Map;

/**
 * Gateway → device messages on the predefined topic ids. A cumulative ack goes at QoS 0: the next
 * ack supersedes it, so a lost one costs nothing and a retried one would carry stale news; a
 * sleeping device keeps only its newest. Commands and attestation challenges go at QoS 1: each is
 * first written to {@code mqttsn.db}, sent when the device is awake (and again, {@link #RETRIES}
 * times at most, while no PUBACK comes), and deleted only on its PUBACK; what is not acknowledged
 * waits for the next wake or CONNECT. Used by the gateway's thread only.
 */
final class SnDelivery {
    static final int RETRIES = 3;

    private final SnStore store;
    private final SnWire wire;
    private final Clock clock;
    private final int queueBound;
    private final long retryMillis;

    SnDelivery(SnStore store, SnWire wire, Clock clock, int queueBound, long retryMillis) {
        this.store = store;
        this.wire = wire;
        this.clock = clock;
        this.queueBound = queueBound;
        this.retryMillis = retryMillis;
    }

    /** One message for the device of session {@code s} on predefined id {@code topicId}. */
    void deliver(SnSession s, int topicId, byte[] payload) {
        // Never above what the device's SUBSCRIBE was granted (MQTT: the granted QoS is a ceiling).
        int qos = Math.min(PredefinedTopics.deliveryQos(topicId), s.grantedQos.getOrDefault(topicId, 1));
        if (s.state == SnSession.State.AWAKE && qos == 0) {
            publish(s, topicId, payload, 0, 0);
            return;
        }
        long row = store.enqueue(s.deviceId, topicId, payload, qos, clock.instant(), queueBound);
        if (s.state == SnSession.State.AWAKE) {
            sendQueued(s, row, topicId, payload);
        }
    }

    /** Sends everything queued for the device (on CONNECT or wake); the rows stay until PUBACKed. */
    void flush(SnSession s) {
        s.inFlight.values().removeIf(f -> f.rowId > 0);
        s.waitsForWake = false;
        for (SnStore.Queued q : store.queued(s.deviceId)) {
            if (q.qos() == 0) {
                publish(s, q.topicId(), q.payload(), 0, 0);
                store.delivered(q.rowId());
            } else {
                sendQueued(s, q.rowId(), q.topicId(), q.payload());
            }
        }
    }

    /** The device's PUBACK of message {@code msgId}: its row is done. */
    void acknowledged(SnSession s, int msgId) {
        SnSession.InFlight f = s.inFlight.remove(msgId);
        if (f != null && f.rowId > 0) {
            store.delivered(f.rowId);
        }
    }

    /** Sends again what waits too long for a PUBACK; after {@link #RETRIES} sends it waits for the next wake. */
    void retry(SnSession s, long nowMillis) {
        for (Iterator<Map.Entry<Integer, SnSession.InFlight>> it =
                        s.inFlight.entrySet().iterator();
                it.hasNext(); ) {
            SnSession.InFlight f = it.next().getValue();
            if (nowMillis - f.sentAtMillis < retryMillis) {
                continue;
            }
            if (f.attempts >= RETRIES || s.state != SnSession.State.AWAKE) {
                it.remove();
                s.waitsForWake |= f.rowId > 0;
                continue;
            }
            f.packet[flagsIndex(f.packet)] |= (byte) 0x80; // DUP
            f.attempts++;
            f.sentAtMillis = nowMillis;
            wire.send(s.peer, SnPacket.PUBLISH, f.packet);
        }
    }

    private void sendQueued(SnSession s, long row, int topicId, byte[] payload) {
        int msgId = s.nextMsgId();
        byte[] packet = publish(s, topicId, payload, 1, msgId);
        s.inFlight.put(msgId, new SnSession.InFlight(packet, row, clock.millis()));
    }

    private byte[] publish(SnSession s, int topicId, byte[] payload, int qos, int msgId) {
        byte[] packet = SnCodec.encode(
                new SnPacket.Publish(SnFlags.publish(qos, SnFlags.PREDEFINED, false), topicId, msgId, payload));
        wire.send(s.peer, SnPacket.PUBLISH, packet);
        return packet;
    }

    /** Where the flags octet of an encoded PUBLISH is: after the one- or three-octet length and the type. */
    static int flagsIndex(byte[] packet) {
        return packet[0] == 0x01 ? 4 : 2;
    }
}
