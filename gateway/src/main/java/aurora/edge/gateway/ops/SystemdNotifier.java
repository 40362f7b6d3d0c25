package aurora.edge.gateway.ops;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd how the service is doing ({@code sd_notify}): {@code READY=1} once the gateway
 * serves, {@code WATCHDOG=1} while the pipeline moves, {@code STOPPING=1} on a graceful stop.
 *
 * <p>{@code NOTIFY_SOCKET} is a unix datagram socket, which the JDK cannot open, so the datagrams go
 * through Netty's native epoll transport (x86_64 and aarch64 natives are on the classpath). Without
 * {@code NOTIFY_SOCKET} (not started by systemd, or not {@code Type=notify}) every call is a no-op.
 * No method throws: a failed send is logged and counted in {@link #failures()}.
 */
public final class SystemdNotifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(2);

    private final @Nullable Transport transport;
    private final Optional<Duration> watchdogInterval;
    private final AtomicLong failures = new AtomicLong();
    private volatile String readyStatus = "";
    private volatile @Nullable String stallReported;

    private SystemdNotifier(@Nullable Transport transport, Optional<Duration> watchdogInterval) {
        this.transport = transport;
        this.watchdogInterval = watchdogInterval;
    }

    /**
     * Reads {@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC} and {@code WATCHDOG_PID} the way
     * {@code sd_notify(3)} and {@code sd_watchdog_enabled(3)} do; a leading {@code @} in the socket
     * path names an abstract socket.
     */
    public static SystemdNotifier fromEnvironment(Map<String, String> env) {
        String socket = env.getOrDefault("NOTIFY_SOCKET", "");
        if (socket.isEmpty()) {
            log.info("systemd notify off reason=NOTIFY_SOCKET_not_set");
            return new SystemdNotifier(null, Optional.empty());
        }
        if (!Epoll.isAvailable()) {
            log.warn(
                    "systemd notify off reason=epoll_unavailable notify_socket={} error={}",
                    socket,
                    Epoll.unavailabilityCause().toString());
            return new SystemdNotifier(null, Optional.empty());
        }
        Transport transport;
        try {
            transport = new Transport(socket.startsWith("@") ? "\0" + socket.substring(1) : socket);
        } catch (RuntimeException e) {
            log.warn("systemd notify off reason=socket_failed notify_socket={} error={}", socket, e.toString());
            return new SystemdNotifier(null, Optional.empty());
        }
        Optional<Duration> interval = watchdogInterval(env);
        log.info(
                "systemd notify on notify_socket={} watchdog_interval={}",
                socket,
                interval.map(Duration::toString).orElse("off"));
        return new SystemdNotifier(transport, interval);
    }

    /** Half of {@code WATCHDOG_USEC}, as {@code sd_watchdog_enabled(3)} advises; empty if the watchdog is not for this process. */
    private static Optional<Duration> watchdogInterval(Map<String, String> env) {
        String usec = env.getOrDefault("WATCHDOG_USEC", "");
        if (usec.isEmpty()) {
            return Optional.empty();
        }
        String pid = env.getOrDefault("WATCHDOG_PID", "");
        if (!pid.isEmpty() && !pid.equals(Long.toString(ProcessHandle.current().pid()))) {
            log.info("systemd watchdog off reason=WATCHDOG_PID_is_another_process watchdog_pid={}", pid);
            return Optional.empty();
        }
        try {
            long micros = Long.parseLong(usec);
            if (micros <= 0) {
                throw new NumberFormatException("must be > 0");
            }
            return Optional.of(Duration.ofNanos(micros * 1000 / 2));
        } catch (NumberFormatException e) {
            log.warn("systemd watchdog off reason=bad_WATCHDOG_USEC value={}", usec);
            return Optional.empty();
        }
    }

    /** True when datagrams are sent, i.e. the process runs under {@code Type=notify}. */
    public boolean enabled() {
        return transport != null;
    }

    /** {@code READY=1} plus a one-line status ({@code systemctl status} shows it). */
    public void ready(String status) {
        readyStatus = oneLine(status);
        send("READY=1\nSTATUS=" + readyStatus);
    }

    /** {@code WATCHDOG=1}: the service is alive; systemd restarts it if this stops for {@code WatchdogSec}. */
    public void watchdog() {
        send("WATCHDOG=1");
    }

    /** {@code STOPPING=1}: a graceful stop has begun. */
    public void stopping() {
        send("STOPPING=1\nSTATUS=stopping");
    }

    /** How often to call {@link #watchdog()}: half of {@code WatchdogSec}; empty when no watchdog is armed. */
    public Optional<Duration> watchdogInterval() {
        return watchdogInterval;
    }

    /** Datagrams that could not be sent since start. */
    public long failures() {
        return failures.get();
    }

    /**
     * Feeds the watchdog every {@link #watchdogInterval()} for as long as {@code stallReason} returns
     * empty. While it returns a reason the watchdog is starved (systemd restarts the service once
     * {@code WatchdogSec} passes), the reason is logged once and shown as the unit's status; if the
     * pipeline moves again before that, feeding resumes. Returns empty when no watchdog is armed.
     */
    public Optional<ScheduledFuture<?>> scheduleWatchdog(
            ScheduledExecutorService scheduler, Supplier<Optional<String>> stallReason) {
        if (transport == null || watchdogInterval.isEmpty()) {
            return Optional.empty();
        }
        long periodMicros = watchdogInterval.get().toNanos() / 1000;
        return Optional.of(scheduler.scheduleAtFixedRate(
                () -> feedUnlessStalled(stallReason), 0, periodMicros, TimeUnit.MICROSECONDS));
    }

    private void feedUnlessStalled(Supplier<Optional<String>> stallReason) {
        Optional<String> stalled;
        try {
            stalled = stallReason.get();
        } catch (RuntimeException e) {
            stalled = Optional.of("stall check failed: " + e);
        }
        if (stalled.isPresent()) {
            String reason = oneLine(stalled.get());
            if (!reason.equals(stallReported)) {
                stallReported = reason;
                log.error("systemd watchdog starved reason=\"{}\"", reason);
                send("STATUS=stalled: " + reason);
            }
            return;
        }
        if (stallReported != null) {
            stallReported = null;
            log.info("systemd watchdog fed again: pipeline moves");
            send("STATUS=" + readyStatus);
        }
        watchdog();
    }

    private void send(String message) {
        if (transport == null) {
            return;
        }
        try {
            transport.send(message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed(message, e);
        } catch (Exception e) {
            failed(message, e);
        }
    }

    private void failed(String message, Exception e) {
        long n = failures.incrementAndGet();
        log.warn("systemd notify failed message={} failures={} error={}", message.replace('\n', ' '), n, e.toString());
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n]+", " ");
    }

    @Override
    public void close() {
        if (transport != null) {
            transport.close();
        }
    }

    /** One unbound unix datagram socket on a one-thread epoll loop; each message is a {@code sendto}. */
    private static final class Transport {
        private final EventLoopGroup group;
        private final Channel channel;
        private final DomainSocketAddress target;

        // Netty deprecates the option without naming a replacement; an unbound domain datagram channel is only
        // active (able to send) after register() with it.
        @SuppressWarnings("deprecation")
        Transport(String path) {
            this.target = new DomainSocketAddress(path);
            this.group = new MultiThreadIoEventLoopGroup(
                    1, new DefaultThreadFactory("systemd-notify", true), EpollIoHandler.newFactory());
            try {
                ChannelFuture registered = new Bootstrap()
                        .group(group)
                        .channel(EpollDomainDatagramChannel.class)
                        .option(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true)
                        .handler(new ChannelInboundHandlerAdapter())
                        .register();
                if (!registered.awaitUninterruptibly(SEND_TIMEOUT.toMillis()) || !registered.isSuccess()) {
                    throw new IllegalStateException("cannot open a unix datagram socket", registered.cause());
                }
                this.channel = registered.channel();
            } catch (RuntimeException e) {
                group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
                throw e;
            }
        }

        void send(String message) throws Exception {
            var packet = new DomainDatagramPacket(Unpooled.copiedBuffer(message, StandardCharsets.UTF_8), target);
            ChannelFuture sent = channel.writeAndFlush(packet);
            if (!sent.await(SEND_TIMEOUT.toMillis())) {
                throw new IllegalStateException("send timed out after " + SEND_TIMEOUT.toMillis() + " ms");
            }
            if (!sent.isSuccess()) {
                throw sent.cause() instanceof Exception e ? e : new IllegalStateException(sent.cause());
            }
        }

        void close() {
            channel.close().awaitUninterruptibly(SEND_TIMEOUT.toMillis());
            group.shutdownGracefully(0, SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(SEND_TIMEOUT.toMillis());
        }
    }
}
