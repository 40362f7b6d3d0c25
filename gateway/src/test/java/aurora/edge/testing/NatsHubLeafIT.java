package aurora.edge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NatsHubLeafIT {
    private static NatsHubLeaf topology;

    @BeforeAll
    static void start() {
        topology = NatsHubLeaf.start();
    }

    @AfterAll
    static void stop() {
        topology.close();
    }

    @Test
    void streamsInTheLeafDomainAndInTheHubDomainAreBothReachableThroughTheLeaf() {
        NatsProbe leafJs = topology.probeViaLeaf(NatsHubLeaf.LEAF_DOMAIN);
        NatsProbe hubJs = topology.probeViaLeaf(NatsHubLeaf.HUB_DOMAIN);
        leafJs.addStream(StreamConfiguration.builder()
                .name("LOCAL")
                .subjects("local.>")
                .storageType(StorageType.File)
                .build());
        hubJs.addStream(StreamConfiguration.builder()
                .name("CENTRAL")
                .subjects("central.>")
                .storageType(StorageType.File)
                .build());

        PublishAck toLeaf = leafJs.publish("local.a", "one");
        PublishAck toHub = hubJs.publish("central.a", "two");

        assertThat(toLeaf.getDomain()).isEqualTo(NatsHubLeaf.LEAF_DOMAIN);
        assertThat(toHub.getDomain()).isEqualTo(NatsHubLeaf.HUB_DOMAIN);
        assertThat(leafJs.messages("LOCAL"))
                .singleElement()
                .satisfies(m -> assertThat(m.dataUtf8()).isEqualTo("one"));
        assertThat(hubJs.messages("CENTRAL"))
                .singleElement()
                .satisfies(m -> assertThat(m.dataUtf8()).isEqualTo("two"));
        assertThat(topology.hub().probe().count("CENTRAL")).isEqualTo(1);
        assertThat(leafJs.streamInfo("CENTRAL")).isEmpty();
    }

    @Test
    void aCutLinkMakesTheHubUnreachableFromTheLeafAndHealingBringsItBackWithItsData() {
        NatsProbe hubJs = topology.probeViaLeaf(NatsHubLeaf.HUB_DOMAIN);
        hubJs.addStream(StreamConfiguration.builder()
                .name("KEEP")
                .subjects("keep.>")
                .storageType(StorageType.File)
                .build());
        hubJs.publish("keep.a", "kept");

        topology.cutLink();
        assertThat(topology.isLinked()).isFalse();
        assertThat(topology.leaf().probe().jetStreamAnswers()).isTrue();

        topology.healLink();
        assertThat(topology.isLinked()).isTrue();
        assertThat(hubJs.count("KEEP")).isEqualTo(1);
    }
}
