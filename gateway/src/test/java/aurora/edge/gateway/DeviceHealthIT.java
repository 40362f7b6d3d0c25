package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.testing.OpsRequests;
import aurora.edge.testing.RedisProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12 part 4: device health, AuroraSOC's way, on a real gateway, Redis and NATS with
 * {@code mosquitto_pub} as the device. Thresholds are seconds here (stale after 2 s, offline after
 * 4 s, a pass every 200 ms) so the transitions happen while the test watches.
 */
class DeviceHealthIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ALERTS = "aurora:cps:alerts";

    @RegisterExtension
    final GatewayStack stack = GatewayStack.with(Map.of(
            "AURORA_DEVICES_STALE_AFTER", "2s",
            "AURORA_DEVICES_OFFLINE_AFTER", "4s",
            "AURORA_DEVICES_HEALTH_CHECK_INTERVAL", "200ms"));

    private TestGateway gw() {
        return stack.gateway();
    }

    @Test
    void aSilentDeviceGoesStaleThenOfflineWithOneAlertEachAndComesBackOnlineWithOneInfoEventWhenItSendsAHeartbeat()
            throws Exception {
        publish("hl-1", "telemetry", "{\"seq\":1,\"boot\":1,\"temp_c\":21.5}");
        await().atMost(WAIT).until(() -> gw().gateway().devices().find("hl-1").isPresent());
        assertThat(device("hl-1").path("health").asText()).isEqualTo("online");

        await().atMost(WAIT).until(() -> alerts("hl-1", "DEVICE_STALE").size() == 1);
        assertThat(device("hl-1").path("health").asText()).isIn("stale", "offline");
        await().atMost(WAIT).until(() -> alerts("hl-1", "DEVICE_OFFLINE").size() == 1);
        assertThat(device("hl-1").path("health").asText()).isEqualTo("offline");
        // Several more passes while the device stays silent: nothing more is raised.
        await().during(Duration.ofSeconds(2))
                .atMost(WAIT)
                .until(() -> alerts("hl-1", "DEVICE_STALE").size() == 1
                        && alerts("hl-1", "DEVICE_OFFLINE").size() == 1);

        JsonNode stale = alerts("hl-1", "DEVICE_STALE").get(0);
        assertThat(stale.path("severity").asText()).isEqualTo("medium");
        JsonNode offline = alerts("hl-1", "DEVICE_OFFLINE").get(0);
        assertThat(offline.path("severity").asText()).isEqualTo("critical");
        for (JsonNode alert : List.of(stale, offline)) {
            assertThat(alert.path("source").asText()).isEqualTo("mqtt");
            assertThat(alert.path("category").asText()).isEqualTo("cps");
            assertThat(alert.path("device_id").asText()).isEqualTo("hl-1");
        }
        // The flat Redis fields are the ones inside data.
        RedisProbe.Entry entry = entries("hl-1", "DEVICE_OFFLINE").get(0);
        assertThat(entry.fields())
                .containsEntry("severity", "critical")
                .containsEntry("source", "mqtt")
                .containsEntry("category", "cps");
        assertThat(fleetHealth()).containsEntry("offline", 1L);
        await().atMost(WAIT).until(() -> gauge("offline") == 1.0);

        publish("hl-1", "status", "{\"uptime_s\":60,\"fw\":\"1.0.0\"}");
        await().atMost(WAIT).until(() -> alerts("hl-1", "DEVICE_BACK_ONLINE").size() == 1);
        JsonNode back = alerts("hl-1", "DEVICE_BACK_ONLINE").get(0);
        assertThat(back.path("severity").asText()).isEqualTo("info");
        assertThat(back.path("source").asText() + "/" + back.path("category").asText())
                .isEqualTo("mqtt/cps");
        assertThat(back.path("fields").path("previous_health").asText()).isEqualTo("offline");
        assertThat(device("hl-1").path("health").asText()).isEqualTo("online");
        assertThat(devicesWithHealth("online")).contains("hl-1");
        assertThat(devicesWithHealth("offline")).doesNotContain("hl-1");
        assertThat(getStatus("/devices?health=asleep")).isEqualTo(400);
        await().atMost(WAIT).until(() -> gauge("online") == 1.0 && gauge("offline") == 0.0);
    }

    @Test
    @SuppressWarnings("try") // the heartbeats only need to run while the body does
    void aQuarantinedDeviceThatKeepsSendingHeartbeatsStaysOnlineWhileASilentOneGoesOffline() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        try (Heartbeats beats = new Heartbeats("hl-q", Duration.ofMillis(400), sent)) {
            await().atMost(WAIT)
                    .until(() -> gw().gateway().devices().find("hl-q").isPresent());
            assertThat(quarantine("hl-q")).isEqualTo(200);
            assertThat(gw().gateway().devices().find("hl-q").orElseThrow().quarantined())
                    .isTrue();
            publish("hl-s", "telemetry", "{\"seq\":1,\"boot\":1}");
            // The silent neighbour is the clock: once it is Offline, the quarantined one has been watched for as long.
            await().atMost(WAIT).until(() -> alerts("hl-s", "DEVICE_OFFLINE").size() == 1);
            assertThat(sent.get()).isGreaterThan(5);
            assertThat(device("hl-q").path("health").asText()).isEqualTo("online");
            assertThat(device("hl-q").path("quarantined").asBoolean()).isTrue();
            assertThat(alertsAbout("hl-q")).isEmpty();
        }
    }

    @Test
    void aRestartDoesNotAlertAgainAboutADeviceAlreadyKnownOffline() throws Exception {
        publish("hl-r", "telemetry", "{\"seq\":1,\"boot\":1}");
        await().atMost(WAIT).until(() -> alerts("hl-r", "DEVICE_OFFLINE").size() == 1);

        gw().restartOnPort(gw().mqttPort());
        assertThat(gw().gateway().devices().health("hl-r").wireName()).isEqualTo("offline");
        // A device first heard after the restart is the clock: once it is Offline, hl-r has been silent under the new
        // gateway for longer.
        publish("hl-after", "telemetry", "{\"seq\":1,\"boot\":1}");
        await().atMost(WAIT).until(() -> alerts("hl-after", "DEVICE_OFFLINE").size() == 1);
        assertThat(alerts("hl-r", "DEVICE_OFFLINE")).hasSize(1);
        assertThat(alerts("hl-r", "DEVICE_STALE")).hasSize(1);
        assertThat(alerts("hl-r", "DEVICE_BACK_ONLINE")).isEmpty();
        assertThat(device("hl-r").path("health").asText()).isEqualTo("offline");
    }

    // ---- helpers ----

    private void publish(String id, String channel, String payload) {
        var result = MosquittoClients.publish(
                gw().mqttPort(), id, gw().passwordFor(id), "aurora/sensors/" + id + "/" + channel, payload, 1);
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    private List<RedisProbe.Entry> entries(String deviceId, String code) {
        List<RedisProbe.Entry> out = new ArrayList<>();
        for (RedisProbe.Entry e : stack.redisProbe().entries(ALERTS)) {
            JsonNode n = read(e.fields().get("data"));
            if (deviceId.equals(n.path("device_id").asText())
                    && code.equals(n.path("fields").path("code").asText())) {
                out.add(e);
            }
        }
        return out;
    }

    private List<JsonNode> alerts(String deviceId, String code) {
        return entries(deviceId, code).stream()
                .map(e -> read(e.fields().get("data")))
                .toList();
    }

    private List<String> alertsAbout(String deviceId) {
        return stack.redisProbe().entries(ALERTS).stream()
                .map(e -> read(e.fields().get("data")))
                .filter(n -> deviceId.equals(n.path("device_id").asText()))
                .map(n -> n.path("fields").path("code").asText())
                .toList();
    }

    private JsonNode device(String id) throws Exception {
        return read(get("/devices/" + id));
    }

    private List<String> devicesWithHealth(String health) throws Exception {
        List<String> ids = new ArrayList<>();
        read(get("/devices?health=" + health))
                .path("devices")
                .forEach(d -> ids.add(d.path("device_id").asText()));
        return ids;
    }

    private Map<String, Long> fleetHealth() throws Exception {
        JsonNode byHealth = read(get("/status")).path("devices").path("byHealth");
        return Map.of(
                "online",
                byHealth.path("online").asLong(),
                "stale",
                byHealth.path("stale").asLong(),
                "offline",
                byHealth.path("offline").asLong());
    }

    /** {@code sum by (health) (aurora_devices)}, read from the meter registry the /metrics scrape shows. */
    private double gauge(String health) {
        return gw().gateway().metrics().registry().find("aurora_devices").tag("health", health).gauges().stream()
                .mapToDouble(g -> g.value())
                .sum();
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw().httpPort() + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private int getStatus(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw().httpPort() + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private int quarantine(String id) throws Exception {
        return OpsRequests.post(
                        gw().httpPort(), stack.dataDir().resolve("ops.token"), "/devices/" + id + "/quarantine", "it")
                .statusCode();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A device's heartbeats on its status topic, one {@code mosquitto_pub -l} connection, a line every {@code period}. */
    @SuppressWarnings(
            "try") // close() waits for mosquitto_pub to end; the tests that use it throw InterruptedException on
    private final class Heartbeats implements AutoCloseable {
        private final Process process;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

        Heartbeats(String id, Duration period, AtomicInteger sent) throws IOException {
            process = new ProcessBuilder(
                            "mosquitto_pub",
                            "-h",
                            "127.0.0.1",
                            "-p",
                            String.valueOf(gw().mqttPort()),
                            "-V",
                            "mqttv311",
                            "-i",
                            id,
                            "-u",
                            id,
                            "-P",
                            gw().passwordFor(id),
                            "-q",
                            "1",
                            "-t",
                            "aurora/sensors/" + id + "/status",
                            "-l")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            OutputStream in = process.getOutputStream();
            timer.scheduleAtFixedRate(
                    () -> {
                        try {
                            in.write(("{\"uptime_s\":" + sent.incrementAndGet() + "}\n")
                                    .getBytes(StandardCharsets.UTF_8));
                            in.flush();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    0,
                    period.toMillis(),
                    TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            timer.shutdownNow();
            timer.awaitTermination(5, TimeUnit.SECONDS);
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
