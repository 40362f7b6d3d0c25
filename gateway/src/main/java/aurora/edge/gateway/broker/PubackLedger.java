package aurora.edge.gateway.broker;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * The PUBACKs one connection owes, in the order its QoS 1 PUBLISHes arrived: a PUBACK goes out once
 * its message is settled (stored, or refused for good) and every earlier one has gone out, because
 * MQTT 3.1.1 (4.6.0-2) wants PUBACKs in PUBLISH order and a client may take a PUBACK as "this and
 * everything before it". Packet ids are the client's: a well-behaved one does not reuse an id
 * before its PUBACK, and one that does merely gets two PUBACKs for it, in order. Used only on the
 * connection's Netty thread.
 */
final class PubackLedger {
    /** More owed PUBACKs than a client has packet ids: it reuses ids without waiting, and its connection is closed. */
    static final int MAX_OWED = 65_535;

    private final ArrayDeque<Owed> owed = new ArrayDeque<>();

    /** One PUBACK owed for packet {@code packetId}; {@code due} once its message is settled. */
    static final class Owed {
        private final int packetId;
        private boolean due;

        private Owed(int packetId) {
            this.packetId = packetId;
        }
    }

    /** Records a PUBACK owed for a PUBLISH just read; null when the connection already owes {@link #MAX_OWED}. */
    @Nullable
    Owed open(int packetId) {
        if (owed.size() >= MAX_OWED) {
            return null;
        }
        Owed o = new Owed(packetId);
        owed.addLast(o);
        return o;
    }

    /** Marks {@code o} settled and sends every PUBACK now due in order, flushed once. */
    void settle(ChannelHandlerContext ctx, Owed o) {
        o.due = true;
        boolean wrote = false;
        while (!owed.isEmpty() && owed.peekFirst().due) {
            int packetId = owed.pollFirst().packetId;
            if (ctx.channel().isActive()) {
                ctx.write(pubAck(packetId));
                wrote = true;
            }
        }
        if (wrote) {
            ctx.flush();
        }
    }

    int owed() {
        return owed.size();
    }

    private static MqttPubAckMessage pubAck(int packetId) {
        return new MqttPubAckMessage(
                new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                MqttMessageIdVariableHeader.from(packetId));
    }
}
