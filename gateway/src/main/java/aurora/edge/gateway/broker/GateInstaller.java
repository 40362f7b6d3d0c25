package aurora.edge.gateway.broker;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.AttributeKey;
import java.util.function.Supplier;

/**
 * The handler Moquette puts into every new connection's pipeline (see
 * {@link MoquetteInternals#installFrontHandler}), on the plaintext and the TLS port alike (on the
 * TLS port Moquette's SSL handler comes first, so both gates see plaintext). When the connection
 * registers, Moquette's pipeline is complete; it then puts that connection's {@link FrameGate} in front of the MQTT
 * decoder, its {@link ConnackGate} and {@link PacketGate} in front of Moquette's handler, and steps out.
 */
@ChannelHandler.Sharable
final class GateInstaller extends ChannelInboundHandlerAdapter {
    static final AttributeKey<ClientConnection> CONNECTION = AttributeKey.valueOf("aurora.connection");
    /** Names Moquette 0.17 gives its decoder and its MQTT handler ({@code NewNettyAcceptor.configureMQTTPipeline}). */
    private static final String MOQUETTE_DECODER = "decoder";

    private static final String MOQUETTE_HANDLER = "handler";

    private final Supplier<FrameGate> frameGates;
    private final Supplier<PacketGate> packetGates;
    private final Supplier<ConnackGate> connackGates;

    GateInstaller(
            Supplier<FrameGate> frameGates, Supplier<PacketGate> packetGates, Supplier<ConnackGate> connackGates) {
        this.frameGates = frameGates;
        this.packetGates = packetGates;
        this.connackGates = connackGates;
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        ChannelPipeline pipeline = ctx.pipeline();
        if (pipeline.get(MOQUETTE_DECODER) == null || pipeline.get(MOQUETTE_HANDLER) == null) {
            // Not the pipeline this was written for: no gates means no authentication (DeviceAuthenticator refuses).
            ctx.close();
            return;
        }
        pipeline.addBefore(MOQUETTE_DECODER, "aurora-frame-gate", frameGates.get());
        pipeline.addBefore(MOQUETTE_HANDLER, "aurora-connack-gate", connackGates.get());
        pipeline.addBefore(MOQUETTE_HANDLER, "aurora-packet-gate", packetGates.get());
        ctx.fireChannelRegistered();
        pipeline.remove(this);
    }
}
