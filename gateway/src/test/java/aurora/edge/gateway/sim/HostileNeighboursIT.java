package aurora.edge.gateway.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.GatewayStack;
import aurora.edge.gateway.TestGateway;
import aurora.edge.sim.Fleet;
import aurora.edge.sim.FleetSpec;
import aurora.edge.testing.RawMqtt;
import io.lettuce.core.RedisCommandTimeoutException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trust boundary under attack, all at once, next to an honest fleet: strangers cycling client
 * ids with wrong passwords (an audit flood), half-sent CONNECTs from several addresses (memory and
 * connection exhaustion), an authenticated device leaving forged last wills on its neighbours'
 * command topics and dropping its connection, and QoS 2 publishes that would be held before the ACL.
 * The honest devices' accounting stays exact, none of them receives a forged command, the audit
 * trail stays small, and the gateway's threads, file descriptors and heap come back to where they
 * were. Every attack is bounded in count and time and stays on loopback.
 */
class HostileNeighboursIT {
    private static final Logger log = LoggerFactory.getLogger(HostileNeighboursIT.class);
    private static final int HONEST = 20;
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String MALLORY = "hn-mallory";

    @RegisterExtension
    final GatewayStack stack = GatewayStack.with(Map.of(
            "AURORA_MQTT_CONNECT_TIMEOUT", "2s",
            "AURORA_AUDIT_SUMMARY_WINDOW", "2s"));

