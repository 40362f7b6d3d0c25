package aurora.edge.bench.sidebyside;

import aurora.edge.sim.DeviceCredentials;
import aurora.edge.sim.SiteKeyFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The side-by-side bench's load generator, in its own JVM: one MQTT 3.1.1 connection per device
 * (clean session, QoS 1), all driven by one NIO selector thread. Prints {@code PHASE measure-start}
 * and {@code PHASE measure-end} on standard output when the measured window opens and closes (the
 * orchestrator samples the systems' CPU then) and writes its figures as JSON to {@code resultFile}.
 * Latency is taken from the intended send time (no coordinated omission) into HdrHistograms in µs.
 *
 * <p>Usage: {@code LoadGenerator port=1883 mode=burst devices=16 window=32 seconds=20 ...} (see {@link LoadSpec}).
 */
public final class LoadGenerator {
    private static final int KEEP_ALIVE_SECONDS = 600;
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final long CONNECT_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(300);

    private final LoadSpec spec;
    private final GenDevice[] devices;
    private final Selector selector;
    private final byte[] siteKey;
    private final InetAddress address;
    private final long boot = System.currentTimeMillis() / 1000;
    private final Histogram puback = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
    private final Histogram durable = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
    private final long epochMillisAtBase = System.currentTimeMillis();
    private final long nanosAtBase = System.nanoTime();

    private boolean loading;
    private long measureFrom = Long.MAX_VALUE;
    private long measureTo = Long.MAX_VALUE;
    private int pendingConnects;
    private int ready;
    private int refused;
    private int disconnected;
    private long sent;
    private long pubacks;
    private long pubacksMeasured;
    private long bufferFull;
    private long durableRingOverrun;

    private LoadGenerator(LoadSpec spec) throws IOException {
        this.spec = spec;
        this.selector = Selector.open();
        this.address = InetAddress.getAllByName(spec.host())[0];
        this.siteKey = spec.credentials() && !spec.siteKeyFile().isEmpty()
                ? SiteKeyFile.read(Path.of(spec.siteKeyFile()))
                : new byte[0];
        boolean burst = spec.mode() == LoadSpec.Mode.BURST;
        int buffer = burst ? 64 * 1024 : 4 * 1024;
        int ring = burst ? Integer.highestOneBit(Math.max(spec.window(), 1024) * 32) : 256;
        this.devices = new GenDevice[spec.devices()];
        for (int i = 0; i < devices.length; i++) {
            devices[i] =
                    new GenDevice(String.format(java.util.Locale.ROOT, "%s-%05d", spec.idPrefix(), i), buffer, ring);
        }
    }

    public static void main(String[] args) throws Exception {
        LoadSpec spec = LoadSpec.parse(args);
        LoadGenerator generator = new LoadGenerator(spec);
        Map<String, Object> result = generator.run();
        ResultJson.write(Path.of(spec.resultFile()), result);
        System.out.println("PHASE done");
        System.out.flush();
        System.exit(0);
    }

    private Map<String, Object> run() throws IOException {
        long connectStart = System.nanoTime();
        connectAll();
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        double cpuBefore = ProcStat.ownCpuSeconds();
        long start = System.nanoTime();
        measureFrom = start + TimeUnit.SECONDS.toNanos(spec.warmupSeconds());
        measureTo = measureFrom + TimeUnit.SECONDS.toNanos(spec.seconds());
        loading = true;
        double[] cpuWindow = new double[2];
        switch (spec.mode()) {
            case BURST -> burst(cpuWindow);
            case FLEET -> fleet(start, cpuWindow);
            case IDLE -> idle(cpuWindow);
        }
        loading = false;
        long drainStart = System.nanoTime();
        drain();
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", spec.mode().name().toLowerCase(java.util.Locale.ROOT));
        r.put("devices", spec.devices());
        r.put("connected", ready);
        r.put("refused", refused);
        r.put("disconnected", disconnected);
        r.put("connectSeconds", connectSeconds);
        r.put("measuredSeconds", spec.seconds());
        r.put("sent", sent);
        r.put("pubacks", pubacks);
        r.put("pubacksMeasured", pubacksMeasured);
        r.put("msgsPerSecond", pubacksMeasured / (double) spec.seconds());
        r.put("unackedAtEnd", Arrays.stream(devices).mapToLong(d -> d.inFlight).sum());
        r.put("bufferFull", bufferFull);
        r.put("drainSeconds", drainSeconds);
        r.put("puback", ResultJson.percentiles(puback));
        if (spec.subscribeAcks()) {
            r.put("durableAck", ResultJson.percentiles(durable));
            r.put(
                    "durableMissingAtEnd",
                    Arrays.stream(devices)
                            .mapToLong(d -> d.nextSeq - 1 - d.durableUpTo)
                            .sum());
            r.put("durableRingOverrun", durableRingOverrun);
        }
        r.put("generatorCpuSecondsMeasured", cpuWindow[1] - cpuWindow[0]);
        r.put("generatorCpuSecondsTotal", ProcStat.ownCpuSeconds() - cpuBefore);
        r.put("generatorCoreShare", (cpuWindow[1] - cpuWindow[0]) / spec.seconds());
        return r;
    }

    // ---- phases ----

    private void connectAll() throws IOException {
        long deadline = System.nanoTime() + CONNECT_DEADLINE_NANOS;
        int next = 0;
        while (ready + refused + disconnected < devices.length) {
            while (pendingConnects < spec.connectConcurrency() && next < devices.length) {
                open(devices[next++]);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + ready + " of " + devices.length + " devices connected");
            }
            selectAndHandle(100);
        }
        if (ready == 0) {
            throw new IllegalStateException("no device connected (" + refused + " refused)");
        }
    }

    private void burst(double[] cpu) throws IOException {
        long now = System.nanoTime();
        for (GenDevice d : devices) {
            if (d.state == GenDevice.State.READY) {
                for (int i = 0; i < spec.window(); i++) {
                    publish(d, now);
                }
                flush(d);
            }
        }
        runUntil(measureTo, cpu, null);
    }

    private void fleet(long start, double[] cpu) throws IOException {
        long period = (long) (1e9 / spec.rateHz());
        SplittableRandom random = new SplittableRandom(1);
        long[] phase = new long[devices.length];
        Integer[] order = new Integer[devices.length];
        for (int i = 0; i < devices.length; i++) {
            phase[i] = random.nextLong(period);
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> phase[i]));
        long[] cursor = {0, 0}; // index into order, cycle
        runUntil(measureTo, cpu, now -> {
            long due = start + phase[order[(int) cursor[0]]] + cursor[1] * period;
            while (due <= now) {
                GenDevice d = devices[order[(int) cursor[0]]];
                if (d.state == GenDevice.State.READY) {
                    publish(d, due);
                    flush(d);
                }
                if (++cursor[0] == devices.length) {
                    cursor[0] = 0;
                    cursor[1]++;
                }
                due = start + phase[order[(int) cursor[0]]] + cursor[1] * period;
            }
            return due;
        });
    }

    private void idle(double[] cpu) throws IOException {
        runUntil(measureTo, cpu, null);
    }

    /** Schedules sends (when {@code schedule} is set) and handles I/O until {@code end}; notes CPU at the window's edges. */
    private void runUntil(long end, double[] cpu, Schedule schedule) throws IOException {
        boolean started = false;
        while (true) {
            long now = System.nanoTime();
            if (!started && now >= measureFrom) {
                started = true;
                cpu[0] = ProcStat.ownCpuSeconds();
                System.out.println("PHASE measure-start");
                System.out.flush();
            }
            if (now >= end) {
                cpu[1] = ProcStat.ownCpuSeconds();
                System.out.println("PHASE measure-end");
                System.out.flush();
                return;
            }
            long wake = started ? end : measureFrom;
            if (schedule != null) {
                wake = Math.min(wake, schedule.fireDue(now));
            }
            long waitMillis = Math.max(1, (wake - System.nanoTime() + 999_999) / 1_000_000);
            selectAndHandle(waitMillis);
        }
    }

    @FunctionalInterface
    private interface Schedule {
        /** Sends what is due at {@code now}; returns when the next send is due. */
        long fireDue(long now) throws IOException;
    }

    private void drain() throws IOException {
        long deadline = System.nanoTime() + DRAIN_NANOS;
        while (System.nanoTime() < deadline) {
            boolean open = false;
            for (GenDevice d : devices) {
                if (d.state == GenDevice.State.READY
                        && (d.inFlight > 0 || (spec.subscribeAcks() && d.durableUpTo < d.nextSeq - 1))) {
                    open = true;
                    break;
                }
            }
            if (!open) {
                return;
            }
            selectAndHandle(20);
        }
    }

    // ---- I/O ----

    private void open(GenDevice d) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        d.channel = ch;
        d.state = GenDevice.State.CONNECTING;
        pendingConnects++;
        if (ch.connect(new InetSocketAddress(address, spec.port()))) {
            d.key = ch.register(selector, SelectionKey.OP_READ, d);
            sendConnect(d);
        } else {
            d.key = ch.register(selector, SelectionKey.OP_CONNECT, d);
        }
    }

    private void sendConnect(GenDevice d) throws IOException {
        String user = "";
        String password = "";
        if (spec.credentials()) {
            user = d.id;
            password =
                    siteKey.length > 0 ? DeviceCredentials.derive(siteKey, d.id).password() : "bench";
        }
        MqttWire.connect(d.out, d.id, user, password, KEEP_ALIVE_SECONDS);
        d.state = GenDevice.State.AWAIT_CONNACK;
        flush(d);
    }

    private void selectAndHandle(long timeoutMillis) throws IOException {
        selector.select(timeoutMillis);
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            GenDevice d = (GenDevice) key.attachment();
            try {
                if (!key.isValid()) {
                    continue;
                }
                if (key.isConnectable()) {
                    d.channel.finishConnect();
                    key.interestOps(SelectionKey.OP_READ);
                    sendConnect(d);
                    continue;
                }
                if (key.isWritable()) {
                    flush(d);
                }
                if (key.isReadable()) {
                    read(d);
                }
            } catch (IOException e) {
                gone(d);
            }
        }
    }

    private void read(GenDevice d) throws IOException {
        int n = d.channel.read(d.in);
        if (n < 0) {
            gone(d);
            return;
        }
        ByteBuffer in = d.in;
        in.flip();
        long now = System.nanoTime();
        while (true) {
            int length = MqttWire.packetLength(in);
            if (length < 0) {
                break;
            }
            int start = in.position();
            handle(d, in, start, length, now);
            in.position(start + length);
        }
        in.compact();
        if (!in.hasRemaining()) {
            throw new IllegalStateException("a broker packet larger than the generator's buffer");
        }
        flush(d);
    }

    private void handle(GenDevice d, ByteBuffer in, int start, int length, long now) throws IOException {
        int type = (in.get(start) & 0xFF) >> 4;
        int body = MqttWire.bodyOffset(in, start);
        switch (type) {
            case MqttWire.CONNACK -> {
                if (in.get(body + 1) != 0) {
                    refused++;
                    pendingConnects--;
                    d.state = GenDevice.State.GONE;
                    d.channel.close();
                } else if (spec.subscribeAcks()) {
                    MqttWire.subscribe(d.out, 1, d.ackFilter);
                    d.state = GenDevice.State.AWAIT_SUBACK;
                } else {
                    becomeReady(d);
                }
            }
            case MqttWire.SUBACK -> becomeReady(d);
            case MqttWire.PUBACK -> {
                int packetId = in.getShort(body) & 0xFFFF;
                long seq = d.seqOf(packetId);
                long intended = d.intendedOf(seq);
                d.inFlight--;
                pubacks++;
                if (intended >= measureFrom && intended < measureTo) {
                    pubacksMeasured++;
                    puback.recordValue(Math.max(0, (now - intended) / 1000));
                }
                if (loading && spec.mode() == LoadSpec.Mode.BURST && now < measureTo) {
                    publish(d, now);
                }
            }
            case MqttWire.PUBLISH -> {
                int qos = (in.get(start) >> 1) & 3;
                int topicLength = in.getShort(body) & 0xFFFF;
                int p = body + 2 + topicLength;
                if (qos > 0) {
                    MqttWire.puback(d.out, in.getShort(p) & 0xFFFF);
                    p += 2;
                }
                long seq = MqttWire.seqField(in, p, start + length);
                for (long s = d.durableUpTo + 1; s <= seq && s < d.nextSeq; s++) {
                    long intended = d.intendedOf(s);
                    if (intended < 0) {
                        durableRingOverrun++;
                    } else if (intended >= measureFrom && intended < measureTo) {
                        durable.recordValue(Math.max(0, (now - intended) / 1000));
                    }
                }
                d.durableUpTo = Math.max(d.durableUpTo, Math.min(seq, d.nextSeq - 1));
            }
            default -> {
                // PINGRESP and anything else: nothing to do
            }
        }
    }

    private void becomeReady(GenDevice d) {
        d.state = GenDevice.State.READY;
        ready++;
        pendingConnects--;
    }

    private void publish(GenDevice d, long intendedNanos) {
        long seq = d.nextSeq;
        long ts = epochMillisAtBase + (intendedNanos - nanosAtBase) / 1_000_000;
        if (d.out.remaining() < MqttWire.publishSize(d.topic, seq, boot, ts)) {
            bufferFull++;
            return;
        }
        MqttWire.publish(d.out, d.topic, GenDevice.packetId(seq), seq, boot, ts);
        d.sent(seq, intendedNanos);
        d.nextSeq++;
        d.inFlight++;
        sent++;
    }

    private void flush(GenDevice d) throws IOException {
        if (d.out.position() == 0 || d.state == GenDevice.State.GONE) {
            return;
        }
        d.out.flip();
        d.channel.write(d.out);
        d.out.compact();
        int ops = SelectionKey.OP_READ | (d.out.position() > 0 ? SelectionKey.OP_WRITE : 0);
        if (d.key.interestOps() != ops) {
            d.key.interestOps(ops);
        }
    }

    private void gone(GenDevice d) {
        if (d.state == GenDevice.State.GONE) {
            return;
        }
        if (d.state == GenDevice.State.READY) {
            ready--;
        } else {
            pendingConnects--;
        }
        disconnected++;
        d.state = GenDevice.State.GONE;
        try {
            d.channel.close();
        } catch (IOException ignored) {
            // closing a dead socket
        }
    }

    static List<String> javaCommand(String heap, LoadSpec spec) {
        List<String> cmd = new ArrayList<>(List.of(
                ProcStat.javaBinary(),
                "-Xmx" + heap,
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                LoadGenerator.class.getName()));
        cmd.addAll(List.of(spec.toArgs()));
        return cmd;
    }
}
