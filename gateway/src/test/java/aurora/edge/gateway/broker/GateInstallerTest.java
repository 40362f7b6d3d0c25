package aurora.edge.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.moquette.broker.metrics.MQTTMessageLogger;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** The pipeline Moquette 0.17 builds for a connection, as the gateway leaves it once the connection registers. */
class GateInstallerTest {

    @Test
    void theGatesGoInFrontOfMoquetteAndItsPerPacketMessageLoggerGoesOut() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel(false, false);
        // the names and order of NewNettyAcceptor.configureMQTTPipeline (the installer sits in the errors catcher's
        // slot)
        channel.pipeline()
                .addLast(
                        "installer",
                        new GateInstaller(
                                ChannelInboundHandlerAdapter::new,
                                ChannelInboundHandlerAdapter::new,
                                ChannelInboundHandlerAdapter::new))
                .addLast("decoder", new ChannelInboundHandlerAdapter())
                .addLast(GateInstaller.MOQUETTE_MESSAGE_LOGGER, new MQTTMessageLogger())
                .addLast("handler", new ChannelInboundHandlerAdapter());

        channel.register();

        assertThat(channel.pipeline().names())
                .startsWith("aurora-frame-gate", "decoder", "aurora-connack-gate", "aurora-packet-gate", "handler")
                .doesNotContain("installer", GateInstaller.MOQUETTE_MESSAGE_LOGGER);
        channel.finishAndReleaseAll();
    }

    @Test
    void aPipelineWithoutMoquettesHandlerIsClosed() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel(false, false);
        channel.pipeline()
                .addLast(
                        "installer",
                        new GateInstaller(
                                ChannelInboundHandlerAdapter::new,
                                ChannelInboundHandlerAdapter::new,
                                ChannelInboundHandlerAdapter::new))
                .addLast("decoder", new ChannelInboundHandlerAdapter());

        channel.register();

        assertThat(channel.isOpen()).isFalse();
    }
}
