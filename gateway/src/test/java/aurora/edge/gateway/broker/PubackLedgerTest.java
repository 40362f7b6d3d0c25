package aurora.edge.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PubackLedgerTest {
    private final ChannelInboundHandlerAdapter handler = new ChannelInboundHandlerAdapter();
    private final EmbeddedChannel channel = new EmbeddedChannel(handler);
    private final ChannelHandlerContext ctx = channel.pipeline().context(handler);
    private final PubackLedger ledger = new PubackLedger();

    private List<Integer> pubAcksWritten() {
        List<Integer> ids = new ArrayList<>();
        for (Object m; (m = channel.readOutbound()) != null; ) {
            ids.add(((MqttPubAckMessage) m).variableHeader().messageId());
        }
        return ids;
    }

    @Test
    void aPubackWaitsForEveryEarlierPublishSoPubacksGoOutInPublishOrder() {
        PubackLedger.Owed first = ledger.open(7);
        PubackLedger.Owed second = ledger.open(8);
        PubackLedger.Owed third = ledger.open(9);

        ledger.settle(ctx, second);
        assertThat(pubAcksWritten()).isEmpty();

        ledger.settle(ctx, first);
        assertThat(pubAcksWritten()).containsExactly(7, 8);

        ledger.settle(ctx, third);
        assertThat(pubAcksWritten()).containsExactly(9);
        assertThat(ledger.owed()).isZero();
    }

    @Test
    void aClientThatReusesPacketIdsWithoutWaitingIsCutOffAtTheIdSpace() {
        for (int i = 0; i < PubackLedger.MAX_OWED; i++) {
            assertThat(ledger.open(1)).isNotNull();
        }
        assertThat(ledger.open(1)).isNull();
    }

    @Test
    void nothingIsWrittenToAClosedConnection() {
        PubackLedger.Owed owed = ledger.open(3);
        channel.close();
        ledger.settle(ctx, owed);
        assertThat(pubAcksWritten()).isEmpty();
        assertThat(ledger.owed()).isZero();
    }
}
