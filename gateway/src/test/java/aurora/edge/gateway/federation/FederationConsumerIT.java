package aurora.edge.gateway.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.testing.Indicators;
import aurora.edge.testing.NatsProbe;
import aurora.edge.testing.NatsServerProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The durable IOC consumer against a real nats-server: ack, nak with delay, term on poison, resume after restart. */
class FederationConsumerIT {
    private static final String HASH = "cd".repeat(32);

    private NatsServerProcess nats;
    private final List<Ioc> applied = new CopyOnWriteArrayList<>();
    private final Map<String, Instant> firstAttempt = new ConcurrentHashMap<>();
    private final List<Instant> retriedAt = new CopyOnWriteArrayList<>();
    private final List<String> poisons = new CopyOnWriteArrayList<>();
    private FederationConsumer consumer;

    @BeforeEach
    void start() {
        nats = NatsServerProcess.start();
        nats.probe()
                .addStream(StreamConfiguration.builder()
                        .name("AURORA")
                        .subjects("AURORA.>")
                        .storageType(StorageType.File)
                        .build());
    }

    @AfterEach
    void stop() {
        if (consumer != null) consumer.close();
        nats.close();
    }

    private FederationConsumer consumer() {
        IocHandler handler = ioc -> {
            if (ioc.value().equals("flaky-1") && firstAttempt.putIfAbsent(ioc.id(), Instant.now()) == null) {
                throw new IocHandler.IocHandlingException("registry busy", null);
            }
            if (ioc.value().equals("flaky-1")) retriedAt.add(Instant.now());
            applied.add(ioc);
            return IocHandler.Outcome.APPLIED;
        };
        consumer = new FederationConsumer(
                new FederationConsumer.Settings(
                        URI.create(nats.url()), null, "AURORA", "AURORA", "aurora-edge-gw1", Duration.ofSeconds(1)),
                handler,
                (code, reason, where) -> poisons.add(reason),
                new SimpleMeterRegistry());
        consumer.start();
        return consumer;
    }

    @SuppressWarnings("try") // jnats' Connection.close() declares InterruptedException; a test method throws it on
    private void publish(String json) throws Exception {
        try (Connection c = Nats.connect(nats.url())) {
            c.jetStream().publish("AURORA.ioc_sharing", json.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String indicator(String id, String pattern) {
        return Indicators.json(id, pattern);
    }

    @SuppressWarnings("try") // as in publish()
    private ConsumerInfo info() throws Exception {
        try (Connection c = Nats.connect(nats.url())) {
            return c.jetStreamManagement().getConsumerInfo("AURORA", "aurora-edge-gw1");
        }
    }

    @Test
    void iocsAreAppliedAndAckedFailuresRetriedAfterTheDelayAndPoisonTerminated() throws Exception {
        consumer();
        publish(indicator("indicator--a", "[x-aurora-firmware:sha256 = '" + HASH + "']"));
        publish(indicator("indicator--b", "[x-aurora-device:id = 'flaky-1']"));
        publish(indicator("indicator--c", "[ipv4-addr:value = '198.51.100.7']"));
        publish("{\"this is\": \"not an indicator\"}");
        publish(indicator("indicator--a", "[x-aurora-firmware:sha256 = '" + HASH + "']"));

        await().atMost(Duration.ofSeconds(20)).until(() -> applied.size() == 3);
        assertThat(applied)
                .extracting(Ioc::id)
                .containsExactlyInAnyOrder("indicator--a", "indicator--a", "indicator--b");
        assertThat(Duration.between(firstAttempt.get("indicator--b"), retriedAt.get(0)))
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(poisons).containsExactly("type is not \"indicator\"");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> info().getNumAckPending() == 0 && info().getNumPending() == 0);
        assertThat(info().getAckFloor().getStreamSequence()).isEqualTo(5);
    }

    @Test
    void theDurableConsumerResumesWhereItLeftOff() throws Exception {
        consumer();
        publish(indicator("indicator--1", "[x-aurora-device:id = 'dev-1']"));
        await().atMost(Duration.ofSeconds(20)).until(() -> applied.size() == 1);
        consumer.close();
        publish(indicator("indicator--2", "[x-aurora-device:id = 'dev-2']"));
        consumer();
        await().atMost(Duration.ofSeconds(20)).until(() -> applied.size() == 2);
        assertThat(applied).extracting(Ioc::id).containsExactly("indicator--1", "indicator--2");
    }

    @Test
    void theConsumerWaitsForTheServerAndCatchesUp() throws Exception {
        nats.kill();
        consumer();
        assertThat(consumer.listening()).isFalse();
        nats.restart();
        await().atMost(Duration.ofSeconds(40)).until(consumer::listening);
        NatsProbe probe = nats.probe();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> probe.streamInfo("AURORA").isPresent());
        publish(indicator("indicator--late", "[x-aurora-device:id = 'dev-9']"));
        await().atMost(Duration.ofSeconds(40)).until(() -> applied.size() == 1);
    }

    @Test
    void aurorasocIocsAreReadBesideStixAHashRevokesAndOtherTypesAreAckedAndCountedNotPoison() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        consumer = new FederationConsumer(
                new FederationConsumer.Settings(
                        URI.create(nats.url()), null, "AURORA", "AURORA", "aurora-edge-gw1", Duration.ofSeconds(1)),
                ioc -> {
                    applied.add(ioc);
                    return IocHandler.Outcome.APPLIED;
                },
                (code, reason, where) -> poisons.add(reason),
                registry);
        consumer.start();
        publish("{\"type\":\"hash_sha256\",\"value\":\"" + HASH + "\",\"source\":\"site-b\",\"confidence\":0.9}");
        for (String type : List.of("ip", "domain", "url", "hash_md5", "cve", "mutex", "user_agent")) {
            publish("{\"type\":\"" + type + "\",\"value\":\"v-" + type + "\"}");
        }

        await().atMost(Duration.ofSeconds(20))
                .until(() -> info().getNumAckPending() == 0
                        && info().getNumPending() == 0
                        && info().getAckFloor().getStreamSequence() == 8);
        assertThat(applied)
                .containsExactly(new Ioc("aurorasoc-ioc--hash_sha256:" + HASH, Ioc.Kind.FIRMWARE_HASH, HASH));
        assertThat(poisons).isEmpty();
        assertThat(registry.get("aurora_federation_iocs")
                        .tag("outcome", "ignored")
                        .counter()
                        .count())
                .isEqualTo(7);
        assertThat(registry.get("aurora_federation_iocs")
                        .tag("outcome", "poison")
                        .counter()
                        .count())
                .isZero();
    }
}
