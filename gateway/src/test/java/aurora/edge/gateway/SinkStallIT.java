package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.testing.NatsServerProcess;
import aurora.edge.testing.RedisProbe;
import aurora.edge.testing.RedisServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Redis that keeps its connections open but answers nothing: the gateway notices, reconnects, reports, recovers. */
class SinkStallIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private RedisServerProcess redis;
    private NatsServerProcess nats;
    private TestGateway gw;

    @BeforeEach
    void start() {
        redis = RedisServerProcess.start(RedisServerProcess.Persistence.AOF);
        nats = NatsServerProcess.start();
        gw = new TestGateway(
                        dir,
                        redis.url(),
                        nats.url(),
                        Map.of("AURORA_FORWARD_STALL_TIMEOUT", "2s", "AURORA_REDIS_TIMEOUT", "500ms"))
                .start();
    }

    @AfterEach
    void stop() {
        gw.close();
        nats.close();
        redis.close();
    }

    private HttpResponse<String> readyz() throws Exception {
        return http.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + gw.gateway().httpPort() + "/readyz"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void publish(int seq) {
        assertThat(MosquittoClients.publish(
                                gw.mqttPort(),
                                "stall-1",
                                gw.passwordFor("stall-1"),
                                "aurora/sensors/stall-1/telemetry",
                                "{\"seq\":" + seq + ",\"boot\":1}",
                                1)
                        .exitCode())
                .isZero();
    }

    @Test
    void aHungRedisIsDetectedAsStalledReconnectedAndRecoveredFrom() throws Exception {
        publish(1);
        try (RedisProbe probe = new RedisProbe(redis.url())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> probe.xlen("aurora:cps:telemetry") == 1);
            redis.freeze();
            publish(2);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> gw.metric("aurora_forward_stalls", "sink", "redis") >= 1);
            assertThat(readyz().statusCode()).isEqualTo(503);
            assertThat(readyz().body()).contains("sink redis: stalled");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> nats.probe().messages("AURORA", "AURORA.audit").stream()
                            .anyMatch(m -> m.dataUtf8().contains("SINK_STALLED")));
            // the SOC hears of it as an alert through the sink that still works
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> nats.probe().messages("AURORA", "AURORA.alerts").stream()
                            .anyMatch(m -> m.dataUtf8().contains("\"code\":\"SINK_STALLED\"")
                                    && m.dataUtf8().contains("\"sink\":\"redis\"")));

            redis.thaw();
            await().atMost(Duration.ofSeconds(30)).until(() -> probe.xlen("aurora:cps:telemetry") == 2);
            await().atMost(Duration.ofSeconds(20)).until(() -> readyz().statusCode() == 200);
            assertThat(gw.gateway().status().sinks()).noneMatch(s -> s.stalled());
        }
    }
}
