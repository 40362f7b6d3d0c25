package aurora.edge.gateway.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.attestation.evidence.Challenge;
import aurora.edge.attestation.evidence.RunningFirmware;
import aurora.edge.firmware.SampleFirmware;
import aurora.edge.gateway.TestGateway;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.Device;
import aurora.edge.testing.NatsProbe;
import aurora.edge.testing.NatsServerProcess;
import aurora.edge.testing.OpsRequests;
import aurora.edge.testing.RedisProbe;
import aurora.edge.testing.RedisServerProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the attestation ITs share, as a JUnit extension on a static field: a real
 * {@code redis-server} and {@code nats-server} for the class; per test a fresh directory holding
 * copies of the sample manifest, endorsement list and DEV vendor key (the files the gateway
 * watches), a gateway on them ({@link #start}), the simulated devices the test connects, and
 * readers of what reached Redis and NATS. The Redis streams are emptied before each test; the NATS
 * stream is not, so every device id is used by one test only and NATS messages are filtered by device.
 *
 * <pre>{@code @RegisterExtension static final AttestationStack stack = new AttestationStack();}</pre>
 */
final class AttestationStack implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private RedisServerProcess redis;
    private NatsServerProcess nats;
    private Path dir;
    private TestGateway gw;
    private RedisProbe redisProbe;
    private NatsProbe natsProbe;
    private final List<SimulatedDevice> devices = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        redis = RedisServerProcess.start();
        nats = NatsServerProcess.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        nats.close();
        redis.close();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("aurora-attest-");
        redisProbe = new RedisProbe(redis.url());
        // Events about the gateway as a whole carry no device id to tell tests apart: each test starts with empty
        // streams.
        redisProbe.delete("aurora:cps:alerts", "aurora:cps:telemetry", "aurora:audit");
        natsProbe = new NatsProbe(nats.url(), null);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        devices.forEach(SimulatedDevice::close);
        devices.clear();
        if (gw != null) {
            gw.close();
            gw = null;
        }
        redisProbe.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * Starts a gateway with attestation on the sample documents, policy {@code endorsed}, and
     * these {@code AURORA_*} settings on top.
     */
    TestGateway start(Map<String, String> overrides) throws IOException {
        Path anchors = Files.createDirectories(dir.resolve("anchors"));
        for (String f : List.of(
                SampleFirmware.MANIFEST,
                SampleFirmware.MANIFEST + ".sig",
                SampleFirmware.ENDORSEMENTS,
                SampleFirmware.ENDORSEMENTS + ".sig")) {
            Files.write(anchors.resolve(f), SampleFirmware.resource(f));
        }
        Files.write(anchors.resolve("vendor.pub.pem"), SampleFirmware.resource(SampleFirmware.VENDOR_PUBLIC_KEY));
        Map<String, String> settings = new HashMap<>(Map.of(
                "AURORA_DEVICES_REGISTRATION_POLICY", "endorsed",
                "AURORA_ATTEST_MANIFEST", manifestFile().toString(),
                "AURORA_ATTEST_ENDORSEMENTS",
                        anchors.resolve(SampleFirmware.ENDORSEMENTS).toString(),
                "AURORA_ATTEST_VENDOR_KEY", anchors.resolve("vendor.pub.pem").toString(),
                "AURORA_ATTEST_CHALLENGE_TTL", "30s"));
        settings.putAll(overrides);
        gw = new TestGateway(dataDir(), redis.url(), nats.url(), settings).start();
        return gw;
    }

    TestGateway gw() {
        return gw;
    }

    /** The gateway's data directory (its databases and site key). */
    Path dataDir() {
        return dir.resolve("gw");
    }

    /** The manifest the gateway watches ({@code attest.manifest}); its signature is next to it as {@code .sig}. */
    Path manifestFile() {
        return dir.resolve("anchors").resolve(SampleFirmware.MANIFEST);
    }

    /** The endorsement list the gateway watches ({@code attest.endorsements}); its signature is next to it as {@code .sig}. */
    Path endorsementsFile() {
        return dir.resolve("anchors").resolve(SampleFirmware.ENDORSEMENTS);
    }

    /** A scratch directory of this test, deleted after it. */
    Path dir() {
        return dir;
    }

    NatsProbe natsProbe() {
        return natsProbe;
    }

    /** A simulated device connected to the gateway, closed after the test. */
    SimulatedDevice device(String id) {
        SimulatedDevice d = new SimulatedDevice(gw.mqttPort(), id, gw.passwordFor(id));
        devices.add(d);
        return d;
    }

    /** A device with stock AuroraSOC firmware (challenged on aurora/attestation/{id}/request), closed after the test. */
    SimulatedDevice stockDevice(String id) {
        SimulatedDevice d = SimulatedDevice.stock(gw.mqttPort(), id, gw.passwordFor(id));
        devices.add(d);
        return d;
    }

    /** The newest allowed image of the board of {@code sim-<index>}: what an honest simulated device runs. */
    static RunningFirmware latest(int index) {
        return SimulatedDevice.firmware(SampleFirmware.latestAllowed(SampleFirmware.boardOfSimDevice(index)));
    }

    Device registered(String id) {
        return gw.gateway().devices().find(id).orElseThrow(() -> new AssertionError(id + " is not registered"));
    }

    void awaitState(String id, AttestationState state) {
        await().atMost(WAIT)
                .until(() -> gw.gateway().devices().find(id).map(Device::state).orElse(null) == state);
    }

    RedisProbe redisProbe() {
        return redisProbe;
    }

    /** The normalized events in a Redis stream. */
    List<JsonNode> events(String stream) {
        List<JsonNode> out = new ArrayList<>();
        for (RedisProbe.Entry e : redisProbe.entries(stream)) {
            try {
                out.add(JSON.readTree(e.fields().get("data")));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return out;
    }

    /** The normalized events of one device in a Redis stream. */
    List<JsonNode> events(String stream, String deviceId) {
        return events(stream).stream()
                .filter(e -> deviceId.equals(e.path("device_id").asText()))
                .toList();
    }

    /** Audit events about the gateway as a whole (no device) with this code. */
    List<JsonNode> gatewayAudits(String code) {
        return events("aurora:audit").stream()
                .filter(e -> e.path("device_id").isMissingNode()
                        || e.path("device_id").isNull())
                .filter(e -> code.equals(e.path("fields").path("code").asText()))
                .toList();
    }

    long auditsWithoutDevice(String code) {
        return gatewayAudits(code).size();
    }

    long audits(String deviceId, String code) {
        return events("aurora:audit", deviceId).stream()
                .filter(e -> code.equals(e.path("fields").path("code").asText()))
                .count();
    }

    /** The device's data kept in the audit stream because it is quarantined. */
    List<JsonNode> held(String deviceId) {
        return held(deviceId, "quarantined");
    }

    /** The device's data kept in the audit stream, stamped with this {@code trust} ({@code quarantined}, {@code unapproved}). */
    List<JsonNode> held(String deviceId, String trust) {
        return events("aurora:audit", deviceId).stream()
                .filter(e -> trust.equals(e.path("trust").asText()))
                .toList();
    }

    long natsAlerts(String deviceId) {
        return natsProbe.messages("AURORA", "AURORA.alerts").stream()
                .filter(m -> m.dataUtf8().contains("\"device_id\":\"" + deviceId + "\""))
                .count();
    }

    /** A device honest so far: registered by its first message, challenged, answers, TRUSTED. */
    Challenge trusted(SimulatedDevice d, int index, long boot) throws InterruptedException {
        return trusted(d, latest(index), boot);
    }

    /** The same, for a device running {@code firmware} (which must be allowed by the manifest). */
    Challenge trusted(SimulatedDevice d, RunningFirmware firmware, long boot) throws InterruptedException {
        d.telemetry(boot, 1, firmware.version().toString());
        Challenge c = d.nextChallenge();
        d.answer(c, firmware, boot);
        awaitState(d.id, AttestationState.TRUSTED);
        return c;
    }

    /**
     * The quarantine contract: the state and reason, one critical alert on both buses, one audit
     * event, and the device's later telemetry and alerts kept in the audit stream only.
     */
    void assertQuarantined(SimulatedDevice d, AttestationState state, String reason, long boot) {
        assertQuarantined(d, state, reason, boot, "DEVICE_QUARANTINED");
    }

    void assertQuarantined(SimulatedDevice d, AttestationState state, String reason, long boot, String auditCode) {
        await().atMost(WAIT)
                .until(() ->
                        registered(d.id).state() == state && registered(d.id).quarantined());
        Device device = registered(d.id);
        assertThat(device.reason()).isEqualTo(reason);
        await().atMost(WAIT).until(() -> audits(d.id, auditCode) >= 1);
        await().atMost(WAIT).until(() -> natsAlerts(d.id) >= 1);

        d.telemetry(boot, 90, "1.2.0");
        d.alert(boot, 91);
        await().atMost(WAIT).until(() -> held(d.id).size() == 2);
        List<JsonNode> gatewayAlerts = events("aurora:cps:alerts", d.id).stream()
                .filter(e -> "DEVICE_QUARANTINED"
                        .equals(e.path("fields").path("code").asText()))
                .toList();
        assertThat(gatewayAlerts).hasSize(1);
        assertThat(gatewayAlerts.get(0).path("severity").asText()).isEqualTo("critical");
        // A verdict about a device is that device's CPS event, filed the way AuroraSOC correlates it.
        assertThat(gatewayAlerts.get(0).path("source").asText()).isEqualTo("mqtt");
        assertThat(gatewayAlerts.get(0).path("category").asText()).isEqualTo("cps");
        assertThat(gatewayAlerts.get(0).path("message_type").asText()).isEqualTo("alerts");
        if (state == AttestationState.UNKNOWN_FIRMWARE
                || state == AttestationState.REVOKED
                || state == AttestationState.DOWNGRADE) {
            assertThat(gatewayAlerts.get(0).path("correlation_type").asText()).isEqualTo("FIRMWARE_MISMATCH");
            assertThat(gatewayAlerts.get(0).path("mitre_techniques"))
                    .extracting(JsonNode::asText)
                    .contains("T1542");
        }
        keepAsExample("quarantine-alert-" + state.name().toLowerCase(java.util.Locale.ROOT), gatewayAlerts.get(0));
        assertThat(gatewayAlerts.get(0).path("fields").path("reason").asText()).isEqualTo(reason);
        assertThat(natsAlerts(d.id)).isEqualTo(1);
        assertThat(audits(d.id, auditCode)).isEqualTo(1);
        String later = "site-test:" + d.id + ":" + boot + ":9";
        assertThat(events("aurora:cps:telemetry", d.id))
                .noneMatch(e -> e.path("id").asText().startsWith(later));
        assertThat(events("aurora:cps:alerts", d.id))
                .noneMatch(e -> e.path("id").asText().startsWith(later));
        // Attestation is the trust boundary (issue 11): what reached the trusted stream was received before the
        // quarantine
        // and released by a TRUSTED verdict; a device never attested has nothing there at all.
        List<JsonNode> telemetry = events("aurora:cps:telemetry", d.id);
        if (device.lastAttestedAt() == null) {
            assertThat(telemetry).isEmpty();
        }
        assertThat(telemetry)
                .allMatch(e -> "trusted".equals(e.path("trust").asText())
                        && java.time.Instant.parse(e.path("received_at").asText())
                                .isBefore(device.statusChangedAt()));
        assertThat(held(d.id))
                .extracting(e -> e.path("message_type").asText())
                .containsExactlyInAnyOrder("telemetry", "alerts");
        keepAsExample(
                "held-telemetry",
                held(d.id).stream()
                        .filter(e -> "telemetry".equals(e.path("message_type").asText()))
                        .findFirst()
                        .orElseThrow());
    }

    /** docs/aurorasoc.md copies its examples from {@code target/aurorasoc-events/}. */
    private static void keepAsExample(String name, JsonNode event) {
        try {
            java.nio.file.Path out = java.nio.file.Path.of("target", "aurorasoc-events");
            java.nio.file.Files.createDirectories(out);
            java.nio.file.Files.writeString(
                    out.resolve(name + ".json"),
                    new com.fasterxml.jackson.databind.ObjectMapper()
                                    .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                                    .writeValueAsString(event)
                            + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An operator command on the ops port, from loopback with the ops token and the operator header, as {@code devices ACTION ID} sends it. */
    HttpResponse<String> operator(String id, String action) throws Exception {
        return OpsRequests.post(gw.httpPort(), opsTokenFile(), "/devices/" + id + "/" + action, "test");
    }

    /** The gateway's ops token ({@code ops.token_file}, by default in its data directory). */
    String opsToken() throws IOException {
        return Files.readString(opsTokenFile()).trim();
    }

    Path opsTokenFile() {
        return dataDir().resolve("ops.token");
    }

    URI opsUri(String path) {
        return URI.create("http://127.0.0.1:" + gw.httpPort() + path);
    }

    static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
