package aurora.edge.gateway.mqttsn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.audit.AuditLog;
import aurora.edge.gateway.audit.RejectionReporter;
import aurora.edge.gateway.broker.DeviceCredentials;
import aurora.edge.gateway.broker.SiteKey;
import aurora.edge.gateway.config.GatewayConfig;
import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.outbox.Outbox;
import aurora.edge.gateway.outbox.OutboxLimits;
import aurora.edge.gateway.store.Database;
import aurora.edge.gateway.tls.RevokedDeviceWatch;
import aurora.edge.gateway.tls.RevokedDevices;
import aurora.edge.sim.sn.DtlsPskLink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The DTLS 1.2 PSK transport of MQTT-SN on a real UDP socket, against bctls and openssl clients. */
class DtlsListenerIT {
    private static final Logger log = LoggerFactory.getLogger(DtlsListenerIT.class);
    private static final Duration HANDSHAKE = Duration.ofSeconds(10);
    private static final GatewayConfig.Dtls LIMITS =
            new GatewayConfig.Dtls(1_000, 16, 16, 600, 10_000, Duration.ofSeconds(5), Duration.ofHours(24), 2);

    @TempDir
    Path dir;

    private Outbox outbox;
    private RejectionReporter rejections;
    private DeviceCredentials credentials;
    private final DtlsEchoHandler handler = new DtlsEchoHandler();
    private final Set<String> revoked = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private DtlsListener listener;
    private SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void start() throws IOException {
        Clock clock = Clock.systemUTC();
        outbox = new Outbox(
                Database.open(dir.resolve("o.db")),
                "gw1",
                "site1",
                List.of(),
                10_000,
                100,
                Duration.ofMillis(2),
                OutboxLimits.unbounded(),
                (w, g) -> {},
                meters,
                clock);
        var identity = new GatewayConfig.Identity("gw1", "site1");
        rejections = new RejectionReporter(
                new AuditLog(
                        outbox, identity, new GatewayConfig.AuditVolume(600, Duration.ofSeconds(10)), clock, meters),
                meters,
                clock,
                Duration.ofSeconds(10));
        credentials = new DeviceCredentials(SiteKey.loadOrCreate(dir.resolve("site.key")));
        listener = start(LIMITS);
    }

    private DtlsListener start(GatewayConfig.Dtls limits) throws IOException {
        return start(limits, 4096);
    }

    private DtlsListener start(GatewayConfig.Dtls limits, int maxPacketBytes) throws IOException {
        meters = new SimpleMeterRegistry(); // the listener's gauges must not outlive it in the registry
        return DtlsListener.start(
                "127.0.0.1",
                0,
                limits,
                credentials::pskFor,
                revoked::contains,
                rejections,
                handler,
                maxPacketBytes,
                meters);
    }

    @AfterEach
    void stop() {
        listener.close();
        outbox.close();
    }