    @Test
    void honestDevicesFlowExactlyAndTheGatewayStaysBoundedWhileStrangersAndANeighbourAttack() throws Exception {
        TestGateway gw = stack.gateway();
        stack.redisProbe(); // the test's own Redis client exists before the first measurement
        Resources before = Resources.now();

        ExecutorService attackers = Executors.newFixedThreadPool(4);
        try (Fleet fleet = Fleet.start(FleetSpec.builder("127.0.0.1", gw.mqttPort(), gw.siteKey())
                .deviceCount(HONEST)
                .idPrefix("hn-")
                .seed(11)
                .messagesPerSecondPerDevice(5)
                .duration(Duration.ofSeconds(8))
                .alertShare(0.1)
                .build())) {
            List<Future<?>> attacks = List.of(
                    attackers.submit(() -> strangersCyclingIds(gw.mqttPort(), 1_000)),
                    attackers.submit(() -> halfSentConnects(gw.mqttPort(), 150)),
                    attackers.submit(() -> forgedWills(gw, 20)),
                    attackers.submit(() -> qos2Publishes(gw, 20)));
            for (Future<?> attack : attacks) {
                attack.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
            await().atMost(PATIENCE).until(() -> fleet.publishingStopped().isDone());

            await().atMost(PATIENCE)
                    .ignoreException(RedisCommandTimeoutException.class)
                    .untilAsserted(() -> SimAccounting.assertEachSentMessageStoredOnce(
                            fleet, stack.redisProbe(), d -> d.startsWith("hn-0")));
            assertThat(fleet.stats().commandsReceived())
                    .as("forged wills reached no honest device")
                    .isZero();
            log.info("hostile neighbours fleet={}", fleet.stats());
        } finally {
            attackers.shutdownNow();
            assertThat(attackers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(gw.metric("aurora_intake_rejected", "code", "AUTH_FAILED")).isGreaterThanOrEqualTo(1_000);
        assertThat(gw.metric("aurora_intake_rejected", "code", "WILL_NOT_OWNED"))
                .isGreaterThanOrEqualTo(20);
        long authAudits = stack.redisProbe().entries("aurora:audit").stream()
                .filter(e -> e.fields().get("data").contains("\"AUTH_FAILED\""))
                .count();
        assertThat(authAudits)
                .as("a thousand wrong passwords leave a handful of audit events")
                .isBetween(1L, 30L);

        // Everything the attack opened is closed again; the gateway keeps no trace of it in memory.
        await().atMost(PATIENCE).untilAsserted(() -> {
            Resources after = Resources.now();
            log.info("resources before={} after={}", before, after);
            // Fixed pools may start their remaining threads (Netty workers, a Redis event loop): a few, never one per
            // attacker.
            assertThat(after.gatewayThreads()).isLessThanOrEqualTo(before.gatewayThreads() + 12);
            assertThat(after.fileDescriptors()).isLessThanOrEqualTo(before.fileDescriptors() + 40);
            assertThat(after.heapAfterGc()).isLessThanOrEqualTo(before.heapAfterGc() + (96L << 20));
        });
    }

    /** Wrong passwords under a new client id each time, with long usernames: per-id throttles do not hold them. */
    private static void strangersCyclingIds(int port, int count) {
        String longName = "x".repeat(2_000);
        for (int i = 0; i < count; i++) {
            try (Socket s = RawMqtt.open("127.0.0.3", port)) {
                s.setSoTimeout(2_000);
                s.getOutputStream().write(RawMqtt.connect("stranger-" + i, longName, "wrong", null, null));
                RawMqtt.connAck(s);
            } catch (IOException e) {
                // refused or closed: that is the point
            }
        }
    }

    /** Half of a large CONNECT, then silence, from three addresses; the gateway closes them at its deadline. */
    private static void halfSentConnects(int port, int count) {
        byte[] connect = RawMqtt.connect("half", "half", "x".repeat(20_000), null, null);
        byte[] half = Arrays.copyOf(connect, connect.length / 2);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                try {
                    Socket s = RawMqtt.open("127.0.0." + (4 + i % 3), port);
                    sockets.add(s);
                    s.getOutputStream().write(half);
                } catch (IOException e) {
                    // refused at once: fine
                }
            }
            for (Socket s : sockets) {
                s.setSoTimeout(10_000);
                assertThat(RawMqtt.closedByPeer(s))
                        .as("a half-sent CONNECT is closed by the gateway")
                        .isTrue();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            sockets.forEach(HostileNeighboursIT::closeQuietly);
        }
    }

    /** An authenticated device with a will on a neighbour's command topic, dropping its connection each time. */
    private static void forgedWills(TestGateway gw, int count) {
        String password = gw.passwordFor(MALLORY);
        for (int i = 0; i < count; i++) {
            try (Socket s = RawMqtt.open("127.0.0.1", gw.mqttPort())) {
                s.setSoTimeout(2_000);
                String victim = String.format(Locale.ROOT, "hn-%05d", i % HONEST);
                s.getOutputStream()
                        .write(RawMqtt.connect(
                                MALLORY,
                                MALLORY,
                                password,
                                "aurora/command/" + victim + "/action",
                                "{\"action\":\"isolate\"}"));
                RawMqtt.connAck(s);
                RawMqtt.abort(s);
            } catch (IOException e) {
                // refused: fine
            }
        }
    }

    /** QoS 2 PUBLISHes from a valid device: the gateway takes none and closes the connection. */
    private static void qos2Publishes(TestGateway gw, int count) {
        String password = gw.passwordFor(MALLORY + "-2");
        for (int i = 0; i < count; i++) {
            try (Socket s = RawMqtt.open("127.0.0.1", gw.mqttPort())) {
                s.setSoTimeout(2_000);
                OutputStream out = s.getOutputStream();
                out.write(RawMqtt.connect(MALLORY + "-2", MALLORY + "-2", password, null, null));
                if (RawMqtt.connAck(s) == 0) {
                    out.write(RawMqtt.publish(
                            "aurora/sensors/" + MALLORY + "-2/telemetry",
                            "{\"seq\":1,\"boot\":1}".getBytes(StandardCharsets.UTF_8),
                            2));
                    assertThat(RawMqtt.closedByPeer(s))
                            .as("a QoS 2 publish closes its connection")
                            .isTrue();
                }
            } catch (IOException e) {
                // closed: fine
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing a socket the gateway already closed
        }
    }

    /** What the gateway process holds; the simulated fleet's own client threads (HiveMQ, RxJava) are left out. */
    private record Resources(long gatewayThreads, long fileDescriptors, long heapAfterGc) {
        static Resources now() throws IOException {
            List<String> names = Thread.getAllStackTraces().keySet().stream()
                    .map(Thread::getName)
                    .filter(n -> !n.toLowerCase(java.util.Locale.ROOT).contains("hivemq")
                            && !n.startsWith("Rx")
                            && !n.startsWith("awaitility"))
                    .sorted()
                    .toList();
            log.info("threads {}", names);
            long threads = names.size();
            long fds;
            try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
                fds = open.count();
            }
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            return new Resources(threads, fds, heap);
        }
    }
}
