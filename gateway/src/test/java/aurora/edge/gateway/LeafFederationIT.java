package aurora.edge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.testing.Indicators;
import aurora.edge.testing.NatsHubLeaf;
import aurora.edge.testing.NatsProbe;
import aurora.edge.testing.RedisServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site topology of docs/federation.md: the gateway connects to the site's leaf node and
 * publishes into the hub's JetStream domain through it. While the leaf's link to the hub is down
 * the outbox keeps the alerts; once the link heals they reach the hub, each exactly once, in order.
 * The other way, the gateway's durable IOC consumer lives in the hub's domain and picks up what was
 * shared while the link was cut.
 */
class LeafFederationIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private RedisServerProcess redis;
    private NatsHubLeaf nats;
    private TestGateway gw;

    @BeforeEach
    void start() {
        redis = RedisServerProcess.start();
        nats = NatsHubLeaf.start();
        gw = new TestGateway(dir, redis.url(), nats.leafUrl(), Map.of("AURORA_NATS_DOMAIN", NatsHubLeaf.HUB_DOMAIN))
                .start();
    }

    @AfterEach
    void stop() {
        gw.close();
        nats.close();
        redis.close();
    }

    private void alert(int seq) {
        assertThat(MosquittoClients.publish(
                                gw.mqttPort(),
                                "leaf-1",
                                gw.passwordFor("leaf-1"),
                                "aurora/sensors/leaf-1/alerts",
                                "{\"seq\":" + seq + ",\"boot\":1,\"severity\":\"critical\"}",
                                1)
                        .exitCode())
                .isZero();
    }

    private List<String> hubAlertIds() {
        NatsProbe hub = nats.probeViaLeaf(NatsHubLeaf.HUB_DOMAIN);
        return hub.messages("AURORA", "AURORA.alerts").stream()
                .map(NatsProbe.StoredMessage::msgId)
                .filter(id -> id != null && id.startsWith("site-test:leaf-1:"))
                .toList();
    }

    @Test
    void alertsReachTheHubThroughTheLeafAndArriveOnceAfterTheLinkHeals() {
        alert(1);
        await().atMost(PATIENCE).until(() -> hubAlertIds().contains("site-test:leaf-1:1:1"));

        nats.hub().kill();
        alert(2);
        alert(3);
        await().atMost(PATIENCE)
                .until(() -> gw.gateway().status().sinks().stream()
                        .anyMatch(s -> s.name().equals("nats") && s.backlog() >= 2));

        nats.healLink();
        await().atMost(PATIENCE).until(() -> hubAlertIds().size() >= 3);
        assertThat(hubAlertIds())
                .containsExactly("site-test:leaf-1:1:1", "site-test:leaf-1:1:2", "site-test:leaf-1:1:3");
        assertThat(nats.probeViaLeaf(NatsHubLeaf.LEAF_DOMAIN).streamInfo("AURORA"))
                .as("nothing is stored twice on the leaf")
                .isEmpty();
    }

    @Test
    void anIocSharedAtTheHubWhileTheLinkIsCutReachesTheGatewayOnceItHeals() {
        assertThat(MosquittoClients.publish(
                                gw.mqttPort(),
                                "leaf-2",
                                gw.passwordFor("leaf-2"),
                                "aurora/sensors/leaf-2/telemetry",
                                "{\"seq\":1,\"boot\":1}",
                                1)
                        .exitCode())
                .isZero();
        await().atMost(PATIENCE)
                .until(() -> gw.gateway().devices().find("leaf-2").isPresent());
        await().atMost(PATIENCE)
                .ignoreExceptions()
                .until(() -> nats.probeViaLeaf(NatsHubLeaf.HUB_DOMAIN).consumerExists("AURORA", "aurora-edge-gw-test"));

        nats.cutLink();
        new NatsProbe(nats.hubUrl(), null)
                .publish(
                        "AURORA.ioc_sharing",
                        Indicators.json("indicator--leaf-2-compromised", "[x-aurora-device:id = 'leaf-2']"));
        nats.healLink();

        await().atMost(PATIENCE)
                .until(() -> gw.gateway().devices().find("leaf-2").orElseThrow().quarantined());
        assertThat(gw.gateway().devices().find("leaf-2").orElseThrow().reason()).isEqualTo("ioc_compromised");
    }
}
