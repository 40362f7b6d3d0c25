package aurora.edge.bench.sidebyside;

import aurora.edge.sim.DeviceCredentials;
import aurora.edge.sim.SiteKeyFile;
import aurora.edge.sim.sn.DtlsPskLink;
import aurora.edge.sim.sn.PredefinedTopics;
import aurora.edge.sim.sn.SnCodec;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT-SN 1.2 QoS 1 over DTLS 1.2 PSK against the packaged gateway (with real redis-server and
 * nats-server, as {@link AuroraSystem} starts it): a fleet of sleeping devices, then a burst of awake
 * ones. One platform thread per device, each with its own UDP socket and DTLS association (device-sim's
 * {@link DtlsPskLink}), as a coin-cell sensor would hold one.
 *
 * <p>Fleet: every device handshakes once and CONNECTs (ramp-up, at most {@code bench.sn.handshakeConcurrency}
 * handshakes at once), then, from a random phase, every period: (wake: PINGREQ with its client id, queued
 * packets until PINGRESP, CONNECT again since the gateway keeps a woken client asleep until it does) PUBLISH QoS 1
 * on predefined topic id 1, PUBACK, DISCONNECT with a sleep duration. The PUBACK latency is timed from the
 * intended send time (coordinated omission included: a late cycle counts its lateness).
 * Burst: {@code bench.sn.burst.devices} devices awake, each with one QoS 1 PUBLISH in flight.
 */
