package aurora.edge.sim;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N simulated devices in one JVM: one shared scheduler with a few threads, one shared HiveMQ client executor config,
 * a cap on concurrent CONNECTs, no thread per device.
 *
 * <pre>{@code
 * try (Fleet fleet = Fleet.start(FleetSpec.builder("127.0.0.1", port, siteKey).deviceCount(200).build())) {
 *     await().until(() -> fleet.stats().sent() >= 1000);
 *     fleet.stopPublishing();
 *     await().until(() -> fleet.stats().unacked() == 0);
 *     List<String> ids = fleet.sentMessageIds();
 * }
 * }</pre>
 */
public final class Fleet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Fleet.class);
    /** Threads of the shared scheduler. */
    static final int THREADS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    /**
     * Threads of the Netty event loop all HiveMQ clients of this JVM share. Other HiveMQ clients in the same JVM
     * (tests, bench) should ask for the same count, or HiveMQ logs a WARN for every client built with another one.
     */
    public static final int NETTY_THREADS = THREADS;

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** How often (simulated) a relay's own device reports its status: a low rate beside its children's. */
    static final Duration RELAY_STATUS_INTERVAL = Duration.ofMinutes(1);
    /** A relay is mains-powered: a cell it never empties. */
    private static final double RELAY_CELLS = 1e6;

    private final FleetSpec spec;
    private final long boot;
    private final ScheduledThreadPoolExecutor scheduler;
    private final FleetCounters counters = new FleetCounters();
    private final List<SimDevice> devices;
    /** On {@code mqttsn-relay}: the relay itself, an attested device of its own; not one of {@link #devices}. */
    private final @Nullable SimDevice relay;

    private final FleetCounters relayCounters = new FleetCounters();
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private final CompletableFuture<Void> publishingStopped = new CompletableFuture<>();
    private final AtomicInteger doneProducing = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final VirtualClock virtualClock;
    private final Wires wires;
    private final RateMeter rate;
    private final Histogram latency = new Histogram(3_600_000_000L, 3);

    private Fleet(FleetSpec spec, Clock clock, DeviceConnection.Factory connectionsOverride) {
        this.spec = spec;
        this.boot = spec.boot() != null ? spec.boot() : clock.instant().getEpochSecond();
        this.virtualClock = new VirtualClock(clock.millis(), spec.acceleration(), System::nanoTime);
        this.scheduler = new ScheduledThreadPoolExecutor(THREADS, daemonThreads("device-sim-"));
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.wires = new Wires(spec, scheduler);
        DeviceConnection.Factory connections =
                connectionsOverride != null ? connectionsOverride : wires.factory(NETTY_THREADS);
        ConnectGate gate = new ConnectGate(spec.maxConcurrentConnects(), scheduler);
        long maxMessages = spec.maxMessagesPerDevice() == null ? Long.MAX_VALUE : spec.maxMessagesPerDevice();
        long intervalNanos = Math.max(1, Math.round(1e9 / spec.messagesPerSecondPerDevice()));
        long durationNanos =
                spec.duration() == null ? Long.MAX_VALUE : spec.duration().toNanos();
        SimDevice.Settings settings = new SimDevice.Settings(
                boot,
                spec.alertShare(),
                spec.ringCapacity(),
                maxMessages,
                spec.reconnect(),
                intervalNanos,
                durationNanos,
                spec.model(),
                spec.protocol());
        DeviceLink.Environment env =
                new DeviceLink.Environment(scheduler, gate, counters, virtualClock, new Firmware(), this::deviceDone);
        byte[] siteKey = spec.siteKey();
        HostileRule[] rules = Assignments.assign(spec);
        SplittableRandom seeds = new SplittableRandom(spec.seed());
        SplittableRandom fleetRandom = new SplittableRandom(spec.seed() ^ 0x5DEECE66DL);
        long pollNanos = spec.model().pollInterval().toNanos();
        List<SimDevice> list = new ArrayList<>(spec.deviceCount());
        for (int i = 0; i < spec.deviceCount(); i++) {
            String id = spec.deviceId(i);
            DeviceCredentials credentials = DeviceCredentials.derive(siteKey, id);
            if (rules[i] != null && rules[i].behaviour() == Behaviour.WRONG_PASSWORD) {
                credentials = new DeviceCredentials(id, "not-" + credentials.password());
            }
            // Each device wakes and polls at its own phase, so the fleet's load is spread evenly.
            SimDevice.Profile profile = new SimDevice.Profile(
                    i,
                    Firmware.boardOf(spec.firstIndex() + i), // the board the endorsement list has for this id
                    rules[i],
                    spec.deviceId((i + 1) % spec.deviceCount()),
                    capacity(fleetRandom),
                    (long) (fleetRandom.nextDouble() * intervalNanos),
                    (long) (fleetRandom.nextDouble() * pollNanos));
            list.add(new SimDevice(credentials, settings, profile, env, seeds.split(), connections));
        }
        this.devices = List.copyOf(list);
        this.relay = connectionsOverride != null
                ? null
                : wires.relayFactory()
                        .map(f -> relayDevice(settings, env, seeds.split(), f))
                        .orElse(null);
        this.rate = new RateMeter(counters, clock);
    }

    /**
     * The relay's own device: the same firmware and attestation as its children, honest, on the relay's own
     * session; its counters and reports are kept apart from the fleet's (which count the children only).
     */
    private SimDevice relayDevice(
            SimDevice.Settings fleet, DeviceLink.Environment env, SplittableRandom random, DeviceConnection.Factory f) {
        String id = spec.wire().relayId();
        long intervalNanos = Math.max(fleet.intervalNanos(), RELAY_STATUS_INTERVAL.toNanos());
        SimDevice.Settings settings = new SimDevice.Settings(
                fleet.boot(),
                0,
                fleet.ringCapacity(),
                fleet.maxMessages(),
                fleet.reconnect(),
                intervalNanos,
                fleet.durationNanos(),
                fleet.model(),
                fleet.protocol());
        DeviceLink.Environment own = new DeviceLink.Environment(
                env.scheduler(), env.gate(), relayCounters, env.clock(), env.firmware(), () -> {});
        SimDevice.Profile profile = new SimDevice.Profile(
                -1, Firmware.RELAY_BOARD, null, null, BatteryModel.usableMicroCoulombs() * RELAY_CELLS, 0, 0);
        return new SimDevice(DeviceCredentials.derive(spec.siteKey(), id), settings, profile, own, random, f);
    }

    /** Usable charge of one cell: the typical derated cell, spread by the model, halved for a bad batch. */
    private double capacity(SplittableRandom random) {
        DeviceModel model = spec.model();
        double spread = Math.max(0.5, 1 + model.capacitySpread() * random.nextGaussian());
        double badBatch = random.nextDouble() < model.badBatchShare() ? 0.5 : 1;
        return BatteryModel.usableMicroCoulombs() * spread * badBatch;
    }

    /** Builds the devices, requests their connections (at most maxConcurrentConnects at a time) and starts them. */
    public static Fleet start(FleetSpec spec) {
        return start(spec, Clock.systemUTC(), null);
    }

    static Fleet start(FleetSpec spec, Clock clock, DeviceConnection.Factory connections) {
        Fleet fleet = new Fleet(spec, clock, connections);
        fleet.startDevices();
        return fleet;
    }

    private void startDevices() {
        log.info(
                "fleet starting devices={} first_id={} boot={} rate_per_device={} acceleration={} alert_share={} ring={}"
                        + " model={} hostile_rules={} broker={}:{}",
                spec.deviceCount(),
                spec.deviceId(0),
                boot,
                spec.messagesPerSecondPerDevice(),
                spec.acceleration(),
                spec.alertShare(),
                spec.ringCapacity(),
                spec.model(),
                spec.hostile().size(),
                spec.host(),
                spec.port());
        synchronized (tasks) {
            for (SimDevice device : devices) {
                device.startCycle();
            }
            if (relay != null) {
                relay.startCycle();
            }
            tasks.add(scheduler.scheduleAtFixedRate(rate::sample, 1, 1, TimeUnit.SECONDS));
        }
    }

    public FleetSpec spec() {
        return spec;
    }

    /** The boot count every device of this fleet reports (the spec's, or the start second). */
    public long boot() {
        return boot;
    }

    /** The device ids, in index order. */
    public List<String> deviceIds() {
        return devices.stream().map(SimDevice::id).toList();
    }

    public FleetStats stats() {
        return counters.snapshot(devices.size(), rate.perSecond());
    }

    /** On {@code mqttsn-relay}, the relay's own device (its attestation, its status messages); else empty. */
    public Optional<FleetStats> relayStats() {
        return relay == null ? Optional.empty() : Optional.of(relayCounters.snapshot(1, 0));
    }

    /** Every device's cell and projected life now, in device order. O(devices). */
    List<DeviceSnapshot> snapshots() {
        return devices.stream().map(SimDevice::snapshot).toList();
    }

    /** Stats, the simulated devices (battery, alerts, behaviours) and the publish → ack latency so far. O(devices). */
    public FleetReport report() {
        List<DeviceSnapshot> snapshots =
                devices.stream().map(SimDevice::snapshot).toList();
        Histogram copy;
        synchronized (latency) {
            latency.add(counters.ackLatencyMicros.getIntervalHistogram());
            copy = latency.copy();
        }
        return FleetReport.of(stats(), snapshots, counters, copy);
    }

    /** Forgets the publish → ack latencies recorded so far (a warm-up, a phase), so the next report covers only what follows. */
    public void resetLatency() {
        synchronized (latency) {
            counters.ackLatencyMicros.getIntervalHistogram();
            latency.reset();
        }
    }

    /** Simulated time since the start. */
    public Duration simulatedTime() {
        return Duration.ofNanos(virtualClock.now());
    }

    /**
     * Every message id ({@code {device_id}:{boot}:{seq}}) this fleet published at least once, per device in seq
     * order. A message pushed out of a full ring before its first publish is not in it (see
     * {@link FleetStats#droppedOnDevice()}).
     */
    public List<String> sentMessageIds() {
        List<String> ids = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8, counters.sent.sum()));
        for (SimDevice device : devices) {
            device.forEachSentId(ids::add);
        }
        return ids;
    }

    /**
     * Stops producing new messages. Devices stay connected: they reconnect, resend what is unacknowledged and take
     * acks until {@link #close()}. Idempotent.
     */
    public void stopPublishing() {
        for (SimDevice device : devices) {
            device.stopProducing();
        }
        if (relay != null) {
            relay.stopProducing();
        }
        publishingStopped.complete(null);
    }

    /**
     * Completes when devices stop producing: {@link #stopPublishing()}, or every device reached the end of the
     * spec's simulated duration, produced maxMessagesPerDevice, or ran out of charge.
     */
    public CompletableFuture<Void> publishingStopped() {
        return publishingStopped.copy();
    }

    /** Disconnects every device (waiting up to 10 s for the DISCONNECTs) and stops the scheduler. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (tasks) {
            tasks.forEach(task -> task.cancel(false));
        }
        publishingStopped.complete(null);
        CompletableFuture<?>[] disconnects = Stream.concat(devices.stream(), Stream.ofNullable(relay))
                .map(SimDevice::close)
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(disconnects).get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("fleet close: not every device disconnected within {}", CLOSE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("fleet close: disconnect failed cause={}", e.toString());
        }
        wires.close();
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        FleetStats stats = stats();
        log.info(
                "fleet closed devices={} sent={} acked={} unacked={} resent={} dropped_on_device={}",
                stats.deviceCount(),
                stats.sent(),
                stats.acked(),
                stats.unacked(),
                stats.resent(),
                stats.droppedOnDevice());
    }

    List<SimDevice> devices() {
        return devices;
    }

    private void deviceDone() {
        if (doneProducing.incrementAndGet() == devices.size()) {
            publishingStopped.complete(null);
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** First-time sends per second over the last sampled second. */
    private static final class RateMeter {
        private final FleetCounters counters;
        private final Clock clock;
        private long lastSent;
        private long lastAt;
        private volatile double perSecond;

        RateMeter(FleetCounters counters, Clock clock) {
            this.counters = counters;
            this.clock = clock;
            this.lastAt = clock.millis();
        }

        synchronized void sample() {
            long now = clock.millis();
            long sent = counters.sent.sum();
            if (now > lastAt) {
                perSecond = (sent - lastSent) * 1000.0 / (now - lastAt);
            }
            lastSent = sent;
            lastAt = now;
        }

        double perSecond() {
            return perSecond;
        }
    }
}
