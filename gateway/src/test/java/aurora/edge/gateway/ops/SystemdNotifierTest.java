package aurora.edge.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the notifier against a real unix datagram socket standing in for systemd's notify socket. */
class SystemdNotifierTest {
    private static final long WAIT_SECONDS = 5;

    @TempDir
    Path dir;

    private EventLoopGroup group;
    private Channel server;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private Path socket;

    @BeforeEach
    void listen() {
        socket = dir.resolve("notify.sock");
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        server = new Bootstrap()
                .group(group)
                .channel(EpollDomainDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket packet) {
                        received.add(packet.content().toString(StandardCharsets.UTF_8));
                    }
                })
                .bind(new DomainSocketAddress(socket.toFile()))
                .syncUninterruptibly()
                .channel();
    }

    @AfterEach
    void stop() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    private String next() throws InterruptedException {
        return received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void sendsReadyWatchdogAndStoppingAsSeparateDatagrams() throws Exception {
        try (var notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.toString()))) {
            assertThat(notifier.enabled()).isTrue();

            notifier.ready("mqtt_port=1883 http_port=9180");
            notifier.watchdog();
            notifier.stopping();

            assertThat(next()).isEqualTo("READY=1\nSTATUS=mqtt_port=1883 http_port=9180");
            assertThat(next()).isEqualTo("WATCHDOG=1");
            assertThat(next()).isEqualTo("STOPPING=1\nSTATUS=stopping");
            assertThat(notifier.failures()).isZero();
        }
    }

    @Test
    void notifySocketStartingWithAtIsAnAbstractSocket() throws Exception {
        String name = "aurora-edge-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Channel abstractServer = new Bootstrap()
                .group(group)
                .channel(EpollDomainDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket packet) {
                        received.add(packet.content().toString(StandardCharsets.UTF_8));
                    }
                })
                .bind(new DomainSocketAddress("\0" + name))
                .syncUninterruptibly()
                .channel();
        try (var notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "@" + name))) {
            notifier.watchdog();

            assertThat(next()).isEqualTo("WATCHDOG=1");
        } finally {
            abstractServer.close().syncUninterruptibly();
        }
    }

    @Test
    void statusWithLineBreaksIsSentOnOneLine() throws Exception {
        try (var notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.toString()))) {
            notifier.ready("first\nsecond");

            assertThat(next()).isEqualTo("READY=1\nSTATUS=first second");
        }
    }

    @Test
    void watchdogIntervalIsHalfOfWatchdogUsec() {
        try (var notifier = SystemdNotifier.fromEnvironment(
                Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "60000000"))) {
            assertThat(notifier.watchdogInterval()).contains(Duration.ofSeconds(30));
        }
    }

    @Test
    void watchdogMeantForAnotherProcessIsNotArmed() {
        var env = Map.of(
                "NOTIFY_SOCKET",
                socket.toString(),
                "WATCHDOG_USEC",
                "60000000",
                "WATCHDOG_PID",
                Long.toString(ProcessHandle.current().pid() + 1));
        try (var notifier = SystemdNotifier.fromEnvironment(env)) {
            assertThat(notifier.watchdogInterval()).isEmpty();
        }
    }

    @Test
    void watchdogMeantForThisProcessIsArmed() {
        var env = Map.of(
                "NOTIFY_SOCKET",
                socket.toString(),
                "WATCHDOG_USEC",
                "2000000",
                "WATCHDOG_PID",
                Long.toString(ProcessHandle.current().pid()));
        try (var notifier = SystemdNotifier.fromEnvironment(env)) {
            assertThat(notifier.watchdogInterval()).contains(Duration.ofSeconds(1));
        }
    }

    @Test
    void unparsableWatchdogUsecLeavesTheWatchdogOff() {
        try (var notifier =
                SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "soon"))) {
            assertThat(notifier.watchdogInterval()).isEmpty();
        }
    }

    @Test
    void withoutNotifySocketEveryCallIsANoOp() {
        try (var notifier = SystemdNotifier.fromEnvironment(Map.of("WATCHDOG_USEC", "60000000"))) {
            notifier.ready("ready");
            notifier.watchdog();
            notifier.stopping();

            assertThat(notifier.enabled()).isFalse();
            assertThat(notifier.watchdogInterval()).isEmpty();
            assertThat(notifier.failures()).isZero();
            assertThat(received).isEmpty();
        }
    }

    @Test
    void unreachableNotifySocketCountsFailuresInsteadOfThrowing() {
        try (var notifier = SystemdNotifier.fromEnvironment(
                Map.of("NOTIFY_SOCKET", dir.resolve("absent.sock").toString()))) {
            notifier.ready("ready");
            notifier.watchdog();

            assertThat(notifier.failures()).isEqualTo(2);
        }
    }

    @Test
    void watchdogIsFedWhileThePipelineMovesAndStarvedWhileItIsStalled() throws Exception {
        AtomicReference<Optional<String>> stall = new AtomicReference<>(Optional.empty());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        var env = Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "100000");
        try (var notifier = SystemdNotifier.fromEnvironment(env)) {
            notifier.ready("serving");
            assertThat(next()).isEqualTo("READY=1\nSTATUS=serving");
            assertThat(notifier.scheduleWatchdog(scheduler, stall::get)).isPresent();
            assertThat(next()).isEqualTo("WATCHDOG=1");

            stall.set(Optional.of("outbox writer committed nothing for 30s"));
            String message;
            do {
                message = next();
            } while ("WATCHDOG=1".equals(message));
            assertThat(message).isEqualTo("STATUS=stalled: outbox writer committed nothing for 30s");
            // Ten watchdog periods pass without a single WATCHDOG=1.
            assertThat(received.poll(500, TimeUnit.MILLISECONDS)).isNull();

            stall.set(Optional.empty());
            assertThat(next()).isEqualTo("STATUS=serving");
            assertThat(next()).isEqualTo("WATCHDOG=1");
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void noWatchdogIsScheduledWhenSystemdDidNotArmOne() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (var notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.toString()))) {
            assertThat(notifier.scheduleWatchdog(scheduler, Optional::empty)).isEmpty();
        } finally {
            scheduler.shutdownNow();
        }
    }
}