public final class MqttSnBench {
    private static final Logger log = LoggerFactory.getLogger(MqttSnBench.class);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);
    private static final int SLEEP_SECONDS = 60;
    private static final int KEEP_ALIVE_SECONDS = 120;

    private MqttSnBench() {}

    public static void main(String[] args) throws Exception {
        int status = 0;
        try {
            run();
        } catch (Throwable t) {
            log.error("mqttsn bench failed error={}", t.toString(), t);
            status = 1;
        }
        System.exit(status); // device threads may still block in a DTLS receive
    }

    private static void run() throws Exception {
        int devices = Integer.getInteger("bench.sn.devices", 1000);
        long periodMillis = Long.getLong("bench.sn.periodMillis", 10_000);
        int warmup = Integer.getInteger("bench.sn.warmupSeconds", 10);
        int seconds = Integer.getInteger("bench.sn.seconds", 60);
        int burstDevices = Integer.getInteger("bench.sn.burst.devices", 50);
        int burstSeconds = Integer.getInteger("bench.sn.burst.seconds", 20);
        int concurrency = Integer.getInteger("bench.sn.handshakeConcurrency", 32);
        Path jar = Path.of(System.getProperty("bench.gatewayJar", "gateway/target/aurora-edge-gateway.jar"))
                .toAbsolutePath();
        String stamp = STAMP.format(Instant.now());
        Path dir = Path.of(System.getProperty("bench.sn.dir", "bench/target/mqttsn-" + stamp))
                .toAbsolutePath();
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AURORA_MQTTSN_ENABLED", "true");
        env.put("AURORA_MQTTSN_PORT", String.valueOf(port));
        // every simulated device comes from 127.0.0.1: the per-address guards would otherwise refuse the fleet
        env.put("AURORA_MQTTSN_DTLS_MAX_HANDSHAKES_PER_ADDRESS", "64");
        env.put("AURORA_MQTTSN_DTLS_HANDSHAKES_PER_MINUTE_PER_ADDRESS", "6000");
        env.put("AURORA_MQTTSN_MAX_SESSIONS_PER_ADDRESS", "10000");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put(
                "box",
                Map.of(
                        "cores",
                        Runtime.getRuntime().availableProcessors(),
                        "loadavgAtStart",
                        Files.readString(Path.of("/proc/loadavg")).strip()));
        try (AuroraSystem gw = AuroraSystem.start(dir.resolve("aurora"), jar, "", env)) {
            long gwPid = gw.processes().get("gateway");
            byte[] siteKey = SiteKeyFile.read(Path.of(gw.siteKeyFile()));
            InetSocketAddress gateway = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            Fleet fleet = new Fleet(devices, periodMillis);
            List<Device> all = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                String id = "sn-" + i;
                byte[] psk = Base64.getUrlDecoder()
                        .decode(DeviceCredentials.derive(siteKey, id).password());
                all.add(new Device(id, psk, gateway, fleet));
            }
            // ramp-up: handshake + CONNECT
            Semaphore slots = new Semaphore(concurrency);
            long rampStart = System.nanoTime();
            double cpuRamp0 = ProcStat.cpuSeconds(gwPid);
            List<Thread> threads = new ArrayList<>();
            for (Device d : all) {
                threads.add(started(new Thread(() -> d.fleetLife(slots), d.id)));
            }
            if (!fleet.connected.await(300, TimeUnit.SECONDS)) {
                throw new IllegalStateException("ramp-up: " + fleet.connected.getCount() + " devices not connected");
            }
            double rampSeconds = (System.nanoTime() - rampStart) / 1e9;
            double cpuRamp = ProcStat.cpuSeconds(gwPid) - cpuRamp0;
            Map<String, Object> ramp = new LinkedHashMap<>();
            ramp.put("devices", devices);
            ramp.put("seconds", round(rampSeconds));
            ramp.put("handshakesPerSecond", round(devices / rampSeconds));
            ramp.put("handshakeFailures", fleet.handshakeFailures.get());
            ramp.put("handshakeP50Ms", fleet.handshakeMs.getValueAtPercentile(50));
            ramp.put("handshakeP99Ms", fleet.handshakeMs.getValueAtPercentile(99));
            ramp.put("gatewayCpuSeconds", round(cpuRamp));
            result.put("rampUp", ramp);
            System.out.println("ramp-up " + ramp);

            // steady fleet: random phase within one period from t0
            long t0 = System.currentTimeMillis() + 1000;
            fleet.measureFrom = t0 + warmup * 1000L;
            fleet.measureTo = fleet.measureFrom + seconds * 1000L;
            fleet.start(t0);
            sleepUntil(fleet.measureFrom);
            double cpu0 = ProcStat.cpuSeconds(gwPid);
            sleepUntil(fleet.measureTo);
            double cpu = ProcStat.cpuSeconds(gwPid) - cpu0;
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            Map<String, Object> steady = new LinkedHashMap<>();
            steady.put("devices", devices);
            steady.put("periodMs", periodMillis);
            steady.put("measuredSeconds", seconds);
            steady.put("pubacked", fleet.acked.get());
            steady.put("msgsPerSecond", round(fleet.acked.get() / (double) seconds));
            steady.put("offeredPerSecond", round(devices * 1000.0 / periodMillis));
            steady.put("retransmits", fleet.retransmits.get());
            steady.put("failures", fleet.failures.get());
            steady.put("gatewayPublishesToDevices", fleet.delivered.get());
            steady.putAll(percentiles("pubackFromIntended", fleet.fromIntended));
            steady.putAll(percentiles("publishToPuback", fleet.publishToAck));
            steady.put("gatewayCpuSeconds", round(cpu));
            // every PUBACKed message of the fleet (warm-up included) in the Redis stream; latency of the measured ones
            steady.putAll(gw.afterScenario("mqttsn", "sn", t0, fleet.measureFrom, fleet.ackedAll.get()));
            steady.put("pubackedAll", fleet.ackedAll.get());
            steady.put("gatewayCpuPercentOfOneCore", round(100 * cpu / seconds));
            result.put("sleepingFleet", steady);
            System.out.println("fleet " + steady);

            // burst: awake devices, one QoS 1 in flight each
            Fleet burst = new Fleet(burstDevices, 0);
            burst.measureFrom = System.currentTimeMillis() + 3000;
            burst.measureTo = burst.measureFrom + burstSeconds * 1000L;
            List<Thread> burstThreads = new ArrayList<>();
            for (int i = 0; i < Math.min(burstDevices, all.size()); i++) {
                Device d = all.get(i);
                burstThreads.add(started(new Thread(() -> d.burst(burst), d.id + "-burst")));
            }
            sleepUntil(burst.measureFrom);
            double bcpu0 = ProcStat.cpuSeconds(gwPid);
            sleepUntil(burst.measureTo);
            double bcpu = ProcStat.cpuSeconds(gwPid) - bcpu0;
            for (Thread t : burstThreads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("devices", burstDevices);
            b.put("measuredSeconds", burstSeconds);
            b.put("pubacked", burst.acked.get());
            b.put("msgsPerSecond", round(burst.acked.get() / (double) burstSeconds));
            b.put("retransmits", burst.retransmits.get());
            b.put("failures", burst.failures.get());
            b.putAll(percentiles("publishToPuback", burst.publishToAck));
            b.put("gatewayCpuSeconds", round(bcpu));
            b.put("gatewayCpuPercentOfOneCore", round(100 * bcpu / burstSeconds));
            result.put("burst", b);
            System.out.println("burst " + b);
            result.put("gatewayPeakRssMiB", ProcStat.peakRssBytes(gwPid) / (1024 * 1024));
            result.put(
                    "loadavgAtEnd", Files.readString(Path.of("/proc/loadavg")).strip());
        }
        Path out = Path.of(System.getProperty("bench.sn.out", "bench/target"), "mqttsn-" + stamp + ".json");
        Files.createDirectories(out.getParent());
        ResultJson.JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result);
        System.out.println(ResultJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        System.out.println("written " + out);
    }

    private static Map<String, Object> percentiles(String name, Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        synchronized (h) {
            m.put(name + "P50Ms", h.getValueAtPercentile(50) / 1000.0);
            m.put(name + "P99Ms", h.getValueAtPercentile(99) / 1000.0);
            m.put(name + "P999Ms", h.getValueAtPercentile(99.9) / 1000.0);
            m.put(name + "MaxMs", h.getMaxValue() / 1000.0);
        }
        return m;
    }

    private static Thread started(Thread t) {
        t.start();
        return t;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static void sleepUntil(long epochMillis) throws InterruptedException {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    /** What the devices of one scenario share: its clock and its counters. */
    private static final class Fleet {
        final CountDownLatch connected;
        final CountDownLatch started = new CountDownLatch(1);
        final long periodMillis;
        volatile long t0;
        volatile long measureFrom;
        volatile long measureTo;
        final AtomicLong acked = new AtomicLong();
        /** PUBACKs of the whole scenario, warm-up included. */
        final AtomicLong ackedAll = new AtomicLong();

        final AtomicLong retransmits = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicLong handshakeFailures = new AtomicLong();
        final AtomicLong delivered = new AtomicLong();
        /** Microseconds. */
        final Histogram fromIntended = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);

        final Histogram publishToAck = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
        /** Milliseconds. */
        final Histogram handshakeMs = new Histogram(TimeUnit.MINUTES.toMillis(10), 3);

        Fleet(int devices, long periodMillis) {
            this.connected = new CountDownLatch(devices);
            this.periodMillis = periodMillis;
        }

        void start(long t0Millis) {
            this.t0 = t0Millis;
            started.countDown();
        }

        void record(long intendedMillis, long intendedNanos, long sentNanos, long ackNanos) {
            ackedAll.incrementAndGet();
            if (intendedMillis < measureFrom || intendedMillis >= measureTo) {
                return;
            }
            acked.incrementAndGet();
            synchronized (fromIntended) {
                fromIntended.recordValue(Math.max(0, (ackNanos - intendedNanos) / 1000));
            }
            synchronized (publishToAck) {
                publishToAck.recordValue(Math.max(0, (ackNanos - sentNanos) / 1000));
            }
        }
    }

    /** One simulated sensor: its DTLS association, its msg ids and seqs. One thread at a time. */
    private static final class Device {
        final String id;
        final byte[] psk;
        final InetSocketAddress gateway;
        final Fleet fleet;

        @Nullable
        DtlsPskLink link;

        int msgId;
        long seq;
        boolean asleep;

        Device(String id, byte[] psk, InetSocketAddress gateway, Fleet fleet) {
            this.id = id;
            this.psk = psk;
            this.gateway = gateway;
            this.fleet = fleet;
        }

        void fleetLife(Semaphore slots) {
            try {
                handshake(slots);
                connect();
                fleet.connected.countDown();
                fleet.started.await();
                long phase = ThreadLocalRandom.current().nextLong(fleet.periodMillis);
                // intended send times in epoch millis, paired with a nanoTime for the latency
                long baseNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
                for (long intended = fleet.t0 + phase; intended < fleet.measureTo; intended += fleet.periodMillis) {
                    sleepUntil(intended);
                    long intendedNanos = baseNanos + TimeUnit.MILLISECONDS.toNanos(intended);
                    if (asleep) {
                        wake();
                        connect();
                    }
                    publish(intended, intendedNanos, fleet);
                    request(SnCodec.disconnect(Duration.ofSeconds(SLEEP_SECONDS)), SnCodec.DISCONNECT);
                    asleep = true;
                }
            } catch (Exception e) {
                fleet.failures.incrementAndGet();
                log.warn("device failed id={} error={}", id, e.toString());
                fleet.connected.countDown();
            }
        }

        void burst(Fleet burst) {
            try {
                if (asleep) {
                    wake();
                    connect();
                    asleep = false;
                }
                long now;
                while ((now = System.currentTimeMillis()) < burst.measureTo) {
                    long nanos = System.nanoTime();
                    publish(now, nanos, burst);
                }
            } catch (Exception e) {
                burst.failures.incrementAndGet();
                log.warn("device burst failed id={} error={}", id, e.toString());
            }
        }

        private void handshake(Semaphore slots) throws Exception {
            for (int attempt = 1; ; attempt++) {
                slots.acquire();
                long t = System.nanoTime();
                try {
                    link = DtlsPskLink.connect(gateway, id, psk, Duration.ofSeconds(10));
                    synchronized (fleet.handshakeMs) {
                        fleet.handshakeMs.recordValue((System.nanoTime() - t) / 1_000_000);
                    }
                    return;
                } catch (IOException e) {
                    fleet.handshakeFailures.incrementAndGet();
                    if (attempt >= 5) {
                        throw e;
                    }
                } finally {
                    slots.release();
                }
                Thread.sleep(ThreadLocalRandom.current().nextLong(200, 1000L * attempt));
            }
        }

        private void connect() throws IOException {
            SnCodec.Packet ack = request(SnCodec.connect(id, false, KEEP_ALIVE_SECONDS), SnCodec.CONNACK);
            if (ack == null || ack.returnCode() != SnCodec.ACCEPTED) {
                throw new IOException("CONNACK " + (ack == null ? "timeout" : "rc=" + ack.returnCode()));
            }
            asleep = false;
        }

        private void wake() throws IOException {
            if (request(SnCodec.pingreq(id), SnCodec.PINGRESP) == null) {
                throw new IOException("no PINGRESP on wake");
            }
        }

        private void publish(long intendedMillis, long intendedNanos, Fleet f) throws IOException {
            seq++;
            msgId = msgId % 65_535 + 1;
            byte[] data = ("{\"boot\":1,\"seq\":" + seq + ",\"ts\":" + intendedMillis
                            + ",\"fw\":\"1.2.0\",\"battery_mv\":2950,\"temp_c\":21.4,\"humidity_pct\":40.2}")
                    .getBytes(StandardCharsets.US_ASCII);
            long sent = System.nanoTime();
            for (int attempt = 0; attempt < 4; attempt++) {
                if (attempt > 0) {
                    f.retransmits.incrementAndGet();
                }
                send(SnCodec.publish(
                        SnCodec.Qos.AT_LEAST_ONCE,
                        attempt > 0,
                        SnCodec.TOPIC_PREDEFINED,
                        PredefinedTopics.TELEMETRY,
                        msgId,
                        data));
                SnCodec.Packet ack = await(SnCodec.PUBACK, msgId);
                if (ack != null) {
                    if (ack.returnCode() != SnCodec.ACCEPTED) {
                        throw new IOException("PUBACK rc=" + ack.returnCode());
                    }
                    f.record(intendedMillis, intendedNanos, sent, System.nanoTime());
                    return;
                }
            }
            throw new IOException("no PUBACK for msg id " + msgId);
        }

        /** Sends {@code packet} until its answer of {@code type} comes (a datagram may be lost), at most 3 times. */
        private SnCodec.@Nullable Packet request(byte[] packet, int type) throws IOException {
            for (int attempt = 0; attempt < 3; attempt++) {
                if (attempt > 0) {
                    fleet.retransmits.incrementAndGet();
                }
                send(packet);
                SnCodec.Packet answer = await(type, -1);
                if (answer != null) {
                    return answer;
                }
            }
            return null;
        }

        private void send(byte[] packet) throws IOException {
            requireLink().send(packet);
        }

        private DtlsPskLink requireLink() {
            DtlsPskLink l = link;
            if (l == null) {
                throw new IllegalStateException("no DTLS association");
            }
            return l;
        }

        /** The next packet of {@code type} (and {@code msgId} unless -1); acks a gateway's QoS 1 PUBLISH on the way. */
        private SnCodec.@Nullable Packet await(int type, int wantedMsgId) throws IOException {
            long deadline = System.nanoTime() + REPLY_TIMEOUT.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                byte[] raw = requireLink().receive(Duration.ofNanos(left));
                if (raw == null) {
                    return null;
                }
                SnCodec.Packet p = SnCodec.decode(raw);
                if (p.type() == SnCodec.PUBLISH) {
                    fleet.delivered.incrementAndGet();
                    if (p.qos() == SnCodec.Qos.AT_LEAST_ONCE) {
                        send(SnCodec.puback(p.topicId(), p.msgId(), SnCodec.ACCEPTED));
                    }
                } else if (p.type() == type && (wantedMsgId < 0 || p.msgId() == wantedMsgId)) {
                    return p;
                }
            }
        }
    }
}
