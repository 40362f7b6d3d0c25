package aurora.edge.gateway.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.TestGateway;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.sim.Fleet;
import aurora.edge.sim.FleetSpec;
import aurora.edge.sim.WireSettings;
import aurora.edge.sim.WireTransport;
import aurora.edge.testing.RedisProbe;
import io.lettuce.core.RedisCommandTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attestation over MQTT-SN: sleeping device-sim devices over DTLS take their challenges on predefined topic id 17 at
 * their wake and answer on id 3, and become TRUSTED; a gateway restart while they sleep with challenges queued for
 * them in mqttsn.db loses nothing (every challenge answered, every reading stored once, every device TRUSTED).
 */
class MqttSnAttestationIT {
    private static final int FLEET = 6;
    /** Enough for the fleet to still send while it attests and the gateway restarts (4 a second a device). */
    private static final long MESSAGES_ACROSS_RESTART = 60;

    @RegisterExtension
    static final AttestationStack stack = new AttestationStack();

    private static FleetSpec spec(TestGateway gw, long messages) {
        return FleetSpec.builder("127.0.0.1", gw.mqttSnPort(), gw.siteKey())
                .deviceCount(FLEET)
                .idPrefix("sim-")
                .seed(13)
                .acceleration(20)
                .messagesPerSecondPerDevice(0.2)
                .maxMessagesPerDevice(messages)
                .alertShare(0)
                .wire(WireSettings.of(WireTransport.MQTTSN_DTLS))
                .build();
    }

    @Test
    void aSleepingFleetOverDtlsAttestsTrusted() throws Exception {
        TestGateway gw = stack.start(Map.of("AURORA_MQTTSN_ENABLED", "true"));
        FleetSpec spec = spec(gw, 40);
        try (Fleet fleet = Fleet.start(spec)) {
            for (int i = 0; i < FLEET; i++) {
                stack.awaitState(spec.deviceId(i), AttestationState.TRUSTED);
            }
            assertThat(fleet.stats().attestationsAnswered()).isGreaterThanOrEqualTo(FLEET);
        }
    }

    @Test
    void aRestartWhileDevicesSleepWithQueuedMessagesLosesNothingAndTheyBecomeTrusted() throws Exception {
        TestGateway gw = stack.start(Map.of("AURORA_MQTTSN_ENABLED", "true"));
        FleetSpec spec = spec(gw, MESSAGES_ACROSS_RESTART);
        try (Fleet fleet = Fleet.start(spec)) {
            // Generous: on a loaded box a device's answer can be lost (it reconnected meanwhile) and is asked again
            // only after the challenge's 30 s lifetime and the retry backoff.
            for (int i = 0; i < FLEET; i++) {
                String id = spec.deviceId(i);
                await().atMost(Duration.ofMinutes(3))
                        .untilAsserted(() -> assertThat(stack.registered(id).state())
                                .as("%s before the restart; %s", id, fleet.stats())
                                .isEqualTo(AttestationState.TRUSTED));
            }
            long answeredBefore = fleet.stats().attestationsAnswered();
            // An operator asks every device to attest again: a device asleep (most of its time) gets its challenge
            // queued in mqttsn.db until its wake, every 0.5 s. The gateway is restarted at once, and what the stopped
            // gateway left in mqttsn.db for sleeping devices is read between the stop and the start; a restart that
            // found nothing queued for a sleeper (every device happened to be awake) is tried again.
            AtomicLong carried = new AtomicLong();
            for (int attempt = 0; attempt < 10 && carried.get() == 0; attempt++) {
                // After a restart the devices are back only once a request of theirs timed out (5 s) and they shook
                // hands anew (the sessions restored from mqttsn.db count as asleep before that: the associations
                // tell): restarting before that would find nobody asleep.
                await().atMost(Duration.ofMinutes(2))
                        .until(() -> associations(gw) >= FLEET && asleep(gw) >= FLEET / 2.0);
                for (int i = 0; i < FLEET; i++) {
                    assertThat(attest(spec.deviceId(i))).isEqualTo(200);
                }
                gw.restartOnSamePorts(dir -> carried.set(queuedForSleepers(dir.resolve("mqttsn.db"))));
            }
            assertThat(carried.get())
                    .as("messages queued in mqttsn.db for sleeping devices across the restart")
                    .isPositive();
            // The devices notice the restart only when a request of theirs times out (5 s), then shake hands anew and
            // take their queued challenge: each answers it (again) and is TRUSTED.
            await().atMost(Duration.ofMinutes(3))
                    .untilAsserted(() -> assertThat(fleet.stats().attestationsAnswered())
                            .as("challenges answered after the restart; %s", fleet.stats())
                            .isGreaterThanOrEqualTo(answeredBefore + FLEET));
            for (int i = 0; i < FLEET; i++) {
                String id = spec.deviceId(i);
                await().atMost(Duration.ofMinutes(2))
                        .untilAsserted(() -> assertThat(stack.registered(id).state())
                                .as("%s after the restart; %s", id, fleet.stats())
                                .isEqualTo(AttestationState.TRUSTED));
            }
            await().atMost(Duration.ofMinutes(2))
                    .untilAsserted(() -> assertThat(fleet.stats().acked())
                            .as("acked; %s", fleet.stats())
                            .isEqualTo(FLEET * MESSAGES_ACROSS_RESTART));
            assertThat(fleet.stats().unacked()).isZero();
            await().atMost(Duration.ofSeconds(30))
                    .ignoreException(RedisCommandTimeoutException.class)
                    .untilAsserted(() -> {
                        List<String> stored = storedIds(stack.redisProbe());
                        assertThat(stored).doesNotHaveDuplicates();
                        assertThat(stored).containsExactlyInAnyOrderElementsOf(fleet.sentMessageIds());
                    });
        }
    }

    private int attest(String deviceId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(stack.opsUri("/devices/" + deviceId + "/attest"))
                .header("Authorization", "Bearer " + stack.opsToken())
                .header("X-Aurora-Operator", "alice")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    /** Messages in the stopped gateway's mqttsn.db for devices it recorded as asleep. */
    private static long queuedForSleepers(Path db) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT count(*) FROM sn_queue q JOIN sn_sleeper s ON s.device_id = q.device_id")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + db, e);
        }
    }

    private static double associations(TestGateway gw) {
        var g = gw.gateway()
                .metrics()
                .registry()
                .find("aurora_mqttsn_dtls_associations")
                .gauge();
        return g == null ? 0 : g.value();
    }

    private static double asleep(TestGateway gw) {
        var g = gw.gateway()
                .metrics()
                .registry()
                .find("aurora_mqttsn_sessions")
                .tag("state", "asleep")
                .gauge();
        return g == null ? 0 : g.value();
    }

    private static List<String> storedIds(RedisProbe redis) {
        List<String> ids = new ArrayList<>();
        for (RedisProbe.Entry e : redis.entries("aurora:cps:telemetry")) {
            String id = e.fields().get("id");
            String withoutSite = id.substring(id.indexOf(':') + 1);
            if (withoutSite.startsWith("sim-")) {
                ids.add(withoutSite);
            }
        }
        return ids;
    }
}
