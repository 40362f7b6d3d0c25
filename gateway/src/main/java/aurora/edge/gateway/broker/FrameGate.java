package aurora.edge.gateway.broker;

import aurora.edge.gateway.audit.RejectionReporter;
import aurora.edge.gateway.broker.ConnectionLimits.Refusal;
import aurora.edge.gateway.device.Rejection;
import aurora.edge.gateway.tls.CertificateRevoked;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits in front of Moquette's MQTT decoder and decides, from the raw bytes, whether a stranger may
 * cost the gateway anything: it admits the connection against {@link ConnectionLimits}, closes it
 * unless it authenticates within the CONNECT deadline (an absolute deadline, unlike Moquette's idle
 * timer that a byte every few seconds keeps resetting), and reads the first packet's fixed header
 * so that anything but a CONNECT, or a CONNECT longer than {@code mqtt.max_connect_bytes}, is
 * refused before the decoder buffers it (only a PUBLISH may be as large as
 * {@code mqtt.max_message_bytes}). On the TLS port it sits behind the SSL handler, sees the
 * plaintext, and reports a failed handshake (a missing, untrusted or revoked device certificate) as
 * a rejection of a stranger. One instance per connection, on its Netty thread.
 */
final class FrameGate extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(FrameGate.class);
    private static final int CONNECT = 1;

    private final ConnectionLimits limits;
    private final Duration connectDeadline;
    private final int maxConnectBytes;
    private final RejectionReporter rejections;
    private @Nullable ClientConnection connection;
    private @Nullable ScheduledFuture<?> deadline;
    /** Fixed header of the first packet, read across as many reads as it takes (at most 5 bytes). */
    private int headerBytes;

    private int firstByte;
    private int remainingLength;
    private boolean firstPacketChecked;

    FrameGate(ConnectionLimits limits, Duration connectDeadline, int maxConnectBytes, RejectionReporter rejections) {
        this.limits = limits;
        this.rejections = rejections;
        this.connectDeadline = connectDeadline;
        this.maxConnectBytes = maxConnectBytes;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Moquette must see the connection become active (it attaches its state there) even when it is refused at once.
        ctx.fireChannelActive();
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        Refusal refusal = limits.admit(address);
        if (refusal != null) {
            log.debug("mqtt connection refused reason={} remote={}", refusal.tag(), address.getHostAddress());
            ctx.close();
            return;
        }
        ClientConnection opened = new ClientConnection(address, limits);
        connection = opened;
        ctx.channel().attr(GateInstaller.CONNECTION).set(opened);
        deadline = ctx.executor()
                .schedule(
                        () -> {
                            if (!opened.isAuthenticated() && ctx.channel().isOpen()) {
                                limits.count(Refusal.CONNECT_DEADLINE);
                                ctx.close();
                            }
                        },
                        connectDeadline.toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (connection == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!firstPacketChecked && msg instanceof ByteBuf bytes) {
            Refusal refusal = checkFirstPacket(bytes);
            if (refusal != null) {
                limits.count(refusal);
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** Reads the fixed header of the first packet as far as {@code bytes} goes; null means no objection (yet). */
    private @Nullable Refusal checkFirstPacket(ByteBuf bytes) {
        for (int i = bytes.readerIndex(); i < bytes.writerIndex() && !firstPacketChecked; i++) {
            int b = bytes.getUnsignedByte(i);
            if (headerBytes == 0) {
                firstByte = b;
                if ((firstByte >> 4) != CONNECT) {
                    return Refusal.NOT_CONNECT_FIRST;
                }
            } else {
                remainingLength += (b & 0x7f) << (7 * (headerBytes - 1));
                if (remainingLength > maxConnectBytes) {
                    return Refusal.CONNECT_TOO_LARGE;
                }
                if ((b & 0x80) == 0) {
                    firstPacketChecked = true;
                } else if (headerBytes == 4) {
                    return Refusal.CONNECT_TOO_LARGE; // a fifth length byte is malformed, and huge anyway
                }
            }
            headerBytes++;
        }
        return null;
    }

    /** A handshake that failed while the peer was still there (not a port probe that hung up) is the peer's fault. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done
                && !done.isSuccess()
                && connection != null
                && ctx.channel().isActive()) {
            Rejection code = revoked(done.cause()) ? Rejection.CERT_REVOKED : Rejection.TLS_HANDSHAKE_FAILED;
            rejections.rejectStranger(code, connection.address(), "", String.valueOf(rootMessage(done.cause())));
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * A failed handshake was reported above (userEventTriggered); its exception is closed here
     * rather than passed on to Moquette, which would log a stack trace per stranger.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof javax.net.ssl.SSLException) {
                ctx.close();
                return;
            }
        }
        ctx.fireExceptionCaught(cause);
    }

    private static boolean revoked(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CertificateRevoked) {
                return true;
            }
        }
        return false;
    }

    private static @Nullable String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (connection != null) {
            connection.closed();
            connection = null;
        }
        ctx.fireChannelInactive();
    }
}