    private InetSocketAddress gateway() {
        return new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), listener.port());
    }

    private DtlsPskLink link(String deviceId) throws IOException {
        return DtlsPskLink.connect(gateway(), deviceId, credentials.pskFor(deviceId), HANDSHAKE);
    }

    @Test
    void a_device_with_its_derived_psk_gets_an_association_whose_identity_is_its_id() throws IOException {
        long started = System.nanoTime();
        try (DtlsPskLink device = link("sensor-1")) {
            log.info("dtls handshake (bctls client, loopback) took_ms={}", (System.nanoTime() - started) / 1_000_000);
            device.send("hello".getBytes(UTF_8));
            assertThat(device.receive(Duration.ofSeconds(5))).isEqualTo("hello".getBytes(UTF_8));
            assertThat(handler.received("sensor-1", "hello")).isTrue();
            assertThat(listener.associations()).isEqualTo(1);
            assertThat(meters.get("aurora_mqttsn_dtls_associations").gauge().value())
                    .isEqualTo(1);
            assertThat(counter("aurora_mqttsn_dtls_handshakes", "outcome", "established"))
                    .isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> handler.closed.contains("sensor-1"));
        assertThat(listener.associations()).isZero();
    }

    @Test
    void openssl_s_client_reaches_the_gateway_with_its_psk_identity() throws Exception {
        String hex = HexFormat.of().formatHex(credentials.pskFor("sensor-2"));
        for (String cipher : List.of("PSK-AES128-CCM8", "PSK-AES128-CBC-SHA256", "PSK-AES128-GCM-SHA256")) {
            Process openssl = new ProcessBuilder(
                            "openssl",
                            "s_client",
                            "-dtls1_2",
                            "-connect",
                            "127.0.0.1:" + listener.port(),
                            "-psk_identity",
                            "sensor-2",
                            "-psk",
                            hex,
                            "-cipher",
                            cipher,
                            "-quiet")
                    .redirectErrorStream(true)
                    .start();
            try {
                String line = "from-openssl-" + cipher + "\n";
                openssl.getOutputStream().write(line.getBytes(UTF_8));
                openssl.getOutputStream().flush();
                await().atMost(Duration.ofSeconds(10)).until(() -> handler.received("sensor-2", line));
            } finally {
                openssl.destroy();
                openssl.waitFor();
            }
        }
    }

    @Test
    void a_wrong_psk_is_refused_and_counted_dtls_handshake_failed() {
        byte[] wrong = credentials.pskFor("sensor-9");
        assertThatThrownBy(() -> DtlsPskLink.connect(gateway(), "sensor-1", wrong, HANDSHAKE))
                .isInstanceOf(IOException.class);
        // DTLS drops the undecryptable Finished: the server gives up at mqttsn.dtls.handshake_timeout (5 s here).
        await().atMost(Duration.ofSeconds(10)).until(() -> rejections.count(Rejection.DTLS_HANDSHAKE_FAILED) == 1);
        assertThat(counter("aurora_mqttsn_dtls_handshakes", "outcome", "timeout"))
                .isEqualTo(1);
        assertThat(listener.associations()).isZero();
        assertThat(handler.packets).isEmpty();
    }

    @Test
    void an_identity_that_is_no_device_id_and_a_revoked_device_get_no_key() {
        assertThatThrownBy(() -> DtlsPskLink.connect(gateway(), "../etc/passwd", new byte[32], HANDSHAKE))
                .isInstanceOf(IOException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> rejections.count(Rejection.CLIENT_ID_INVALID) == 1);

        revoked.add("sensor-3");
        assertThatThrownBy(() -> link("sensor-3")).isInstanceOf(IOException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> rejections.count(Rejection.CERT_REVOKED) == 1);
        assertThat(listener.associations()).isZero();
    }

    @Test
    void garbage_and_spoofed_client_hellos_get_no_state_and_no_reply_larger_than_the_datagram() throws IOException {
        SecureRandom random = new SecureRandom();
        try (DatagramSocket stranger = new DatagramSocket()) {
            stranger.setSoTimeout(300);
            // Garbage of every size, and datagrams that look like DTLS but are no ClientHello.
            for (int size : new int[] {0, 1, 13, 25, 60, 200, 1400}) {
                byte[] junk = new byte[size];
                random.nextBytes(junk);
                assertThat(replyTo(stranger, junk))
                        .as("reply to %d bytes of garbage", size)
                        .isEmpty();
            }
            byte[] truncatedHello = java.util.Arrays.copyOf(clientHello(random, new byte[0]), 40);
            assertThat(replyTo(stranger, truncatedHello)).isEmpty();

            // A ClientHello without a cookie (what a spoofed source sends): one HelloVerifyRequest, smaller.
            byte[] hello = clientHello(random, new byte[0]);
            byte[] reply = replyTo(stranger, hello);
            assertThat(reply.length).isPositive().isLessThanOrEqualTo(hello.length);
            assertThat(reply[13]).as("handshake type hello_verify_request").isEqualTo((byte) 3);
            log.info("client_hello_bytes={} hello_verify_request_bytes={}", hello.length, reply.length);

            // A cookie that is not ours: another HelloVerifyRequest, still no state.
            byte[] forged = new byte[32];
            random.nextBytes(forged);
            byte[] forgedHello = clientHello(random, forged);
            assertThat(replyTo(stranger, forgedHello).length).isLessThanOrEqualTo(forgedHello.length);
        }
        assertThat(listener.associations()).isZero();
        assertThat(listener.handshakesInProgress()).isZero();
        assertThat(listener.dropped()).isPositive();
    }

    @Test
    void an_honest_association_keeps_working_while_a_flood_of_garbage_and_hellos_arrives() throws Exception {
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        AtomicLong sentBytes = new AtomicLong();
        AtomicLong repliedBytes = new AtomicLong();
        try (DtlsPskLink device = link("sensor-4");
                DatagramSocket attacker = new DatagramSocket()) {
            Thread flood = new Thread(() -> {
                SecureRandom random = new SecureRandom();
                while (flooding.get()) {
                    byte[] datagram = random.nextBoolean() ? clientHello(random, new byte[0]) : randomBytes(random);
                    try {
                        attacker.send(new DatagramPacket(datagram, datagram.length, gateway()));
                        sent.incrementAndGet();
                        sentBytes.addAndGet(datagram.length);
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            Thread replies = new Thread(() -> {
                byte[] in = new byte[4096];
                while (!attacker.isClosed()) {
                    DatagramPacket p = new DatagramPacket(in, in.length);
                    try {
                        attacker.receive(p);
                        repliedBytes.addAndGet(p.getLength());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            replies.start();
            flood.start();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> sent.get() >= 2_000);
                for (int i = 0; i < 50; i++) {
                    byte[] packet = ("reading-" + i).getBytes(UTF_8);
                    assertThat(echoedWithResends(device, packet))
                            .as("reading %d echoed within 10 sends", i)
                            .isTrue();
                }
            } finally {
                flooding.set(false);
                flood.join();
            }
            log.info(
                    "flood datagrams={} sent_bytes={} replied_bytes={} dropped={}",
                    sent.get(),
                    sentBytes.get(),
                    repliedBytes.get(),
                    listener.dropped());
            assertThat(sent.get()).isGreaterThanOrEqualTo(2_000);
            assertThat(repliedBytes.get()).isLessThan(sentBytes.get());
            assertThat(listener.associations()).isEqualTo(1);
            assertThat(listener.handshakesInProgress()).isZero();
        }
    }

    /**
     * Sends {@code packet} until its echo comes back, 1 s apart and 10 times at most, as an MQTT-SN
     * device resends a QoS 1 PUBLISH: a flood may fill the socket buffers and UDP drops what does not
     * fit, on the honest device's way in or out. Late echoes of earlier packets are skipped.
     */
    private static boolean echoedWithResends(DtlsPskLink device, byte[] packet) throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            device.send(packet);
            long end = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() < end) {
                byte[] echo = device.receive(Duration.ofMillis(Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                if (echo != null && java.util.Arrays.equals(echo, packet)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void an_attacker_address_holds_at_most_two_handshakes_so_an_honest_device_still_gets_in() throws Exception {
        listener.close();
        // Three slots in all, two per address, and a deadline long enough that stalled handshakes hold theirs.
        listener = start(
                new GatewayConfig.Dtls(1_000, 3, 2, 600, 10_000, Duration.ofSeconds(60), Duration.ofHours(24), 2));
        List<DatagramSocket> attackers = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                // 127.0.0.2 is another source address on the loopback interface (Linux routes all of 127/8 there).
                DatagramSocket attacker = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0));
                attackers.add(attacker);
                wrongKeyHandshake(attacker, "sensor-" + (20 + i));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> rejections.count(Rejection.DTLS_HANDSHAKE_LIMITED) == 3);
            assertThat(listener.handshakesInProgress())
                    .as("the attacker's share")
                    .isEqualTo(2);
            assertThat(counter("aurora_mqttsn_dtls_handshakes", "outcome", "limited"))
                    .isEqualTo(3);

            try (DtlsPskLink honest = link("sensor-10")) {
                honest.send("still here".getBytes(UTF_8));
                assertThat(honest.receive(Duration.ofSeconds(5))).isEqualTo("still here".getBytes(UTF_8));
            }
            assertThat(counter("aurora_mqttsn_dtls_handshakes", "outcome", "established"))
                    .isEqualTo(1);
        } finally {
            attackers.forEach(DatagramSocket::close);
        }
    }

    @Test
    void above_hello_verify_per_second_no_cookie_reply_is_sent_at_all() throws IOException {
        listener.close();
        listener = start(new GatewayConfig.Dtls(1_000, 16, 16, 600, 5, Duration.ofSeconds(5), Duration.ofHours(24), 2));
        SecureRandom random = new SecureRandom();
        int sent = 40;
        int replies = 0;
        long started = System.nanoTime();
        try (DatagramSocket spoofed = new DatagramSocket()) {
            spoofed.setSoTimeout(300);
            for (int i = 0; i < sent; i++) {
                byte[] hello = clientHello(random, new byte[0]);
                spoofed.send(new DatagramPacket(hello, hello.length, gateway()));
            }
            long sendingMillis = (System.nanoTime() - started) / 1_000_000;
            byte[] in = new byte[2048];
            try {
                for (; ; ) {
                    spoofed.receive(new DatagramPacket(in, in.length));
                    replies++;
                }
            } catch (SocketTimeoutException expected) {
                // no more replies
            }
            // A burst of 5, then 5 a second: what the sending took (plus the last wait) may have refilled.
            long allowed = 5 + (sendingMillis + 300) * 5 / 1000 + 1;
            log.info("hello_verify sent={} replies={} sending_ms={}", sent, replies, sendingMillis);
            assertThat(replies).isPositive().isLessThanOrEqualTo((int) allowed);
        }
        int unanswered = sent - replies;
        await().atMost(Duration.ofSeconds(2))
                .until(() -> counter("aurora_mqttsn_dtls_dropped", "reason", "hello_verify_limited") == unanswered);
        assertThat(counter("aurora_mqttsn_dtls_hello_verify_sent", null, null)).isEqualTo(replies);
        // Audited once per episode (the sources may be spoofed), counted every time.
        assertThat(rejections.count(Rejection.DTLS_HELLO_VERIFY_LIMITED)).isEqualTo(1);
    }

    @Test
    void a_packet_longer_than_max_packet_bytes_is_dropped_counted_and_audited_sn_malformed() throws IOException {
        listener.close();
        listener = start(LIMITS, 100);
        try (DtlsPskLink device = link("sensor-11");
                DatagramSocket stranger = new DatagramSocket()) {
            byte[] fits = new byte[100];
            java.util.Arrays.fill(fits, (byte) 'a');
            device.send(fits);
            assertThat(device.receive(Duration.ofSeconds(5))).isEqualTo(fits);

            byte[] tooLong = new byte[500];
            java.util.Arrays.fill(tooLong, (byte) 'b');
            device.send(tooLong);
            await().atMost(Duration.ofSeconds(5)).until(() -> rejections.count(Rejection.SN_MALFORMED) == 1);
            assertThat(handler.received("sensor-11", new String(tooLong, UTF_8)))
                    .isFalse();

            // A datagram too long to be one record of max_packet_bytes is not even decrypted.
            byte[] huge = new byte[3_000];
            stranger.send(new DatagramPacket(huge, huge.length, gateway()));
            await().atMost(Duration.ofSeconds(5)).until(() -> rejections.count(Rejection.SN_MALFORMED) == 2);
            assertThat(counter("aurora_mqttsn_dtls_dropped", "reason", "oversized"))
                    .isEqualTo(2);

            byte[] after = "after".getBytes(UTF_8);
            device.send(after);
            assertThat(device.receive(Duration.ofSeconds(5)))
                    .as("the association survives")
                    .isEqualTo(after);
        }
    }

    /** A counter of the listener's registry (0 if absent); with a null tag, the untagged counter. */
    private double counter(
            String name,
            @org.jspecify.annotations.Nullable String tag,
            @org.jspecify.annotations.Nullable String value) {
        var search = meters.find(name);
        if (tag != null && value != null) {
            search = search.tag(tag, value);
        }
        var c = search.counter();
        return c == null ? 0 : c.count();
    }

    /**
     * A bctls client on {@code socket} that offers {@code deviceId} with a wrong key, on its own
     * thread: it passes the cookie exchange, and the gateway's handshake then waits for a Finished
     * it cannot decrypt, holding a slot until mqttsn.dtls.handshake_timeout. Ends when the socket closes.
     */
    private Thread wrongKeyHandshake(DatagramSocket socket, String deviceId) throws IOException {
        socket.connect(gateway());
        byte[] wrong = credentials.pskFor("not-" + deviceId);
        var client =
                new org.bouncycastle.tls.PSKTlsClient(
                        new org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto(new SecureRandom()),
                        deviceId.getBytes(UTF_8),
                        wrong) {
                    @Override
                    protected org.bouncycastle.tls.ProtocolVersion[] getSupportedVersions() {
                        return org.bouncycastle.tls.ProtocolVersion.DTLSv12.only();
                    }

                    @Override
                    protected int[] getSupportedCipherSuites() {
                        return new int[] {org.bouncycastle.tls.CipherSuite.TLS_PSK_WITH_AES_128_CCM_8};
                    }

                    @Override
                    public int getHandshakeTimeoutMillis() {
                        return 120_000;
                    }
                };
        Thread t = new Thread(() -> {
            try {
                new org.bouncycastle.tls.DTLSClientProtocol()
                        .connect(client, new org.bouncycastle.tls.UDPTransport(socket, 1200));
            } catch (IOException | RuntimeException e) {
                // expected: the key is wrong, or the test closed the socket
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void an_idle_association_expires_after_the_idle_timeout() throws IOException {
        listener.close();
        listener = start(
                new GatewayConfig.Dtls(1_000, 16, 16, 600, 10_000, Duration.ofSeconds(5), Duration.ofSeconds(1), 2));
        try (DtlsPskLink device = link("sensor-5")) {
            device.send("once".getBytes(UTF_8));
            assertThat(device.receive(Duration.ofSeconds(5))).isNotNull();
            assertThat(listener.associations()).isEqualTo(1);
            await().atLeast(Duration.ofMillis(900))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> handler.closed.contains("sensor-5"));
            assertThat(listener.associations()).isZero();
        }
    }

    @Test
    void a_rebooted_device_gets_a_new_association_from_the_same_address_and_the_old_one_is_replaced()
            throws IOException {
        DtlsPskLink before = link("sensor-6");
        int port = before.localPort();
        before.send("before".getBytes(UTF_8));
        assertThat(before.receive(Duration.ofSeconds(5))).isNotNull();
        before.drop(); // reboot: no close_notify
        try (DtlsPskLink after =
                DtlsPskLink.connect(gateway(), "sensor-6", credentials.pskFor("sensor-6"), HANDSHAKE, port)) {
            // A datagram sent the instant the handshake ends can meet the old association's replacement still
            // in progress and be lost, like any UDP datagram: the device retries, as MQTT-SN clients do.
            byte[] echo = null;
            for (int attempt = 0; attempt < 3 && echo == null; attempt++) {
                after.send("after".getBytes(UTF_8));
                echo = after.receive(Duration.ofSeconds(3));
            }
            assertThat(echo).isEqualTo("after".getBytes(UTF_8));
            await().atMost(Duration.ofSeconds(5)).until(() -> handler.closed.contains("sensor-6"));
            assertThat(listener.associations()).isEqualTo(1);
        }
    }

    @Test
    void a_revoked_device_loses_its_association_within_a_second_of_devices_revoke() throws Exception {
        Path list = RevokedDevices.file(dir);
        try (RevokedDeviceWatch watch = RevokedDeviceWatch.start(list, Duration.ofMillis(200))) {
            listener.close();
            listener = DtlsListener.start(
                    "127.0.0.1",
                    0,
                    LIMITS,
                    credentials::pskFor,
                    watch::revoked,
                    rejections,
                    handler,
                    4096,
                    new SimpleMeterRegistry());
            watch.onNewlyRevoked(ids -> ids.forEach(id -> listener.revoked(id)));
            try (DtlsPskLink device = link("sensor-7");
                    DtlsPskLink other = link("sensor-8")) {
                device.send("x".getBytes(UTF_8));
                assertThat(device.receive(Duration.ofSeconds(5))).isNotNull();

                RevokedDevices.add(
                        list, "sensor-7", "alice", java.time.Instant.now()); // what `devices revoke sensor-7` writes
                await().atMost(Duration.ofSeconds(1)).until(() -> handler.closed.contains("sensor-7"));
                assertThat(rejections.count(Rejection.CERT_REVOKED)).isEqualTo(1);
                assertThat(listener.associations()).isEqualTo(1);
                other.send("still".getBytes(UTF_8));
                assertThat(other.receive(Duration.ofSeconds(5))).isEqualTo("still".getBytes(UTF_8));
                assertThatThrownBy(() -> link("sensor-7")).isInstanceOf(IOException.class);
                await().atMost(Duration.ofSeconds(5)).until(() -> rejections.count(Rejection.CERT_REVOKED) == 2);
            }
        }
    }

    @Test
    void an_idle_association_costs_the_gateway_a_few_kib_of_heap() throws Exception {
        int count = 300;
        var memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        Process clients = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        DtlsLoadClient.class.getName(),
                        "127.0.0.1",
                        String.valueOf(listener.port()),
                        dir.resolve("site.key").toString(),
                        String.valueOf(count))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(clients.getInputStream(), UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && !line.equals("ready")) {
                log.info("load client: {}", line);
            }
            await().atMost(Duration.ofMinutes(2)).until(() -> listener.associations() == count);
            long after = usedAfterGc(memory);
            long perAssociation = (after - before) / count;
            log.info("idle dtls associations={} heap_bytes_each={}", count, perAssociation);
            assertThat(perAssociation).isLessThan(64 * 1024);
        } finally {
            clients.getOutputStream().close();
            clients.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            clients.destroyForcibly();
        }
    }

    private static long usedAfterGc(java.lang.management.MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            memory.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Sends {@code datagram} from {@code socket} and returns what came back within the socket's timeout. */
    private byte[] replyTo(DatagramSocket socket, byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, gateway()));
        byte[] in = new byte[4096];
        DatagramPacket p = new DatagramPacket(in, in.length);
        try {
            socket.receive(p);
            return java.util.Arrays.copyOf(in, p.getLength());
        } catch (SocketTimeoutException e) {
            return new byte[0];
        }
    }

    private static byte[] randomBytes(SecureRandom random) {
        byte[] b = new byte[1 + random.nextInt(300)];
        random.nextBytes(b);
        return b;
    }

    /** A minimal DTLS 1.2 ClientHello (one PSK suite, no extensions) with {@code cookie}, in one record. */
    static byte[] clientHello(SecureRandom random, byte[] cookie) {
        byte[] clientRandom = new byte[32];
        random.nextBytes(clientRandom);
        return clientHello(clientRandom, cookie);
    }

    /** The same ClientHello for the same {@code clientRandom}: the cookie is bound to the rest of it. */
    static byte[] clientHello(byte[] clientRandom, byte[] cookie) {
        ByteBuffer body = ByteBuffer.allocate(2 + 32 + 1 + 1 + cookie.length + 2 + 2 + 1 + 1);
        body.put((byte) 0xFE).put((byte) 0xFD).put(clientRandom).put((byte) 0);
        body.put((byte) cookie.length).put(cookie);
        body.putShort((short) 2).putShort((short) 0xC0A8); // TLS_PSK_WITH_AES_128_CCM_8
        body.put((byte) 1).put((byte) 0); // compression: null
        int n = body.capacity();
        ByteBuffer record = ByteBuffer.allocate(13 + 12 + n);
        record.put((byte) 22)
                .put((byte) 0xFE)
                .put((byte) 0xFD)
                .putShort((short) 0)
                .put(new byte[6]);
        record.putShort((short) (12 + n));
        record.put((byte) 1).put(uint24(n)).putShort((short) 0).put(uint24(0)).put(uint24(n));
        record.put(body.array());
        return record.array();
    }

    private static byte[] uint24(int v) {
        return new byte[] {(byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
