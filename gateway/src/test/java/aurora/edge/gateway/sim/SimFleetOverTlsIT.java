package aurora.edge.gateway.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.TestGateway;
import aurora.edge.gateway.tls.SiteCa;
import aurora.edge.sim.Fleet;
import aurora.edge.sim.FleetSpec;
import aurora.edge.sim.WireSettings;
import aurora.edge.sim.WireTransport;
import aurora.edge.testing.NatsServerProcess;
import aurora.edge.testing.RedisProbe;
import aurora.edge.testing.RedisServerProcess;
import io.lettuce.core.RedisCommandTimeoutException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated fleet over {@code --transport mqtt-tls}: each device presents the certificate {@code devices
 * issue-cert} made for it, no password, to a gateway whose plaintext port is off; every reading is stored once.
 */
class SimFleetOverTlsIT {
    private static final int DEVICES = 5;
    private static final long MESSAGES = 20;

    @TempDir
    Path dir;

    private RedisServerProcess redis;
    private NatsServerProcess nats;
    private TestGateway gw;
    private RedisProbe probe;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServerProcess.start();
        nats = NatsServerProcess.start();
        SiteCa ca = new SiteCa(dir.resolve("ca"), Clock.systemUTC());
        ca.init("site-test", List.of("localhost"));
        for (int i = 0; i < DEVICES; i++) {
            ca.issue(String.format(java.util.Locale.ROOT, "tls-%05d", i), dir.resolve("devices"), Duration.ofDays(1));
        }
        gw = new TestGateway(
                        dir.resolve("gw"),
                        redis.url(),
                        nats.url(),
                        Map.of(
                                "AURORA_MQTT_PORT", "-1",
                                "AURORA_MQTT_TLS_PORT", "0",
                                "AURORA_MQTT_TLS_CERT",
                                        ca.dir().resolve(SiteCa.SERVER_CERT).toString(),
                                "AURORA_MQTT_TLS_KEY",
                                        ca.dir().resolve(SiteCa.SERVER_KEY).toString(),
                                "AURORA_MQTT_TLS_CA",
                                        ca.dir().resolve(SiteCa.CA_CERT).toString()))
                .start();
        probe = new RedisProbe(redis.url());
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        if (probe != null) {
            probe.close();
        }
        nats.close();
        redis.close();
    }

    @Test
    void aFleetWithOneCertificatePerDeviceIsStoredOnceOverTheTlsOnlyGateway() throws Exception {
        WireSettings tls = new WireSettings(
                WireTransport.MQTT_TLS,
                aurora.edge.sim.sn.SnCodec.Qos.AT_LEAST_ONCE,
                false,
                WireSettings.DEFAULT_RELAY,
                dir.resolve("ca").resolve(SiteCa.CA_CERT),
                dir.resolve("devices"));
        try (Fleet fleet = Fleet.start(FleetSpec.builder("localhost", gw.mqttTlsPort(), gw.siteKey())
                .deviceCount(DEVICES)
                .idPrefix("tls-")
                .messagesPerSecondPerDevice(20)
                .maxMessagesPerDevice(MESSAGES)
                .alertShare(0)
                .wire(tls)
                .build())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> fleet.stats().acked() == DEVICES * MESSAGES);
            assertThat(fleet.stats().connectFailures()).isZero();
            await().atMost(Duration.ofSeconds(60))
                    .ignoreException(RedisCommandTimeoutException.class)
                    .untilAsserted(() ->
                            SimAccounting.assertEachSentMessageStoredOnce(fleet, probe, id -> id.startsWith("tls-")));
        }
    }
}
