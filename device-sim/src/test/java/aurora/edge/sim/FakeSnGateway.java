package aurora.edge.sim;

import aurora.edge.sim.sn.PredefinedTopics;
import aurora.edge.sim.sn.SnCodec;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal MQTT-SN gateway for device-sim's tests, plaintext UDP on a free port: CONNECT, SUBSCRIBE by predefined
 * id, REGISTER (only the client's own topics), PUBLISH with PUBACK and a cumulative ack on the ack topic id, sleeping
 * clients (messages for an asleep client are queued until its PINGREQ with client id or its next CONNECT), forwarder
 * encapsulation. Not the product's gateway: just enough to see what the simulated devices put on the wire.
 */
final class FakeSnGateway implements AutoCloseable {
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    private static final Pattern BOOT = Pattern.compile("\"boot\":(\\d+)");

    /** One published message as the gateway saw it. */
    record Published(String clientId, int topicIdType, int topicId, int qos, String payload) {}

    private final DatagramSocket socket;
    private final Thread loop;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    final List<Published> published = new CopyOnWriteArrayList<>();
    final Set<String> sleepers = ConcurrentHashMap.newKeySet();
    final Set<String> wakers = ConcurrentHashMap.newKeySet();
    final Set<String> encapsulatedNodes = ConcurrentHashMap.newKeySet();
    final Set<SocketAddress> sources = ConcurrentHashMap.newKeySet();
    final List<String> refusedRegistrations = new CopyOnWriteArrayList<>();
    final AtomicInteger acksDeliveredOnWake = new AtomicInteger();
    /** Acks wait for the device's next wake-up or CONNECT even when it is awake (a gateway that acks late). */
    volatile boolean ackOnWakeOnly;

    private static final class Session {
        String clientId = "?";
        boolean asleep;
        SocketAddress address;
        byte[] nodeId;
        long ackedSeq;
        final ArrayDeque<byte[]> queued = new ArrayDeque<>();
        final AtomicInteger msgIds = new AtomicInteger();
        final AtomicInteger topicIds = new AtomicInteger(100);
    }

    FakeSnGateway() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        loop = new Thread(this::run, "fake-sn-gateway");
        loop.setDaemon(true);
        loop.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void run() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket d = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(d);
            } catch (IOException e) {
                return;
            }
            byte[] datagram = Arrays.copyOf(buffer, d.getLength());
            sources.add(d.getSocketAddress());
            SnCodec.Encapsulated e = SnCodec.decapsulate(datagram);
            String key = e == null
                    ? d.getSocketAddress().toString()
                    : new String(e.nodeId(), StandardCharsets.UTF_8) + "@" + d.getSocketAddress();
            Session s = sessions.computeIfAbsent(key, k -> new Session());
            s.address = d.getSocketAddress();
            if (e != null) {
                s.nodeId = e.nodeId();
                // As the real gateway: a relayed child is named by its wireless node id (it sends no CONNECT).
                s.clientId = new String(e.nodeId(), StandardCharsets.UTF_8);
                encapsulatedNodes.add(new String(e.nodeId(), StandardCharsets.UTF_8));
            }
            try {
                synchronized (s) {
                    handle(s, e == null ? datagram : e.packet());
                }
            } catch (RuntimeException | IOException ex) {
                // a test fixture: a bad packet is dropped
            }
        }
    }

    private void handle(Session s, byte[] packet) throws IOException {
        SnCodec.Packet p = SnCodec.decode(packet);
        byte[] body = p.data();
        switch (p.type()) {
            case SnCodec.CONNECT -> {
                s.clientId = new String(body, 4, body.length - 4, StandardCharsets.UTF_8);
                s.asleep = false;
                reply(s, new byte[] {3, SnCodec.CONNACK, 0});
                flush(s, false);
            }
            case SnCodec.SUBSCRIBE -> {
                int msgId = ((body[1] & 0xFF) << 8) | (body[2] & 0xFF);
                int topicId = ((body[3] & 0xFF) << 8) | (body[4] & 0xFF);
                reply(s, new byte[] {
                    8,
                    SnCodec.SUBACK,
                    body[0],
                    (byte) (topicId >> 8),
                    (byte) topicId,
                    (byte) (msgId >> 8),
                    (byte) msgId,
                    0
                });
            }
            case SnCodec.REGISTER -> {
                String topic = new String(body, StandardCharsets.UTF_8);
                boolean own = topic.contains("/" + s.clientId + "/");
                if (!own) {
                    refusedRegistrations.add(s.clientId + " " + topic);
                }
                reply(s, SnCodec.regack(own ? s.topicIds.incrementAndGet() : 0, p.msgId(), own ? 0 : 2));
            }
            case SnCodec.PUBLISH -> {
                published.add(new Published(
                        s.clientId,
                        p.topicIdType(),
                        p.topicId(),
                        p.qos().level(),
                        new String(body, StandardCharsets.UTF_8)));
                if (p.qos() == SnCodec.Qos.AT_LEAST_ONCE) {
                    reply(s, SnCodec.puback(p.topicId(), p.msgId(), 0));
                }
                if (p.topicIdType() == SnCodec.TOPIC_PREDEFINED
                        && (p.topicId() == PredefinedTopics.TELEMETRY || p.topicId() == PredefinedTopics.ALERTS)) {
                    ack(s, new String(body, StandardCharsets.UTF_8));
                }
            }
            case SnCodec.DISCONNECT -> {
                if (body.length == 2) {
                    s.asleep = true;
                    sleepers.add(s.clientId);
                }
                reply(s, SnCodec.disconnect(null));
            }
            case SnCodec.PINGREQ -> {
                if (body.length > 0) {
                    wakers.add(new String(body, StandardCharsets.UTF_8));
                    flush(s, true);
                }
                reply(s, new byte[] {2, SnCodec.PINGRESP});
            }
            default -> {}
        }
    }

    /** The cumulative ack, as the gateway publishes it on aurora/command/{id}/ack: queued while asleep. */
    private void ack(Session s, String payload) throws IOException {
        Matcher seq = SEQ.matcher(payload);
        Matcher boot = BOOT.matcher(payload);
        if (!seq.find() || !boot.find()) {
            return;
        }
        s.ackedSeq = Math.max(s.ackedSeq, Long.parseLong(seq.group(1)));
        byte[] ack = ("{\"boot\":" + boot.group(1) + ",\"seq\":" + s.ackedSeq + "}").getBytes(StandardCharsets.UTF_8);
        byte[] publish = SnCodec.publish(
                SnCodec.Qos.AT_LEAST_ONCE,
                false,
                SnCodec.TOPIC_PREDEFINED,
                PredefinedTopics.ACK,
                s.msgIds.updateAndGet(i -> i % 60000 + 1),
                ack);
        if (s.asleep || ackOnWakeOnly) {
            s.queued.add(publish);
        } else {
            reply(s, publish);
        }
    }

    private void flush(Session s, boolean onWake) throws IOException {
        while (!s.queued.isEmpty()) {
            reply(s, s.queued.poll());
            if (onWake) {
                acksDeliveredOnWake.incrementAndGet();
            }
        }
    }

    private void reply(Session s, byte[] packet) throws IOException {
        byte[] out = s.nodeId == null ? packet : SnCodec.encapsulate(s.nodeId, packet);
        socket.send(new DatagramPacket(out, out.length, s.address));
    }

    @Override
    public void close() {
        socket.close();
        loop.interrupt();
    }
}
