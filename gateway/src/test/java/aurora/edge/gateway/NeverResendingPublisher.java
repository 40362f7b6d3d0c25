package aurora.edge.gateway;

import aurora.edge.sim.DeviceCredentials;
import aurora.edge.testing.RawMqtt;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A device as stock firmware behaves towards the gateway: it publishes sequenced telemetry at QoS 1
 * with up to {@code window} PUBLISHes awaiting their PUBACK, treats a PUBACK as "stored" and never
 * resends (it does not read the gateway's cumulative ack, and this one does not reconnect either).
 * It records, per seq, when the PUBLISH was written and when its PUBACK arrived (test-JVM nanoTime).
 */
@SuppressWarnings("try") // close() joins the reader thread; the tests that use it throw InterruptedException on
final class NeverResendingPublisher implements AutoCloseable {
    private final String deviceId;
    private final Socket socket;
    private final int maxMessages;
    private final Semaphore window;
    private final Map<Integer, Integer> inflight = new ConcurrentHashMap<>();
    private final AtomicLongArray sentAt;
    private final AtomicLongArray ackedAt;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final Thread writer;
    private final Thread reader;
    private volatile boolean stopped;

    private final long intervalNanos;

    private NeverResendingPublisher(String deviceId, Socket socket, int window, int maxMessages, int perSecond) {
        this.deviceId = deviceId;
        this.intervalNanos = perSecond <= 0 ? 0 : 1_000_000_000L / perSecond;
        this.socket = socket;
        this.maxMessages = maxMessages;
        this.window = new Semaphore(window);
        this.sentAt = new AtomicLongArray(maxMessages + 1);
        this.ackedAt = new AtomicLongArray(maxMessages + 1);
        this.writer = new Thread(this::publishAll, "publisher-" + deviceId);
        this.reader = new Thread(this::readAcks, "puback-reader-" + deviceId);
    }

    /** @param perSecond publishes a second at most; 0 = as fast as the window allows */
    static NeverResendingPublisher start(
            int port, byte[] siteKey, String deviceId, int window, int maxMessages, int perSecond) throws IOException {
        Socket s = RawMqtt.open("127.0.0.1", port);
        String password = DeviceCredentials.derive(siteKey, deviceId).password();
        s.getOutputStream().write(RawMqtt.connect(deviceId, deviceId, password, null, null));
        int code = RawMqtt.connAck(s);
        if (code != 0) {
            s.close();
            throw new IOException("connect of " + deviceId + " refused, code " + code);
        }
        s.setSoTimeout(0);
        NeverResendingPublisher p = new NeverResendingPublisher(deviceId, s, window, maxMessages, perSecond);
        p.reader.start();
        p.writer.start();
        return p;
    }

    String deviceId() {
        return deviceId;
    }

    long sent() {
        return sent.get();
    }

    long acked() {
        return acked.get();
    }

    /** The seqs the gateway PUBACKed. */
    List<Integer> ackedSeqs() {
        List<Integer> seqs = new ArrayList<>();
        for (int seq = 1; seq <= maxMessages; seq++) {
            if (ackedAt.get(seq) != 0) {
                seqs.add(seq);
            }
        }
        return seqs;
    }

    long ackedAtNanos(int seq) {
        return ackedAt.get(seq);
    }

    /** Nanoseconds from writing the PUBLISH to reading its PUBACK, for every PUBACKed seq. */
    List<Long> pubackLatencies() {
        List<Long> latencies = new ArrayList<>();
        for (int seq = 1; seq <= maxMessages; seq++) {
            long a = ackedAt.get(seq);
            if (a != 0) {
                latencies.add(a - sentAt.get(seq));
            }
        }
        return latencies;
    }

    private void publishAll() {
        try {
            OutputStream out = socket.getOutputStream();
            long next = System.nanoTime();
            for (int seq = 1; seq <= maxMessages && !stopped; seq++) {
                while (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    if (stopped) {
                        return;
                    }
                }
                if (intervalNanos > 0) {
                    next += intervalNanos;
                    java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
                }
                int packetId = (seq - 1) % 65_535 + 1;
                inflight.put(packetId, seq);
                sentAt.set(seq, System.nanoTime());
                out.write(publish(packetId, seq));
                sent.incrementAndGet();
            }
        } catch (IOException | InterruptedException e) {
            stopped = true;
        }
    }

    private byte[] publish(int packetId, int seq) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] topic = ("aurora/sensors/" + deviceId + "/telemetry").getBytes(StandardCharsets.UTF_8);
        body.write(topic.length >> 8);
        body.write(topic.length & 0xff);
        body.writeBytes(topic);
        body.write(packetId >> 8);
        body.write(packetId & 0xff);
        body.writeBytes(("{\"boot\":1,\"seq\":" + seq + ",\"temp_c\":21.5}").getBytes(StandardCharsets.UTF_8));
        return RawMqtt.packet(0x32, body.toByteArray());
    }

    private void readAcks() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (!stopped) {
                int type = in.readUnsignedByte() >> 4;
                int length = 0;
                int shift = 0;
                int b;
                do {
                    b = in.readUnsignedByte();
                    length |= (b & 0x7f) << shift;
                    shift += 7;
                } while ((b & 0x80) != 0);
                byte[] packet = new byte[length];
                in.readFully(packet);
                if (type == 4 && length >= 2) {
                    int packetId = ((packet[0] & 0xff) << 8) | (packet[1] & 0xff);
                    Integer seq = inflight.remove(packetId);
                    if (seq != null) {
                        ackedAt.set(seq, System.nanoTime());
                        acked.incrementAndGet();
                        window.release();
                    }
                }
            }
        } catch (IOException e) {
            stopped = true; // the gateway died or closed the connection: this device never resends
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        writer.join(5000);
        reader.join(5000);
    }
}
