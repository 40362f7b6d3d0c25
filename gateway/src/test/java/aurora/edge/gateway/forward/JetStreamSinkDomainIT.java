package aurora.edge.gateway.forward;

import static aurora.edge.gateway.forward.Records.alert;
import static aurora.edge.gateway.forward.Records.audit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.device.Severity;
import aurora.edge.testing.NatsHubLeaf;
import aurora.edge.testing.NatsProbe;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sink on a leaf node, as on a gateway box: the configured JetStream domain decides where the stream lives. */
class JetStreamSinkDomainIT {
    private static NatsHubLeaf topology;

    @BeforeAll
    static void start() {
        topology = NatsHubLeaf.start();
    }

    @AfterAll
    static void stop() {
        topology.close();
    }

    private static JetStreamSink connectedSink(JetStreamSink.Settings settings) {
        JetStreamSink sink = new JetStreamSink(settings);
        await().atMost(Duration.ofSeconds(10)).until(sink::isConnected);
        return sink;
    }

    @Test
    void withTheHubDomainConfiguredTheStreamAndItsMessagesLiveInTheHub() throws Exception {
        JetStreamSink.Settings settings = JetStreamSink.Settings.defaults(URI.create(topology.leafUrl()))
                .withDomain(NatsHubLeaf.HUB_DOMAIN)
                .withStream("AURORA_HUB", "HUB.AURORA");
        try (JetStreamSink sink = connectedSink(settings)) {
            sink.deliver(List.of(alert(1, Severity.HIGH), audit(2)));
        }

        NatsProbe hub = topology.probeViaLeaf(NatsHubLeaf.HUB_DOMAIN);
        assertThat(hub.messages("AURORA_HUB"))
                .extracting(NatsProbe.StoredMessage::msgId)
                .containsExactly("dev-1:1:1", "gw-audit:2");
        assertThat(topology.probeViaLeaf(NatsHubLeaf.LEAF_DOMAIN).streamInfo("AURORA_HUB"))
                .isEmpty();
    }

    @Test
    void withoutADomainTheStreamLivesInTheLeafsOwnJetStream() throws Exception {
        JetStreamSink.Settings settings = JetStreamSink.Settings.defaults(URI.create(topology.leafUrl()))
                .withStream("AURORA_LEAF", "LEAF.AURORA");
        try (JetStreamSink sink = connectedSink(settings)) {
            sink.deliver(List.of(alert(1, Severity.CRITICAL)));
        }

        assertThat(topology.probeViaLeaf(NatsHubLeaf.LEAF_DOMAIN).count("AURORA_LEAF"))
                .isEqualTo(1);
        assertThat(topology.probeViaLeaf(NatsHubLeaf.HUB_DOMAIN).streamInfo("AURORA_LEAF"))
                .isEmpty();
    }
}
