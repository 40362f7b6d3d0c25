package aurora.edge.gateway.broker;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Holds the packets a device sends right after its CONNACK until Moquette takes the connection as
 * connected, then steps out of the pipeline. Moquette 0.17 writes the CONNACK from its session loop
 * and marks the connection connected in a listener of that write; when the write completes before
 * the listener is added (the session thread was descheduled in between, as in a reconnect storm of
 * thousands of devices on a busy board), the listener runs as a later task of the connection's event
 * loop, and a SUBSCRIBE the device sent on receiving the CONNACK can be read first: Moquette then
 * logs "SUBSCRIBE received on already closed connection" and drops a device that did nothing wrong.
 * Here such a packet waits (reads paused) and is re-checked every millisecond; after
 * {@code patience} it goes on to Moquette anyway, which decides as before. One instance per
 * connection, on its Netty thread, in front of {@link PacketGate}.
 */
final class ConnackGate extends ChannelInboundHandlerAdapter {
    private static final long RECHECK_MILLIS = 1;

    private final Predicate<Channel> moquetteConnected;
    /** Rechecks before the held packets go on regardless (counted, not timed: each is one scheduled task). */
    private final long patienceRechecks;

    private boolean connectSeen;
    private @Nullable ArrayDeque<Object> held;
    private long rechecks;

    ConnackGate(Predicate<Channel> moquetteConnected, Duration patience) {
        this.moquetteConnected = moquetteConnected;
        this.patienceRechecks = Math.max(1, patience.toMillis() / RECHECK_MILLIS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (held != null) {
            held.add(msg);
            return;
        }
        if (msg instanceof MqttConnectMessage && !connectSeen) {
            connectSeen = true;
            ctx.fireChannelRead(msg);
            return;
        }
        if (!connectSeen) {
            ctx.fireChannelRead(msg); // nothing to wait for: the gates behind refuse it
            return;
        }
        if (moquetteConnected.test(ctx.channel())) {
            stepOut(ctx);
            ctx.fireChannelRead(msg);
            return;
        }
        held = new ArrayDeque<>();
        held.add(msg);
        rechecks = 0;
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(() -> recheck(ctx), RECHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void recheck(ChannelHandlerContext ctx) {
        ArrayDeque<Object> waiting = held;
        if (waiting == null) {
            return;
        }
        if (!ctx.channel().isActive()) {
            release();
            return;
        }
        boolean connected = moquetteConnected.test(ctx.channel());
        if (!connected && ++rechecks < patienceRechecks) {
            ctx.executor().schedule(() -> recheck(ctx), RECHECK_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        held = null;
        if (connected) {
            stepOut(ctx);
        }
        ctx.channel().config().setAutoRead(true);
        for (Object msg : waiting) {
            ctx.fireChannelRead(msg);
        }
        ctx.fireChannelReadComplete();
    }

    private void stepOut(ChannelHandlerContext ctx) {
        if (!ctx.isRemoved()) {
            ctx.pipeline().remove(this);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    private void release() {
        ArrayDeque<Object> waiting = held;
        held = null;
        if (waiting != null) {
            waiting.forEach(ReferenceCountUtil::release);
        }
    }
}
