package aurora.edge.gateway.forward;

import static aurora.edge.gateway.forward.Records.alert;
import static aurora.edge.gateway.forward.Records.attestation;
import static aurora.edge.gateway.forward.Records.audit;
import static aurora.edge.gateway.forward.Records.telemetry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.config.StreamManagement;
import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.outbox.OutboxRecord;
import aurora.edge.testing.NatsProbe;
import aurora.edge.testing.NatsServerProcess;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JetStreamSinkIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration RECOVERY = Duration.ofSeconds(15);
    private static final AtomicInteger TEST = new AtomicInteger();
    private static NatsServerProcess nats;
    private static NatsProbe probe;

    private final List<JetStreamSink> sinks = new ArrayList<>();
    private String stream;
    private String prefix;

    @BeforeAll
    static void startNats() {
        nats = NatsServerProcess.start();
        probe = nats.probe();
    }

    @AfterAll
    static void stopNats() {
        nats.close();
    }

    @BeforeEach
    void uniqueNames() {
        if (!nats.isRunning()) {
            nats.restart();
        }
        int n = TEST.incrementAndGet();
        stream = "AURORA_T" + n;
        prefix = "T" + n + ".AURORA";
    }

    @AfterEach
    void closeSinks() {
        sinks.forEach(JetStreamSink::close);
    }

    private JetStreamSink.Settings settings() {
        return JetStreamSink.Settings.defaults(URI.create(nats.url()))
                .withStream(stream, prefix)
                .withPublishAckTimeout(TIMEOUT);
    }

    private JetStreamSink connectedSink(JetStreamSink.Settings settings) {
        JetStreamSink sink = new JetStreamSink(settings);
        sinks.add(sink);
        await().atMost(Duration.ofSeconds(10)).until(sink::isConnected);
        return sink;
    }

    private List<String> storedIds() {
        return probe.messages(stream).stream()
                .map(NatsProbe.StoredMessage::msgId)
                .toList();
    }

    @Test
    void theStreamIsCreatedWithTheDocumentedConfiguration() {
        connectedSink(settings());

        StreamConfiguration c = await().atMost(Duration.ofSeconds(5))
                .until(() -> probe.streamConfig(stream).orElse(null), s -> s != null);

        assertThat(c.getSubjects())
                .containsExactlyInAnyOrder(
                        prefix + ".alerts", prefix + ".ioc_sharing", prefix + ".agent_results", prefix + ".audit");
        assertThat(c.getRetentionPolicy()).isEqualTo(RetentionPolicy.Limits);
        assertThat(c.getMaxMsgs()).isEqualTo(100_000);
        assertThat(c.getMaxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(c.getStorageType()).isEqualTo(StorageType.File);
        assertThat(c.getDuplicateWindow()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void underManageAnExistingStreamWithADifferentConfigurationIsUpdated() {
        probe.addStream(StreamConfiguration.builder()
                .name(stream)
                .subjects(prefix + ".alerts")
                .storageType(StorageType.File)
                .maxMessages(10)
                .duplicateWindow(Duration.ofMinutes(2))
                .description("kept")
                .build());

        connectedSink(
                settings().withDuplicateWindow(Duration.ofMinutes(30)).withStreamManagement(StreamManagement.MANAGE));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            StreamConfiguration c = probe.streamConfig(stream).orElseThrow();
            assertThat(c.getSubjects()).hasSize(4);
            assertThat(c.getMaxMsgs()).isEqualTo(100_000);
            assertThat(c.getMaxAge()).isEqualTo(Duration.ofDays(7));
            assertThat(c.getDuplicateWindow()).isEqualTo(Duration.ofMinutes(30));
            assertThat(c.getDescription()).isEqualTo("kept");
        });
    }

    @Test
    void underManageAStreamWhoseStorageTypeCannotBeChangedIsReportedOnDeliver() {
        probe.addStream(StreamConfiguration.builder()
                .name(stream)
                .subjects(prefix + ".alerts")
                .storageType(StorageType.Memory)
                .build());
        JetStreamSink sink = connectedSink(settings().withStreamManagement(StreamManagement.MANAGE));

        assertThatThrownBy(() -> sink.deliver(List.of(alert(1, Severity.HIGH))))
                .isInstanceOf(SinkUnavailableException.class)
                .hasMessageContaining("not ready");
        assertThat(probe.count(stream)).isZero();
    }

    @Test
    void alertsAndAuditLandOnTheirSubjectsWithTheMessageIdAsNatsMsgId() throws Exception {
        JetStreamSink sink = connectedSink(settings());
        OutboxRecord a1 = alert(1, Severity.HIGH);

        sink.deliver(List.of(a1, audit(2), alert(3, Severity.CRITICAL)));

        List<NatsProbe.StoredMessage> stored = probe.messages(stream);
        assertThat(stored)
                .extracting(NatsProbe.StoredMessage::subject)
                .containsExactly(prefix + ".alerts", prefix + ".audit", prefix + ".alerts");
        assertThat(stored)
                .extracting(NatsProbe.StoredMessage::msgId)
                .containsExactly("dev-1:1:1", "gw-audit:2", "dev-1:1:3");
        assertThat(stored.get(0).dataUtf8()).isEqualTo(Records.body(a1));
    }

    @Test
    void telemetryAttestationAndAlertsBelowTheThresholdAreSkipped() throws Exception {
        JetStreamSink sink = connectedSink(settings());

        sink.deliver(List.of(
                telemetry(1),
                attestation(2),
                alert(3, Severity.INFO),
                alert(4, Severity.LOW),
                alert(5, Severity.MEDIUM)));

        assertThat(storedIds()).containsExactly("dev-1:1:5");
    }

    @Test
    void aBatchDeliveredTwiceIsStoredOnceAndTheDuplicatesAreCounted() throws Exception {
        JetStreamSink sink = connectedSink(settings());
        List<OutboxRecord> batch = List.of(alert(1, Severity.HIGH), audit(2), alert(3, Severity.HIGH));
        sink.deliver(batch);

        sink.deliver(batch);

        assertThat(storedIds()).containsExactly("dev-1:1:1", "gw-audit:2", "dev-1:1:3");
        assertThat(sink.duplicates()).isEqualTo(3);
    }

    @Test
    void whileNatsIsDownDeliverFailsPromptlyAndAfterARestartResumesWithoutLossOrDuplicates() throws Exception {
        JetStreamSink sink = connectedSink(settings());
        List<OutboxRecord> first = List.of(alert(1, Severity.HIGH), audit(2));
        List<OutboxRecord> second = List.of(alert(3, Severity.HIGH), audit(4));
        sink.deliver(first);
        nats.kill();

        long start = System.nanoTime();
        assertThatThrownBy(() -> sink.deliver(second)).isInstanceOf(SinkUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(1));
        await().atMost(TIMEOUT).until(() -> !sink.isConnected());
        assertThatThrownBy(() -> sink.deliver(second)).isInstanceOf(SinkUnavailableException.class);

        nats.restart(); // same store dir
        await().atMost(RECOVERY).until(sink::isConnected);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> probe.count(stream) == 2);
        List<OutboxRecord> retried = new ArrayList<>(first);
        retried.addAll(second);
        sink.deliver(retried);

        assertThat(storedIds()).containsExactly("dev-1:1:1", "gw-audit:2", "dev-1:1:3", "gw-audit:4");
        assertThat(sink.duplicates()).isEqualTo(2);
    }

    @Test
    void aServerThatLostItsStoreGetsTheStreamBackOnReconnect() throws Exception {
        JetStreamSink sink = connectedSink(settings());
        sink.deliver(List.of(alert(1, Severity.HIGH)));

        nats.kill();
        deleteRecursively(nats.storeDir());
        nats.restart();
        await().atMost(RECOVERY).until(sink::isConnected);
        await().atMost(RECOVERY).ignoreExceptions().untilAsserted(() -> sink.deliver(List.of(alert(2, Severity.HIGH))));

        assertThat(storedIds()).containsExactly("dev-1:1:2");
        assertThat(probe.streamConfig(stream).orElseThrow().getDuplicateWindow())
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aStreamDeletedBehindTheSinksBackIsRecreatedOnTheNextAttempt() throws Exception {
        JetStreamSink sink = connectedSink(settings());
        sink.deliver(List.of(alert(1, Severity.HIGH)));
        probe.deleteStream(stream);

        assertThatThrownBy(() -> sink.deliver(List.of(alert(2, Severity.HIGH))))
                .isInstanceOf(SinkUnavailableException.class);
        sink.deliver(List.of(alert(2, Severity.HIGH)));

        assertThat(storedIds()).containsExactly("dev-1:1:2");
    }

    @Test
    void aSinkConstructedWhileNatsIsDownConnectsByItselfLater() throws Exception {
        nats.kill();

        long start = System.nanoTime();
        JetStreamSink sink = new JetStreamSink(settings());
        sinks.add(sink);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(sink.isConnected()).isFalse();
        assertThatThrownBy(() -> sink.deliver(List.of(alert(1, Severity.HIGH))))
                .isInstanceOf(SinkUnavailableException.class);

        nats.restart();
        await().atMost(RECOVERY).until(sink::isConnected);
        sink.deliver(List.of(alert(1, Severity.HIGH)));

        assertThat(storedIds()).containsExactly("dev-1:1:1");
    }

    /**
     * A stream on some of the sink's subjects. Capturing the audit subject before the alerts one stands for a
     * link that heals partially, deterministically: one subject's interest has crossed the leaf link, the other's
     * not yet, so its publishes find no responder while the others are stored.
     */
    private StreamConfiguration streamCapturing(String... suffixes) {
        return StreamConfiguration.builder()
                .name(stream)
                .subjects(Stream.of(suffixes).map(s -> prefix + "." + s).toList())
                .storageType(StorageType.File)
                .build();
    }

    @Test
    void onALinkThatHealsPartiallyALaterRecordIsNotStoredBeforeAnEarlierOneThatFindsNoResponder() throws Exception {
        // OFF: the test, not the sink, decides what the stream captures and when.
        JetStreamSink sink = connectedSink(settings().withStreamManagement(StreamManagement.OFF));
        List<OutboxRecord> batch = List.of(alert(1, Severity.HIGH), audit(2), audit(3));
        assertThatThrownBy(() -> sink.deliver(batch)).isInstanceOf(SinkUnavailableException.class);

        probe.addStream(streamCapturing("audit"));
        assertThatThrownBy(() -> sink.deliver(batch)).isInstanceOf(SinkUnavailableException.class);
        assertThat(storedIds()).isEmpty();

        probe.updateStream(streamCapturing("audit", "alerts"));
        sink.deliver(batch);
        assertThat(storedIds()).containsExactly("dev-1:1:1", "gw-audit:2", "gw-audit:3");
    }

    @Test
    void onALinkThatHealsPartiallyEachSubjectIsProbedAloneSoItsFirstRecordIsNotOvertaken() throws Exception {
        JetStreamSink sink = connectedSink(settings().withStreamManagement(StreamManagement.OFF));
        List<OutboxRecord> batch = List.of(audit(1), alert(2, Severity.HIGH), audit(3), alert(4, Severity.HIGH));
        assertThatThrownBy(() -> sink.deliver(batch)).isInstanceOf(SinkUnavailableException.class);

        probe.addStream(streamCapturing("audit"));
        assertThatThrownBy(() -> sink.deliver(batch)).isInstanceOf(SinkUnavailableException.class);
        assertThat(storedIds()).containsExactly("gw-audit:1");

        probe.updateStream(streamCapturing("audit", "alerts"));
        sink.deliver(batch);
        assertThat(storedIds()).containsExactly("gw-audit:1", "dev-1:1:2", "gw-audit:3", "dev-1:1:4");
        assertThat(sink.duplicates()).isEqualTo(1);
    }

    @Test
    void afterNatsWasUnreachableTheFirstBatchIsProbedToo() throws Exception {
        probe.addStream(streamCapturing("audit", "alerts"));
        JetStreamSink sink = connectedSink(settings().withStreamManagement(StreamManagement.OFF));
        sink.deliver(List.of(audit(1)));
        nats.kill();
        // Refused for being disconnected, nothing sent: a publish still queued in jnats at the disconnect
        // would be sent after the reconnect, racing the stream change below.
        await().atMost(RECOVERY).until(() -> !sink.isConnected());
        List<OutboxRecord> batch = List.of(alert(2, Severity.HIGH), audit(3));
        assertThatThrownBy(() -> sink.deliver(batch)).isInstanceOf(SinkUnavailableException.class);

        nats.restart();
        await().atMost(RECOVERY).until(sink::isConnected);
        probe.updateStream(streamCapturing("audit"));
        assertThatThrownBy(() -> sink.deliver(batch)).isInstanceOf(SinkUnavailableException.class);
        assertThat(storedIds()).containsExactly("gw-audit:1");

        probe.updateStream(streamCapturing("audit", "alerts"));
        sink.deliver(batch);
        assertThat(storedIds()).containsExactly("gw-audit:1", "dev-1:1:2", "gw-audit:3");
    }

    @Test
    void onAHealthyLinkARecordRefusedMidBatchCanBeOvertakenByTheRestOfItsBatchAndThatIsCounted() throws Exception {
        probe.addStream(streamCapturing("audit"));
        JetStreamSink sink = connectedSink(settings().withStreamManagement(StreamManagement.OFF));
        sink.deliver(List.of(audit(1)));
        List<OutboxRecord> batch = List.of(alert(2, Severity.HIGH), audit(3));

        // The documented limit: a pipelined batch on a link that looked healthy is already sent when the
        // refusal comes back, so what follows the refused record is stored ahead of it.
        assertThatThrownBy(() -> sink.deliver(batch)).isInstanceOf(SinkUnavailableException.class);
        await().atMost(Duration.ofSeconds(5)).until(sink::storedAheadOfARefusal, n -> n == 1);

        probe.updateStream(streamCapturing("audit", "alerts"));
        sink.deliver(batch);
        assertThat(storedIds()).containsExactly("gw-audit:1", "gw-audit:3", "dev-1:1:2");
        assertThat(sink.storedAheadOfARefusal()).isEqualTo(1);
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
