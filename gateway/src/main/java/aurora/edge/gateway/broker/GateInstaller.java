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
 * decoder, its {@link ConnackGate} and {@link PacketGate} in front of Moquette's handler, takes Moquette's
 * message logger out, and steps out.
 *
 * <p>Moquette's {@code MQTTMessageLogger} sets two SLF4J MDC entries on every read, read-complete and
 * write (Logback copies its MDC map on each put) and builds a log line's arguments per packet, only to
 * log at DEBUG/INFO under {@code io.moquette}, which the gateway logs at WARN, with no MDC in its
 * pattern: about 2 KB of garbage per device message (a third of the Netty threads' allocation in the
 * fleet bench, bench/README.md "Allocation per message") for nothing anyone reads.
 */
@ChannelHandler.Sharable
final class GateInstaller extends ChannelInboundHandlerAdapter {
    static final AttributeKey<ClientConnection> CONNECTION = AttributeKey.valueOf("aurora.connection");
    /** Names Moquette 0.17 gives its decoder and its MQTT handler ({@code NewNettyAcceptor.configureMQTTPipeline}). */
    private static final String MOQUETTE_DECODER = "decoder";

    private static final String MOQUETTE_HANDLER = "handler";
    /** Moquette 0.17's {@code MQTTMessageLogger}, which the gateway removes (see above). */
    static final String MOQUETTE_MESSAGE_LOGGER = "messageLogger";

    private final Supplier<? extends ChannelHandler> frameGates;
    private final Supplier<? extends ChannelHandler> packetGates;
    private final Supplier<? extends ChannelHandler> connackGates;

    /** Each supplier makes one connection's gate: a {@link FrameGate}, {@link PacketGate} and {@link ConnackGate}. */
    GateInstaller(
            Supplier<? extends ChannelHandler> frameGates,
            Supplier<? extends ChannelHandler> packetGates,
            Supplier<? extends ChannelHandler> connackGates) {
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
        if (pipeline.get(MOQUETTE_MESSAGE_LOGGER) != null) {
            pipeline.remove(MOQUETTE_MESSAGE_LOGGER);
        }
        ctx.fireChannelRegistered();
        pipeline.remove(this);
    }
}
