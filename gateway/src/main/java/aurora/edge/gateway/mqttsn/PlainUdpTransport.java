package aurora.edge.gateway.mqttsn;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain UDP MQTT-SN ({@code mqttsn.allow_plaintext: true}, lab only): each datagram goes to the
 * handler with a peer per source address and no identity, so a client id is a mere claim. One
 * Netty event loop; the handler must not block it.
 */
public final class PlainUdpTransport implements SnTransport {
    private static final Logger log = LoggerFactory.getLogger(PlainUdpTransport.class);

    private static final int RECEIVE_BUFFER_BYTES = 1 << 20;

    private final EventLoopGroup group;
    private final Channel channel;
    private final int port;

    private PlainUdpTransport(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
        this.port = ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Binds {@code host:port} (0 = any free port); an {@link SnTransport.Factory}. */
    public static SnTransport start(String host, int port, int maxPacketBytes, SnPacketHandler handler)
            throws IOException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel channel = new Bootstrap()
                    .group(group)
                    .channel(NioDatagramChannel.class)
                    // One more byte than the largest packet taken: a longer datagram is seen as too long, not cut.
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxPacketBytes + 1))
                    // Room for a burst of datagrams while the event loop is busy (the kernel default drops beyond ~200
                    // KiB).
                    .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
                    .handler(new Inbound(handler, maxPacketBytes))
                    .bind(host, port)
                    .sync()
                    .channel();
            log.warn(
                    "MQTT-SN PLAINTEXT listener on udp {}:{}: client ids are NOT authenticated "
                            + "(mqttsn.allow_plaintext is for labs only; devices should use DTLS)",
                    host,
                    ((InetSocketAddress) channel.localAddress()).getPort());
            return new PlainUdpTransport(group, channel);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("interrupted while binding udp " + host + ":" + port, e);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("cannot bind udp " + host + ":" + port + ": " + e, e);
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    private static final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        private final SnPacketHandler handler;
        private final int maxPacketBytes;

        Inbound(SnPacketHandler handler, int maxPacketBytes) {
            this.handler = handler;
            this.maxPacketBytes = maxPacketBytes;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket datagram) {
            ByteBuf content = datagram.content();
            byte[] bytes = new byte[Math.min(content.readableBytes(), maxPacketBytes + 1)];
            content.readBytes(bytes);
            handler.onPacket(new PlainPeer(datagram.sender(), ctx.channel()), bytes);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.warn("mqttsn udp receive failed error={}", cause.toString());
        }
    }

    /** A source address on the plain listener: equal by address, so a session finds its device again. */
    record PlainPeer(InetSocketAddress address, Channel channel) implements SnPeer {
        @Override
        public Optional<String> identity() {
            return Optional.empty();
        }

        @Override
        public void send(byte[] packet) {
            channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(packet), address));
        }

        @Override
        public void close() {
            // nothing to end on plain UDP: the gateway forgets the address
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PlainPeer p && p.address.equals(address);
        }

        @Override
        public int hashCode() {
            return address.hashCode();
        }
    }
}
