package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.cli.StatusCommand;
import aurora.edge.testing.NatsServerProcess;
import aurora.edge.testing.RedisServerProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** /healthz, /readyz, /metrics and /status on the ops port report what the gateway does. */
class OpsEndpointsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private RedisServerProcess redis;
    private NatsServerProcess nats;
    private TestGateway gw;

    @BeforeEach
    void start() {
        redis = RedisServerProcess.start();
        nats = NatsServerProcess.start();
        gw = new TestGateway(dir, redis.url(), nats.url(), Map.of("AURORA_FORWARD_READY_MAX_BACKLOG_AGE", "1s")).start();
    }

    @AfterEach
    void stop() {
        gw.close();
        nats.close();
        redis.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.gateway().httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndReadinessAnswerWhileAllIsWell() throws Exception {
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/readyz").statusCode() == 200);
    }

    @Test
    void metricsAndStatusCountAcceptedMessages() throws Exception {
        String pw = gw.passwordFor("ops-1");
        assertThat(MosquittoClients.publish(gw.mqttPort(), "ops-1", pw, "aurora/sensors/ops-1/telemetry", "{\"seq\":1}", 1).exitCode()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/metrics").body().contains("aurora_intake_accepted_total{channel=\"telemetry\""));
        String metrics = get("/metrics").body();
        assertThat(metrics).contains("aurora_outbox_appended_total", "aurora_forward_backlog", "jvm_memory_used_bytes", "gateway=\"gw-test\"");
        JsonNode status = JSON.readTree(get("/status").body());
        assertThat(status.path("mqttPort").asInt()).isEqualTo(gw.mqttPort());
        assertThat(status.path("accepted").asLong()).isEqualTo(1);
        assertThat(status.path("sinks")).hasSize(2);
        assertThat(StatusCommand.line(gw.gateway().status(), 0)).contains("accepted=1", "redis", "nats");
    }

    @Test
    void readinessDegradesWhenASinksBacklogGetsOldAndRecovers() throws Exception {
        redis.kill();
        String pw = gw.passwordFor("ops-2");
        assertThat(MosquittoClients.publish(gw.mqttPort(), "ops-2", pw, "aurora/sensors/ops-2/telemetry", "{\"seq\":1}", 1).exitCode()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/readyz").statusCode() == 503);
        assertThat(get("/readyz").body()).contains("sink redis", "forward.ready_max_backlog_age");
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        redis.restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/readyz").statusCode() == 200);
    }
}
