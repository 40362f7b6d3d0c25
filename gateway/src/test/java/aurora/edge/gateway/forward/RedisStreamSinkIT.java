package aurora.edge.gateway.forward;

import static aurora.edge.gateway.forward.Records.alert;
import static aurora.edge.gateway.forward.Records.attestation;
import static aurora.edge.gateway.forward.Records.audit;
import static aurora.edge.gateway.forward.Records.telemetry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.device.Channel;
import aurora.edge.gateway.device.Severity;
import aurora.edge.gateway.outbox.OutboxRecord;
import aurora.edge.testing.RedisProbe;
import aurora.edge.testing.RedisServerProcess;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisStreamSinkIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final AtomicInteger TEST = new AtomicInteger();
    private static RedisServerProcess redis;
    private static RedisProbe probe;

    private final List<RedisStreamSink> sinks = new ArrayList<>();
    private String alerts;
    private String telemetry;
    private String audit;
    private String gatewayId;

    @BeforeAll
    static void startRedis() {
        redis = RedisServerProcess.start();
        probe = redis.probe();
    }

    @AfterAll
    static void stopRedis() {
        probe.close();
        redis.close();
    }

    @BeforeEach
    void uniqueNames() {
        if (!redis.isRunning()) {
            redis.restart();
        }
        int n = TEST.incrementAndGet();
        alerts = "t" + n + ":cps:alerts";
        telemetry = "t" + n + ":cps:telemetry";
        audit = "t" + n + ":audit";
        gatewayId = "gw-" + n;
    }

    @AfterEach
    void closeSinks() {
        sinks.forEach(RedisStreamSink::close);
    }

    private RedisStreamSink.Settings settings(String epoch) {
        return RedisStreamSink.Settings.defaults(URI.create(redis.url()), gatewayId, epoch)
                .withStreams(alerts, telemetry, audit)
                .withCommandTimeout(TIMEOUT);
    }

    private RedisStreamSink connectedSink(RedisStreamSink.Settings settings) {
        RedisStreamSink sink = new RedisStreamSink(settings);
        sinks.add(sink);
        await().atMost(Duration.ofSeconds(10)).until(sink::isConnected);
        return sink;
    }

    @Test
    void batchLandsInTheRoutedStreamsWithExactlyTheDocumentedFields() throws Exception {
        RedisStreamSink sink = connectedSink(settings("e1"));
        OutboxRecord t1 = telemetry(1);
        OutboxRecord a2 = alert(2, Severity.HIGH);
        OutboxRecord audit4 = audit(4);

        sink.deliver(List.of(t1, a2, attestation(3), audit4));

        assertThat(probe.entries(alerts))
                .singleElement()
                .satisfies(e -> assertThat(e.fields())
                        .containsExactly(
                                Map.entry("id", "dev-1:1:2"),
                                Map.entry("timestamp", "2026-11-26T10:15:30.125Z"),
                                Map.entry("data", Records.body(a2)),
                                Map.entry("severity", "high"),
                                Map.entry("source", "mqtt"),
                                Map.entry("category", "cps")));
        assertThat(probe.entries(telemetry))
                .singleElement()
                .satisfies(e -> assertThat(e.fields())
                        .containsEntry("id", "dev-1:1:1")
                        .containsEntry("severity", "info")
                        .containsEntry("category", "cps"));
        assertThat(probe.entries(audit))
                .singleElement()
                .satisfies(e -> assertThat(e.fields())
                        .containsEntry("id", "gw-audit:4")
                        .containsEntry("source", "gateway")
                        .containsEntry("category", "audit")
                        .containsEntry("data", Records.body(audit4)));
        assertThat(probe.hash(RedisHighWaterMark.HASH_KEY))
                .containsEntry(gatewayId + "|e1|" + alerts, "2")
                .containsEntry(gatewayId + "|e1|" + telemetry, "1")
                .containsEntry(gatewayId + "|e1|" + audit, "4");
    }

    @Test
    void theFlatSourceCategoryAndSeverityAreAlwaysTheOnesInsideData() throws Exception {
        RedisStreamSink sink = connectedSink(settings("e1"));
        // A verdict about a device, audited: the event says mqtt/cps/critical, so must the entry.
        String json = "{\"id\":\"gw-1:e1:1\",\"source\":\"mqtt\",\"severity\":\"critical\",\"category\":\"cps\","
                + "\"fields\":{\"source\":\"nested, ignored\"},\"device_id\":\"dev-1\"}";
        OutboxRecord verdict = new OutboxRecord(
                1,
                "gw-1:e1:1",
                "dev-1",
                Channel.AUDIT,
                Severity.HIGH,
                Records.ACCEPTED_AT,
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        OutboxRecord held = Records.record(2, Channel.HELD, Severity.MEDIUM);

        sink.deliver(List.of(verdict, held));

        assertThat(probe.entries(audit)).hasSize(2).allSatisfy(e -> {
            com.fasterxml.jackson.databind.JsonNode data = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(e.fields().get("data"));
            assertThat(e.fields().get("source")).isEqualTo(data.get("source").asText());
            assertThat(e.fields().get("category"))
                    .isEqualTo(data.get("category").asText());
            assertThat(e.fields().get("severity"))
                    .isEqualTo(data.get("severity").asText());
        });
        assertThat(probe.entries(audit).get(0).fields())
                .containsEntry("source", "mqtt")
                .containsEntry("category", "cps")
                .containsEntry("severity", "critical");
    }

    @Test
    void redisCliReadsTheEntryFieldByField() throws Exception {
        RedisStreamSink sink = connectedSink(settings("e1"));
        OutboxRecord a1 = alert(1, Severity.CRITICAL);

        sink.deliver(List.of(a1));

        List<String> lines = redis.cli("XRANGE", alerts, "-", "+").lines().toList();
        assertThat(lines.subList(1, lines.size()))
                .containsExactly(
                        "id",
                        "dev-1:1:1",
                        "timestamp",
                        "2026-11-26T10:15:30.124Z",
                        "data",
                        Records.body(a1),
                        "severity",
                        "critical",
                        "source",
                        "mqtt",
                        "category",
                        "cps");
    }

    @Test
    void deliveringTheSameBatchTwiceLeavesEveryStreamUnchanged() throws Exception {
        RedisStreamSink sink = connectedSink(settings("e1"));
        List<OutboxRecord> batch = List.of(telemetry(1), alert(2, Severity.LOW), telemetry(3), audit(4));
        sink.deliver(batch);
        var before = List.of(probe.entries(alerts), probe.entries(telemetry), probe.entries(audit));

        sink.deliver(batch);

        assertThat(List.of(probe.entries(alerts), probe.entries(telemetry), probe.entries(audit)))
                .isEqualTo(before);
        assertThat(sink.duplicatesSkipped()).isEqualTo(4);
    }

    @Test
    void retriedBatchWritesOnlyTheRecordsNotYetWritten() throws Exception {
        RedisStreamSink sink = connectedSink(settings("e1"));
        sink.deliver(telemetry(1, 3));

        sink.deliver(telemetry(1, 6));

        assertThat(probe.entries(telemetry))
                .extracting(e -> e.fields().get("id"))
                .containsExactly("dev-1:1:1", "dev-1:1:2", "dev-1:1:3", "dev-1:1:4", "dev-1:1:5", "dev-1:1:6");
    }

    @Test
    void aNewOutboxEpochIsNotSuppressedByTheMarkOfThePreviousOne() throws Exception {
        connectedSink(settings("epoch-a")).deliver(telemetry(1, 3));

        connectedSink(settings("epoch-b")).deliver(telemetry(1, 3));

        assertThat(probe.xlen(telemetry)).isEqualTo(6);
    }

    @Test
    void approximateMaxLenTrimsTheStream() throws Exception {
        RedisStreamSink sink = connectedSink(settings("e1").withMaxLen(100));

        for (int from = 1; from <= 1000; from += 250) {
            sink.deliver(telemetry(from, from + 249));
        }

        assertThat(probe.xlen(telemetry)).isBetween(100L, 200L);
    }

    @Test
    void aRecordRedisRejectsFailsTheBatchAndTheRetryWritesOnlyWhatIsMissing() throws Exception {
        RedisStreamSink sink = connectedSink(settings("e1"));
        redis.cli("SET", telemetry, "not-a-stream");
        List<OutboxRecord> batch =
                List.of(alert(1, Severity.HIGH), telemetry(2), alert(3, Severity.HIGH), telemetry(4));

        assertThatThrownBy(() -> sink.deliver(batch))
                .isInstanceOf(SinkUnavailableException.class)
                .hasMessageContaining("stream=" + telemetry)
                .hasMessageContaining("seq=2");
        probe.delete(telemetry);
        sink.deliver(batch);

        assertThat(probe.xlen(alerts)).isEqualTo(2);
        assertThat(probe.xlen(telemetry)).isEqualTo(2);
    }

    @Test
    void aBatchCostsOneScriptCallPerChunkNotOnePerRecord() throws Exception {
        RedisStreamSink sink = connectedSink(settings("e1"));
        sink.deliver(telemetry(1, 1)); // loads the script
        redis.cli("CONFIG", "RESETSTAT");
        int records = 2 * RedisStreamSink.CHUNK + 10;

        sink.deliver(telemetry(2, records + 1));

        assertThat(probe.xlen(telemetry)).isEqualTo(records + 1);
        assertThat(scriptCalls()).isEqualTo(3);
    }

    @Test
    void aRetryAfterALostAnswerSkipsWhatRedisHasAcrossChunks() throws Exception {
        RedisStreamSink sink = connectedSink(settings("e1"));
        long chunk = RedisStreamSink.CHUNK;
        sink.deliver(telemetry(1, chunk + 7)); // acknowledged by Redis, answer lost: the same records again

        sink.deliver(telemetry(1, 3 * chunk));

        assertThat(probe.entries(telemetry))
                .extracting(e -> e.fields().get("id"))
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 3 * chunk)
                        .mapToObj(seq -> "dev-1:1:" + seq)
                        .toList());
        assertThat(sink.duplicatesSkipped()).isEqualTo(chunk + 7);
    }

    @Test
    void aRecordRejectedInTheFirstChunkKeepsTheLaterChunksFromWritingPastIt() throws Exception {
        RedisStreamSink sink = connectedSink(settings("e1"));
        redis.cli("SET", telemetry, "not-a-stream");
        List<OutboxRecord> batch = new ArrayList<>();
        for (long seq = 1; seq <= 3L * RedisStreamSink.CHUNK; seq++) {
            batch.add(seq % 2 == 1 ? alert(seq, Severity.HIGH) : telemetry(seq));
        }

        assertThatThrownBy(() -> sink.deliver(batch))
                .isInstanceOf(SinkUnavailableException.class)
                .hasMessageContaining("stream=" + telemetry)
                .hasMessageContaining("seq=2 ");
        assertThat(probe.xlen(alerts)).isEqualTo(1); // seq 1, before the rejected record; nothing after it
        probe.delete(telemetry);
        sink.deliver(batch);

        assertThat(probe.entries(alerts)).hasSize(3 * RedisStreamSink.CHUNK / 2 + (3 * RedisStreamSink.CHUNK) % 2);
        assertThat(probe.entries(telemetry))
                .extracting(e -> e.fields().get("id"))
                .first()
                .isEqualTo("dev-1:1:2");
        assertThat(probe.xlen(telemetry)).isEqualTo(3 * RedisStreamSink.CHUNK / 2);
    }

    /** EVALSHA calls since the last CONFIG RESETSTAT, from INFO commandstats. */
    private static long scriptCalls() {
        for (String line : redis.cli("INFO", "commandstats").lines().toList()) {
            if (line.startsWith("cmdstat_evalsha:calls=")) {
                String calls = line.substring("cmdstat_evalsha:calls=".length());
                return Long.parseLong(calls.substring(0, calls.indexOf(',')));
            }
        }
        return 0;
    }

    @Test
    void afterTheScriptCacheIsFlushedTheSinkReloadsTheScriptAndStillDeduplicates() throws Exception {
        RedisStreamSink sink = connectedSink(settings("e1"));
        sink.deliver(telemetry(1, 2));
        probe.flushScripts();

        sink.deliver(telemetry(1, 4));

        assertThat(probe.xlen(telemetry)).isEqualTo(4);
    }

    @Test
    void whileRedisIsDownDeliverFailsPromptlyAndNothingIsSentLater() throws Exception {
        RedisStreamSink sink = connectedSink(settings("e1"));
        sink.deliver(telemetry(1, 2));
        redis.kill();

        long start = System.nanoTime();
        assertThatThrownBy(() -> sink.deliver(telemetry(3, 4))).isInstanceOf(SinkUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(1));
        await().atMost(TIMEOUT).until(() -> !sink.isConnected());
        assertThatThrownBy(() -> sink.deliver(telemetry(3, 4)))
                .isInstanceOf(SinkUnavailableException.class)
                .hasMessageContaining("not connected");

        redis.restart(); // no persistence: comes back empty
        await().atMost(Duration.ofSeconds(15)).until(sink::isConnected);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> probe.xlen(telemetry) == 0);
    }

    @Test
    void afterARestartThatLostScriptsAndDataDeliveryResumes() throws Exception {
        RedisStreamSink sink = connectedSink(settings("e1"));
        sink.deliver(List.of(alert(1, Severity.HIGH)));

        redis.kill();
        redis.restart();
        await().atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .untilAsserted(() -> sink.deliver(List.of(alert(2, Severity.HIGH))));

        assertThat(probe.entries(alerts)).extracting(e -> e.fields().get("id")).containsExactly("dev-1:1:2");
    }

    @Test
    void aSinkConstructedWhileRedisIsDownConnectsByItselfLater() throws Exception {
        redis.kill();

        long start = System.nanoTime();
        RedisStreamSink sink = new RedisStreamSink(settings("e1"));
        sinks.add(sink);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(sink.isConnected()).isFalse();
        assertThatThrownBy(() -> sink.deliver(telemetry(1, 1))).isInstanceOf(SinkUnavailableException.class);

        redis.restart();
        await().atMost(Duration.ofSeconds(15)).until(sink::isConnected);
        sink.deliver(telemetry(1, 1));

        assertThat(probe.xlen(telemetry)).isEqualTo(1);
    }
}
