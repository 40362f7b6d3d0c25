package aurora.edge.gateway.mqttsn;

import org.jspecify.annotations.Nullable;

/** The MQTT-SN 1.2 messages a gateway reads or writes, decoded; {@link SnCodec} turns them into bytes and back. */
sealed interface SnPacket {
    int ADVERTISE = 0x00;
    int SEARCHGW = 0x01;
    int GWINFO = 0x02;
    int CONNECT = 0x04;
    int CONNACK = 0x05;
    int WILLTOPICREQ = 0x06;
    int WILLTOPIC = 0x07;
    int WILLMSGREQ = 0x08;
    int WILLMSG = 0x09;
    int REGISTER = 0x0A;
    int REGACK = 0x0B;
    int PUBLISH = 0x0C;
    int PUBACK = 0x0D;
    int SUBSCRIBE = 0x12;
    int SUBACK = 0x13;
    int UNSUBSCRIBE = 0x14;
    int UNSUBACK = 0x15;
    int PINGREQ = 0x16;
    int PINGRESP = 0x17;
    int DISCONNECT = 0x18;
    int ENCAPSULATED = 0xFE;

    /** Return codes (§5.3.10). */
    int ACCEPTED = 0x00;

    int REJECTED_CONGESTION = 0x01;
    int REJECTED_INVALID_TOPIC_ID = 0x02;
    int REJECTED_NOT_SUPPORTED = 0x03;

    /** The message type octet. */
    int type();

    record Advertise(int gatewayId, int duration) implements SnPacket {
        @Override
        public int type() {
            return ADVERTISE;
        }
    }

    record SearchGw(int radius) implements SnPacket {
        @Override
        public int type() {
            return SEARCHGW;
        }
    }

    /** @param address empty when the gateway itself answers */
    record GwInfo(int gatewayId, byte[] address) implements SnPacket {
        @Override
        public int type() {
            return GWINFO;
        }
    }

    record Connect(SnFlags flags, int protocolId, int duration, String clientId) implements SnPacket {
        @Override
        public int type() {
            return CONNECT;
        }
    }

    record Connack(int returnCode) implements SnPacket {
        @Override
        public int type() {
            return CONNACK;
        }
    }

    record WillTopicReq() implements SnPacket {
        @Override
        public int type() {
            return WILLTOPICREQ;
        }
    }

    /** @param flags null for the empty WILLTOPIC that deletes the will */
    record WillTopic(@Nullable SnFlags flags, String topic) implements SnPacket {
        @Override
        public int type() {
            return WILLTOPIC;
        }
    }

    record WillMsgReq() implements SnPacket {
        @Override
        public int type() {
            return WILLMSGREQ;
        }
    }

    record WillMsg(byte[] message) implements SnPacket {
        @Override
        public int type() {
            return WILLMSG;
        }
    }

    record Register(int topicId, int msgId, String topicName) implements SnPacket {
        @Override
        public int type() {
            return REGISTER;
        }
    }

    record Regack(int topicId, int msgId, int returnCode) implements SnPacket {
        @Override
        public int type() {
            return REGACK;
        }
    }

    /** @param topicId the topic id, or the two characters of a short topic name as one big-endian number */
    record Publish(SnFlags flags, int topicId, int msgId, byte[] data) implements SnPacket {
        @Override
        public int type() {
            return PUBLISH;
        }
    }

    record Puback(int topicId, int msgId, int returnCode) implements SnPacket {
        @Override
        public int type() {
            return PUBACK;
        }
    }

    /** @param topicName set for a normal topic name, null for a predefined id or short name (in {@code topicId}) */
    record Subscribe(SnFlags flags, int msgId, @Nullable String topicName, int topicId) implements SnPacket {
        @Override
        public int type() {
            return SUBSCRIBE;
        }
    }

    record Suback(SnFlags flags, int topicId, int msgId, int returnCode) implements SnPacket {
        @Override
        public int type() {
            return SUBACK;
        }
    }

    record Unsubscribe(SnFlags flags, int msgId, @Nullable String topicName, int topicId) implements SnPacket {
        @Override
        public int type() {
            return UNSUBSCRIBE;
        }
    }

    record Unsuback(int msgId) implements SnPacket {
        @Override
        public int type() {
            return UNSUBACK;
        }
    }

    /** @param clientId set by a sleeping client that wakes up */
    record PingReq(@Nullable String clientId) implements SnPacket {
        @Override
        public int type() {
            return PINGREQ;
        }
    }

    record PingResp() implements SnPacket {
        @Override
        public int type() {
            return PINGRESP;
        }
    }

    /** @param duration the sleep duration in seconds, or -1 for a plain DISCONNECT */
    record Disconnect(int duration) implements SnPacket {
        @Override
        public int type() {
            return DISCONNECT;
        }
    }

    /**
     * Forwarder encapsulation (§5.5): a forwarder (a relay) carries {@code inner}, one MQTT-SN
     * message, of the wireless node {@code nodeId}.
     */
    record Encapsulated(int ctrl, byte[] nodeId, byte[] inner) implements SnPacket {
        @Override
        public int type() {
            return ENCAPSULATED;
        }
    }
}
