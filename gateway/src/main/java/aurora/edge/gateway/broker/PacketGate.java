package aurora.edge.gateway.broker;

import aurora.edge.gateway.audit.RejectionReporter;
import aurora.edge.gateway.broker.ConnectionLimits.Refusal;
import aurora.edge.gateway.device.Rejection;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jspecify.annotations.Nullable;

/**
 * Sits between Moquette's MQTT decoder and Moquette's handler and sees each decoded packet first.
 * A CONNECT is handed on with its {@link ClientConnection} visible to the authenticator (which then
 * knows the source address and the will); a second CONNECT is refused; a QoS 2 PUBLISH is refused
 * (Moquette 0.17 would hold it, before any ACL check, until a PUBREL that may never come); a
 * PUBLISH arriving while Moquette's interceptor or session queues are over their bound is refused
 * and counted (the device keeps it and resends after reconnecting). With
 * {@code mqtt.puback_after_commit} a device's PUBLISH on its own topics is then taken by
 * {@link DurablePublishes} and PUBACKed only once stored; anything else goes on to Moquette.
 * Refusing means closing the connection. One instance per connection, on its Netty thread.
 *
 * <p>On the TLS port it also hands the authenticator the device certificate the handshake verified
 * (the SSL handler sits in front of everything, so by the time a CONNECT is decoded the handshake is
 * done), and a CONNECT without a username there gets the client id as its username: Moquette 0.17
 * only asks the authenticator when a username is present, and a device with a certificate needs no
 * credentials of its own. A session authenticated by certificate is registered with
 * {@link TlsSessions}, which closes it when its certificate is revoked.
 */
final class PacketGate extends ChannelInboundHandlerAdapter {
    private final ConnectionLimits limits;
    private final BrokerBacklog backlog;
    private final RejectionReporter rejections;
    private final TlsSessions tlsSessions;
    /** Null unless {@code mqtt.puback_after_commit}: then a device's own PUBLISHes bypass Moquette. */
    private final @Nullable DurablePublishes durable;

    private final PubackLedger ledger = new PubackLedger();

    PacketGate(
            ConnectionLimits limits,
            BrokerBacklog backlog,
            RejectionReporter rejections,
            TlsSessions tlsSessions,
            @Nullable DurablePublishes durable) {
        this.limits = limits;
        this.backlog = backlog;
        this.rejections = rejections;
        this.tlsSessions = tlsSessions;
        this.durable = durable;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ClientConnection connection =
                ctx.channel().attr(GateInstaller.CONNECTION).get();
        if (connection == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof MqttConnectMessage connect) {
            String will =
                    connect.variableHeader().isWillFlag() ? connect.payload().willTopic() : null;
            if (!connection.firstConnect(will)) {
                refuse(ctx, msg, Refusal.SECOND_CONNECT);
                return;
            }
            MqttConnectMessage toMoquette = connect;
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl != null) {
                connection.peerChain(peerChain(ssl));
                if (connection.peerCertificate() != null
                        && !connect.variableHeader().hasUserName()) {
                    toMoquette = withClientIdAsUsername(connect);
                }
            }
            MqttConnectMessage checked = toMoquette;
            connection.whileConnecting(() -> ctx.fireChannelRead(checked));
            String authenticatedId = connection.deviceId();
            X509Certificate[] chain = connection.peerChain();
            if (connection.isAuthenticated() && authenticatedId != null && chain != null) {
                tlsSessions.opened(ctx.channel(), authenticatedId, chain);
            }
            return;
        }
        if (msg instanceof MqttPublishMessage publish && connection.isAuthenticated()) {
            if (publish.fixedHeader().qosLevel() == MqttQoS.EXACTLY_ONCE) {
                rejections.reject(
                        Rejection.QOS2_REFUSED,
                        connection.deviceId(),
                        "topic=" + publish.variableHeader().topicName());
                refuse(ctx, msg, Refusal.QOS2);
                return;
            }
            Refusal full = backlog.overloaded();
            if (full != null) {
                rejections.reject(
                        Rejection.OVERLOADED, connection.deviceId(), "broker queue over its bound: " + full.tag());
                refuse(ctx, msg, full);
                return;
            }
            if (durable != null
                    && durable.take(
                            ctx, Objects.requireNonNull(connection.deviceId(), "authenticated"), publish, ledger)) {
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private static X509Certificate @Nullable [] peerChain(SslHandler ssl) {
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            return Arrays.stream(chain)
                    .filter(X509Certificate.class::isInstance)
                    .map(X509Certificate.class::cast)
                    .toArray(X509Certificate[]::new);
        } catch (SSLPeerUnverifiedException e) {
            return null; // no client certificate (mqtt.tls.require_client_cert: false): the password decides
        }
    }

    /** The same CONNECT with username = client id and an empty password (ignored: the certificate authenticates). */
    private static MqttConnectMessage withClientIdAsUsername(MqttConnectMessage connect) {
        MqttConnectVariableHeader h = connect.variableHeader();
        MqttConnectPayload p = connect.payload();
        return new MqttConnectMessage(
                connect.fixedHeader(),
                new MqttConnectVariableHeader(
                        h.name(),
                        h.version(),
                        true,
                        true,
                        h.isWillRetain(),
                        h.willQos(),
                        h.isWillFlag(),
                        h.isCleanSession(),
                        h.keepAliveTimeSeconds(),
                        h.properties()),
                new MqttConnectPayload(
                        p.clientIdentifier(),
                        p.willProperties(),
                        p.willTopic(),
                        p.willMessageInBytes(),
                        p.clientIdentifier(),
                        new byte[0]));
    }

    private void refuse(ChannelHandlerContext ctx, Object msg, Refusal refusal) {
        limits.count(refusal);
        ReferenceCountUtil.release(msg);
        ctx.close();
    }
}
