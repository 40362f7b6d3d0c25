package aurora.edge.bench.sidebyside;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One simulated device's connection in the generator: its buffers, the next seq, and the intended
 * send time of each recent seq (a ring), so PUBACKs and cumulative durable acks can be timed from
 * the moment the message was due, not from when the client got round to sending it.
 */
final class GenDevice {
    enum State {
        NEW,
        CONNECTING,
        AWAIT_CONNACK,
        AWAIT_SUBACK,
        READY,
        GONE
    }

    final String id;
    final byte[] topic;
    final byte[] ackFilter;
    final ByteBuffer out;
    final ByteBuffer in;
    private final long[] intended;
    private final int mask;
    State state = State.NEW;
    SocketChannel channel;
    SelectionKey key;
    /** The seq the next publish carries (seqs start at 1). */
    long nextSeq = 1;

    int inFlight;
    /** Highest seq covered by a cumulative durable ack. */
    long durableUpTo;

    GenDevice(String id, int bufferBytes, int ringSize) {
        this.id = id;
        this.topic = ("aurora/sensors/" + id + "/telemetry").getBytes(StandardCharsets.UTF_8);
        this.ackFilter = ("aurora/command/" + id + "/ack").getBytes(StandardCharsets.UTF_8);
        this.out = ByteBuffer.allocate(bufferBytes);
        this.in = ByteBuffer.allocate(bufferBytes);
        this.intended = new long[ringSize];
        this.mask = ringSize - 1;
        if (Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ringSize must be a power of two, found: " + ringSize);
        }
    }

    static int packetId(long seq) {
        return (int) ((seq - 1) % 65_535) + 1;
    }

    /** The in-flight seq a PUBACK's packet id stands for (in flight are always fewer than 65,535). */
    long seqOf(int packetId) {
        long last = nextSeq - 1;
        int back = Math.floorMod(packetId(last) - packetId, 65_535);
        return last - back;
    }

    void sent(long seq, long intendedNanos) {
        intended[(int) (seq & mask)] = intendedNanos;
    }

    /** The intended send time of {@code seq}, or -1 once the ring has moved past it. */
    long intendedOf(long seq) {
        return seq < 1 || nextSeq - seq > intended.length ? -1 : intended[(int) (seq & mask)];
    }
}
