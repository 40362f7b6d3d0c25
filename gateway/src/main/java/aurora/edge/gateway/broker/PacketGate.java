package aurora.edge.gateway.broker;

import aurora.edge.gateway.audit.RejectionReporter;
import aurora.edge.gateway.broker.ConnectionLimits.Refusal;
import aurora.edge.gateway.device.Rejection;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.ReferenceCountUtil;

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
 */
final class PacketGate extends ChannelInboundHandlerAdapter {
    private final ConnectionLimits limits;
    private final BrokerBacklog backlog;
    private final RejectionReporter rejections;
    /** Null unless {@code mqtt.puback_after_commit}: then a device's own PUBLISHes bypass Moquette. */
    private final DurablePublishes durable;
    private final PubackLedger ledger = new PubackLedger();

    PacketGate(ConnectionLimits limits, BrokerBacklog backlog, RejectionReporter rejections, DurablePublishes durable) {
        this.limits = limits;
        this.backlog = backlog;
        this.rejections = rejections;
        this.durable = durable;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ClientConnection connection = ctx.channel().attr(GateInstaller.CONNECTION).get();
        if (connection == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof MqttConnectMessage connect) {
            String will = connect.variableHeader().isWillFlag() ? connect.payload().willTopic() : null;
            if (!connection.firstConnect(will)) {
                refuse(ctx, msg, Refusal.SECOND_CONNECT);
                return;
            }
            connection.whileConnecting(() -> ctx.fireChannelRead(msg));
            return;
        }
        if (msg instanceof MqttPublishMessage publish && connection.isAuthenticated()) {
            if (publish.fixedHeader().qosLevel() == MqttQoS.EXACTLY_ONCE) {
                rejections.reject(Rejection.QOS2_REFUSED, connection.deviceId(), "topic=" + publish.variableHeader().topicName());
                refuse(ctx, msg, Refusal.QOS2);
                return;
            }
            Refusal full = backlog.overloaded();
            if (full != null) {
                rejections.reject(Rejection.OVERLOADED, connection.deviceId(), "broker queue over its bound: " + full.tag());
                refuse(ctx, msg, full);
                return;
            }
            if (durable != null && durable.take(ctx, connection.deviceId(), publish, ledger)) {
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void refuse(ChannelHandlerContext ctx, Object msg, Refusal refusal) {
        limits.count(refusal);
        ReferenceCountUtil.release(msg);
        ctx.close();
    }
}
